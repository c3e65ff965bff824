import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import { openLocalStore } from './local/local-store.js';
import { exposesLocalFiles } from './local/local-files.js';
import { StorageError, type ObjectMeta, type ObjectStore, type StorageErrorKind } from './object-store.js';
import { withRetry, type RetryOptions } from './retry.js';

interface LogRecord {
  readonly level: string;
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

function recordingLogger(records: LogRecord[]): Logger {
  const at =
    (level: string) =>
    (objOrMsg: Record<string, unknown> | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') records.push({ level, obj: {}, msg: objOrMsg });
      else records.push({ level, obj: objOrMsg, msg });
    };
  const logger: Logger = {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: () => logger,
  };
  return logger;
}

const META: ObjectMeta = { key: 'k', size: 1, lastModified: new Date(0) };

/** A store whose every operation fails with `kind` for the first `failures` calls, then succeeds. */
function flakyStore(failures: number, kind: StorageErrorKind = 'Temporary'): ObjectStore & { calls: string[] } {
  const calls: string[] = [];
  const attempt = <T>(op: string, value: T): Promise<T> => {
    calls.push(op);
    if (calls.length <= failures) return Promise.reject(new StorageError(kind, `${op} failed (${calls.length})`, 'k'));
    return Promise.resolve(value);
  };
  return {
    calls,
    url: 'fake://flaky',
    capabilities: { versioning: true, conditionalCreate: true, serverSideCopy: true },
    put: (_key, body) => {
      if (body instanceof Readable) body.resume();
      return attempt('put', META);
    },
    putFile: () => attempt('putFile', META),
    get: () => attempt('get', new Uint8Array([1])),
    getStream: () => attempt('getStream', Readable.from([Buffer.from('x')])),
    getFile: () => attempt('getFile', META),
    head: () => attempt('head', META),
    delete: () => attempt('delete', undefined),
    deleteVersion: () => attempt('deleteVersion', undefined),
    deleteVersions: () => attempt('deleteVersions', undefined),
    list: () => attempt('list', { items: [], prefixes: [] }),
    listVersions: () => attempt('listVersions', { items: [] }),
    copy: () => attempt('copy', META),
    close: () => Promise.resolve(),
  };
}

interface Harness {
  readonly options: RetryOptions;
  readonly sleeps: number[];
  readonly records: LogRecord[];
}

/** A fake clock that only advances when the retry layer sleeps. */
function harness(overrides: Partial<RetryOptions> = {}): Harness {
  const sleeps: number[] = [];
  const records: LogRecord[] = [];
  let clock = 0;
  const options: RetryOptions = {
    maxAttempts: 5,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    maxElapsedMs: 60_000,
    logger: recordingLogger(records),
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    ...overrides,
  };
  return { options, sleeps, records };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the operation to fail');
    },
    (e: unknown) => e,
  );
}

