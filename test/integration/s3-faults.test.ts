// The S3 backend behind a fault-injecting proxy: every transient failure (503, SlowDown,
// dropped connection, silence, a body cut short) must come out as a Temporary
// StorageError that says what failed where, so that the retry layer (withRetry) rides
// through short outages and gives up, clearly and in bounded time, on a lasting one.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logging/logger.js';
import { isStorageError } from '../../src/storage/object-store.js';
import type { ObjectStore, StorageError } from '../../src/storage/object-store.js';
import { withRetry } from '../../src/storage/retry.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';
import type { S3Store } from '../../src/storage/s3/s3-store.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import type { FaultProxy } from '../helpers/fault-proxy.js';
import { createTestBucket, s3TestSettingsOrSkip } from '../helpers/s3-env.js';
import type { S3TestSettings, TestBucket } from '../helpers/s3-env.js';

const settings = s3TestSettingsOrSkip('S3 faults');
const MIB = 1024 * 1024;
const MAX_ATTEMPTS = 4;

function recordingLogger(): { logger: Logger; warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  const noop = (): void => {};
  const logger: Logger = {
    trace: noop,
    debug: noop,
    info: noop,
    warn: (obj: Record<string, unknown> | string) => {
      warnings.push(typeof obj === 'string' ? { msg: obj } : obj);
    },
    error: noop,
    fatal: noop,
    child: () => logger,
  };
  return { logger, warnings };
}