describe('withRetry', () => {
  it('retries Temporary errors until the operation succeeds', async () => {
    const inner = flakyStore(2);
    const h = harness();
    const store = withRetry(inner, h.options);
    expect(await store.head('k')).toBe(META);
    expect(inner.calls).toEqual(['head', 'head', 'head']);
    expect(h.sleeps).toEqual([50, 100]);
  });

  it('backs off exponentially with full jitter, capped at maxDelayMs', async () => {
    const inner = flakyStore(6);
    const randoms = [0.999, 0.999, 0.999, 0.999, 0.999, 0.25];
    const h = harness({ maxAttempts: 7, random: () => randoms.shift() ?? 0 });
    await withRetry(inner, h.options).get('k');
    // Caps 100, 200, 400, 800, then 1000 (maxDelayMs); each wait is random * cap.
    expect(h.sleeps).toEqual([99, 199, 399, 799, 999, 250]);
  });

  it('gives up after maxAttempts with a Temporary error that says so', async () => {
    const inner = flakyStore(100);
    const h = harness({ maxAttempts: 3 });
    const err = await failure(withRetry(inner, h.options).get('k'));
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind).toBe('Temporary');
    expect((err as StorageError).key).toBe('k');
    expect((err as StorageError).message).toMatch(/get failed \(3\).*gave up after 3 attempts/);
    expect(((err as StorageError).cause as StorageError).message).toBe('get failed (3)');
    expect(inner.calls).toHaveLength(3);
  });

  it('gives up when the next wait would pass maxElapsedMs', async () => {
    const inner = flakyStore(100);
    const h = harness({ maxAttempts: 100, baseDelayMs: 1_000, maxDelayMs: 1_000, maxElapsedMs: 2_500, random: () => 0.9 });
    const err = await failure(withRetry(inner, h.options).list({ prefix: 'p/' }));
    expect((err as StorageError).kind).toBe('Temporary');
    // Waits of 900 ms: after two (1800 ms) a third would end at 2700 ms > 2500 ms.
    expect(h.sleeps).toEqual([900, 900]);
    expect(inner.calls).toHaveLength(3);
    expect((err as StorageError).message).toMatch(/gave up after 3 attempts in 1800 ms/);
  });

  it.each(['NotFound', 'PreconditionFailed', 'AccessDenied', 'InvalidKey', 'Unexpected'] as const)(
    'does not retry %s',
    async (kind) => {
      const inner = flakyStore(1, kind);
      const h = harness();
      const err = await failure(withRetry(inner, h.options).put('k', Buffer.from('x'), { ifNoneMatch: true }));
      expect((err as StorageError).kind).toBe(kind);
      expect(inner.calls).toEqual(['put']);
      expect(h.sleeps).toEqual([]);
    },
  );

  it('does not retry errors that are not StorageErrors', async () => {
    let calls = 0;
    const inner: ObjectStore = {
      ...flakyStore(0),
      get: () => {
        calls++;
        return Promise.reject(new TypeError('bug'));
      },
    };
    const err = await failure(withRetry(inner, harness().options).get('k'));
    expect(err).toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('logs each retry at warn with the operation, key, attempt and error', async () => {
    const inner = flakyStore(2);
    const h = harness();
    await withRetry(inner, h.options).copy('from/key', 'to/key');
    expect(h.records.map((r) => r.level)).toEqual(['warn', 'warn']);
    expect(h.records[0]?.obj).toMatchObject({
      op: 'copy',
      key: 'to/key',
      from: 'from/key',
      attempt: 1,
      maxAttempts: 5,
      retryInMs: 50,
      errorKind: 'Temporary',
      error: 'copy failed (1)',
    });
    expect(h.records[1]?.obj).toMatchObject({ attempt: 2 });
  });

  it('does not retry a put of a stream, which cannot be replayed', async () => {
    const inner = flakyStore(1);
    const h = harness();
    const err = await failure(withRetry(inner, h.options).put('k', Readable.from([Buffer.from('once')])));
    expect((err as StorageError).kind).toBe('Temporary');
    expect(inner.calls).toEqual(['put']);
  });

  it('retries puts of buffers and files, and every other operation', async () => {
    const h = harness();
    const run = async (fn: (s: ObjectStore) => Promise<unknown>): Promise<string[]> => {
      const inner = flakyStore(1);
      await fn(withRetry(inner, h.options));
      return inner.calls;
    };
    expect(await run((s) => s.put('k', Buffer.from('x')))).toEqual(['put', 'put']);
    expect(await run((s) => s.putFile('k', '/tmp/f'))).toEqual(['putFile', 'putFile']);
    expect(await run((s) => s.getStream('k'))).toEqual(['getStream', 'getStream']);
    expect(await run((s) => s.getFile('k', '/tmp/f'))).toEqual(['getFile', 'getFile']);
    expect(await run((s) => s.delete('k'))).toEqual(['delete', 'delete']);
    expect(await run((s) => s.deleteVersion('k', 'v'))).toEqual(['deleteVersion', 'deleteVersion']);
    expect(await run((s) => s.deleteVersions([{ key: 'k', versionId: 'v' }]))).toEqual(['deleteVersions', 'deleteVersions']);
    expect(await run((s) => s.listVersions({ prefix: '' }))).toEqual(['listVersions', 'listVersions']);
  });

  it('stops retrying once the signal is aborted, with the abort reason', async () => {
    const inner = flakyStore(100);
    const controller = new AbortController();
    const h = harness({
      sleep: () => {
        controller.abort(new Error('client went away'));
        return new Promise(() => {});
      },
    });
    const err = await failure(withRetry(inner, h.options).get('k', { signal: controller.signal }));
    expect((err as Error).message).toBe('client went away');
    expect(inner.calls).toEqual(['get']);
  });

  it('does not start when the signal is already aborted', async () => {
    const inner = flakyStore(0);
    const controller = new AbortController();
    controller.abort();
    const err = await failure(withRetry(inner, harness().options).getFile('k', '/tmp/x', { signal: controller.signal }));
    expect((err as Error).name).toBe('AbortError');
    expect(inner.calls).toEqual([]);
  });

  it('refuses a policy that cannot work', () => {
    const inner = flakyStore(0);
    expect(() => withRetry(inner, harness({ maxAttempts: 0 }).options)).toThrow(/maxAttempts/);
    expect(() => withRetry(inner, harness({ baseDelayMs: -1 }).options)).toThrow(/baseDelayMs/);
  });

  it('passes url, capabilities and a local store’s localPath through', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ducksafe-retry-'));
    try {
      const local = await openLocalStore(root);
      const store = withRetry(local, harness().options);
      expect(store.url).toBe(local.url);
      expect(store.capabilities).toEqual(local.capabilities);
      expect(exposesLocalFiles(store)).toBe(true);
      if (exposesLocalFiles(store)) expect(store.localPath('a/b')).toBe(join(root, 'a', 'b'));
      expect(exposesLocalFiles(withRetry(flakyStore(0), harness().options))).toBe(false);
      await store.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