async function failure(promise: Promise<unknown>): Promise<StorageError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isStorageError(err)) throw new Error(`expected a StorageError, got ${String(err)}`);
  return err;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe.skipIf(settings === undefined)('S3 store behind a faulty network', () => {
  const s = settings as S3TestSettings;
  let bucket: TestBucket;
  let proxy: FaultProxy;
  let store: S3Store;
  let retried: ObjectStore;
  let warnings: Record<string, unknown>[];
  let storeWarnings: Record<string, unknown>[];
  let tmp: string;

  beforeAll(async () => {
    bucket = await createTestBucket(s, { versioned: true });
    proxy = await startFaultProxy(s.endpoint);
    const storeLog = recordingLogger();
    storeWarnings = storeLog.warnings;
    store = await openS3Store(
      bucket.storeOptions('faults', {
        endpoint: proxy.endpoint,
        logger: storeLog.logger,
        tuning: { multipartThreshold: 6 * MIB, partSize: 5 * MIB, idleTimeoutMs: 500, connectTimeoutMs: 1_000 },
      }),
    );
    const recorded = recordingLogger();
    warnings = recorded.warnings;
    retried = withRetry(store, { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 10, maxDelayMs: 50, maxElapsedMs: 5_000, logger: recorded.logger });
    await store.put('data/a.txt', new TextEncoder().encode('hello'));
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-s3-faults-'));
  });

  afterEach(() => {
    proxy.heal();
    warnings.length = 0;
    storeWarnings.length = 0;
  });

  afterAll(async () => {
    await store.close();
    await proxy.close();
    await bucket.remove();
    await rm(tmp, { recursive: true, force: true });
  });

  describe('without retries, each fault is a Temporary error', () => {
    it('503 Service Unavailable, naming the endpoint, the object and the code', async () => {
      proxy.inject('status-503', 1);
      const err = await failure(store.get('data/a.txt'));
      expect(err.kind).toBe('Temporary');
      expect(err.temporary).toBe(true);
      expect(err.key).toBe('data/a.txt');
      expect(err.message).toContain(proxy.endpoint);
      expect(err.message).toContain(`s3://${bucket.bucket}/faults/data/a.txt`);
      expect(err.message).toContain('ServiceUnavailable');
      expect(err.message).toContain('HTTP 503');
    });

    it('503 SlowDown', async () => {
      proxy.inject('slow-down', 1);
      const err = await failure(store.put('data/b.txt', new Uint8Array([1])));
      expect(err.kind).toBe('Temporary');
      expect(err.message).toContain('SlowDown');
    });

    it('a connection dropped before the answer', async () => {
      proxy.inject('drop', 1);
      const err = await failure(store.head('data/a.txt'));
      expect(err.kind).toBe('Temporary');
    });

    it('a server that never answers, after the idle timeout', async () => {
      proxy.inject('hang', 1);
      const started = Date.now();
      const err = await failure(store.head('data/a.txt'));
      expect(err.kind).toBe('Temporary');
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('a body cut short, for get, getStream and getFile (which leaves no file)', async () => {
      const big = randomBytes(256 * 1024);
      await store.put('data/big.bin', big);
      proxy.inject('truncate-body', 1);
      expect((await failure(store.get('data/big.bin'))).kind).toBe('Temporary');

      proxy.inject('truncate-body', 1);
      const stream = await store.getStream('data/big.bin');
      const read = (async () => {
        for await (const chunk of stream) void chunk;
      })();
      expect((await failure(read)).kind).toBe('Temporary');

      proxy.inject('truncate-body', 1);
      const dir = await mkdtemp(path.join(tmp, 'getfile-'));
      expect((await failure(store.getFile('data/big.bin', path.join(dir, 'big.bin')))).kind).toBe('Temporary');
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('a write whose read-back fails still reports success, so it is never retried', async () => {
    // The PUT passes and the HEAD after it fails: a retry would write a second version,
    // or make a conditional create fail against its own object.
    const faultedBefore = proxy.faulted;
    proxy.inject('status-503', 1, 1);
    const meta = await store.put('written/once.txt', new TextEncoder().encode('once'));
    expect(proxy.faulted - faultedBefore).toBe(1);
    expect(meta.size).toBe(4);
    expect(meta.versionId).toBeTypeOf('string');
    expect(storeWarnings.map((w) => w.key)).toEqual(['written/once.txt']);
    const versions = await store.listVersions({ prefix: 'written/' });
    expect(versions.items.map((v) => v.versionId)).toEqual([meta.versionId]);
  });

  describe('through withRetry', () => {
    it('a put and a get succeed after two 503s, and each retry is logged', async () => {
      const faultedBefore = proxy.faulted;
      proxy.inject('status-503', 2);
      const meta = await retried.put('retry/one.txt', new TextEncoder().encode('survived'));
      expect(meta.size).toBe(8);
      expect(proxy.faulted - faultedBefore).toBe(2);
      expect(warnings).toHaveLength(2);
      proxy.inject('slow-down', 2);
      expect(new TextDecoder().decode(await retried.get('retry/one.txt'))).toBe('survived');
    });

    it('a get succeeds after dropped connections and a cut body', async () => {
      proxy.inject('drop', 2);
      expect(new TextDecoder().decode(await retried.get('data/a.txt'))).toBe('hello');
      proxy.inject('truncate-body', 1);
      expect(new TextDecoder().decode(await retried.get('data/a.txt'))).toBe('hello');
    });

    it('a multipart upload whose part fails is done again whole', async () => {
      const bytes = randomBytes(12 * MIB);
      const file = path.join(tmp, 'multipart.bin');
      await writeFile(file, bytes);
      // Create passes, then the first part upload fails.
      proxy.inject('status-503', 1, 1);
      const meta = await retried.putFile('retry/multipart.bin', file);
      expect(meta.size).toBe(bytes.length);
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      const out = path.join(tmp, 'multipart.out');
      await retried.getFile('retry/multipart.bin', out);
      expect(sha256(await readFile(out))).toBe(sha256(bytes));
    });

    it('a lasting outage ends in a clear Temporary error after bounded attempts and time', async () => {
      const before = proxy.requests;
      proxy.inject('status-503', Infinity);
      const started = Date.now();
      const err = await failure(retried.get('data/a.txt'));
      const elapsed = Date.now() - started;
      expect(err.kind).toBe('Temporary');
      expect(err.message).toContain('ServiceUnavailable');
      expect(err.message).toContain(proxy.endpoint);
      expect(proxy.requests - before).toBe(MAX_ATTEMPTS);
      expect(elapsed).toBeLessThan(5_000);
    });
  });

  it('opening during an outage fails with a Temporary error that names the warehouse', async () => {
    proxy.inject('status-503', Infinity);
    const err = await failure(openS3Store(bucket.storeOptions('faults', { endpoint: proxy.endpoint })));
    expect(err.kind).toBe('Temporary');
    expect(err.message).toContain(`cannot open the S3 warehouse s3://${bucket.bucket}/faults`);
    expect(err.message).toContain(proxy.endpoint);
    expect(err.message).toContain('ServiceUnavailable');
  });
});
