import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import type { Logger } from '../logging/logger.js';
import { acquireWriterLease, WriterLeaseHeldError } from './lease.js';
import { openLocalStore } from './local/local-store.js';
import { StorageError } from './object-store.js';
import type { ListResult, ObjectMeta, ObjectStore, ObjectVersion, Page } from './object-store.js';

const KEY = '_writer.lease';

/** Just enough of an ObjectStore for the lease: put, get, delete on a map. */
class MemoryStore implements ObjectStore {
  readonly url = 'memory://lease-test';
  readonly capabilities = { versioning: false, conditionalCreate: false, serverSideCopy: false };
  readonly objects = new Map<string, Uint8Array>();
  failPuts = false;

  put(key: string, body: Uint8Array | Readable): Promise<ObjectMeta> {
    if (this.failPuts) return Promise.reject(new StorageError('Temporary', 'injected put failure', key));
    if (!(body instanceof Uint8Array)) return Promise.reject(new Error('streams not supported here'));
    this.objects.set(key, body);
    return Promise.resolve({ key, size: body.length, lastModified: new Date() });
  }
  get(key: string): Promise<Uint8Array> {
    const body = this.objects.get(key);
    return body === undefined ? Promise.reject(new StorageError('NotFound', `no ${key}`, key)) : Promise.resolve(body);
  }
  delete(key: string): Promise<void> {
    this.objects.delete(key);
    return Promise.resolve();
  }
  record(): { owner: string; expiresAt: string; token: string } {
    const body = this.objects.get(KEY);
    if (body === undefined) throw new Error('no lease object');
    return JSON.parse(new TextDecoder().decode(body)) as { owner: string; expiresAt: string; token: string };
  }
  putFile(): Promise<ObjectMeta> {
    return this.unsupported();
  }
  getStream(): Promise<Readable> {
    return this.unsupported();
  }
  getFile(): Promise<ObjectMeta> {
    return this.unsupported();
  }
  head(): Promise<ObjectMeta> {
    return this.unsupported();
  }
  deleteVersion(): Promise<void> {
    return this.unsupported();
  }
  deleteVersions(): Promise<void> {
    return this.unsupported();
  }
  list(): Promise<ListResult> {
    return this.unsupported();
  }
  listVersions(): Promise<Page<ObjectVersion>> {
    return this.unsupported();
  }
  copy(): Promise<ObjectMeta> {
    return this.unsupported();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  private unsupported<T>(): Promise<T> {
    return Promise.reject(new StorageError('Unsupported', 'not in the memory store'));
  }
}

function recordingLogger(): { logger: Logger; lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const at =
    (level: string) =>
    (a: Record<string, unknown> | string, b?: string): void => {
      lines.push({ level, msg: typeof a === 'string' ? a : (b ?? '') });
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
  return { logger, lines };
}

const base = { key: KEY, logger: silentLogger, settleMs: 5 };

describe('acquireWriterLease', () => {
  it('writes a lease naming the owner and an expiry one ttl ahead', async () => {
    const store = new MemoryStore();
    const t0 = Date.now();
    const lease = await acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 60_000 });
    try {
      expect(lease.isHeld()).toBe(true);
      const record = store.record();
      expect(record.owner).toBe('host-a:1');
      const expires = Date.parse(record.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(t0 + 60_000);
      expect(expires).toBeLessThan(t0 + 61_000);
      expect(lease.expiresAt().getTime()).toBe(expires);
    } finally {
      await lease.release();
    }
  });

  it('refuses a second owner while the lease is fresh, naming the holder and the expiry', async () => {
    const store = new MemoryStore();
    const first = await acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 60_000 });
    try {
      const attempt = acquireWriterLease(store, { ...base, owner: 'host-b:2', ttlMs: 60_000 });
      await expect(attempt).rejects.toBeInstanceOf(WriterLeaseHeldError);
      await expect(attempt).rejects.toThrow(/host-a:1 holds the lease '_writer\.lease' until \d{4}-\d\d-\d\dT/);
      expect(store.record().owner).toBe('host-a:1');
      expect(first.isHeld()).toBe(true);
    } finally {
      await first.release();
    }
  });

  it('takes over an expired lease and says so in the log', async () => {
    const store = new MemoryStore();
    let clock = Date.now();
    const now = (): number => clock;
    // The first holder stops renewing (its process is gone) and its lease runs out.
    const gone = await acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 60_000, now });
    const goneToken = store.record().token;
    clock += 61_000;
    const { logger, lines } = recordingLogger();
    const second = await acquireWriterLease(store, { ...base, logger, owner: 'host-b:2', ttlMs: 60_000, now });
    try {
      expect(store.record().owner).toBe('host-b:2');
      expect(store.record().token).not.toBe(goneToken);
      expect(lines).toContainEqual({ level: 'warn', msg: 'taking over an expired writer lease' });
      expect(second.isHeld()).toBe(true);
      expect(gone.isHeld()).toBe(false);
      // The old holder releasing late must leave the new lease alone.
      await gone.release();
      expect(store.record().owner).toBe('host-b:2');
    } finally {
      await second.release();
    }
  });

  it('lets exactly one of two simultaneous acquirers win', async () => {
    const store = new MemoryStore();
    const results = await Promise.allSettled([
      acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 60_000, settleMs: 30 }),
      acquireWriterLease(store, { ...base, owner: 'host-b:2', ttlMs: 60_000, settleMs: 30 }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(WriterLeaseHeldError);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireWriterLease>>>).value;
    expect(store.record().owner).toBe(winner.owner);
    await winner.release();
  });

  it('renews the lease every ttl/3', async () => {
    const store = new MemoryStore();
    const lease = await acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 150 });
    try {
      const firstExpiry = Date.parse(store.record().expiresAt);
      await vi.waitFor(() => expect(Date.parse(store.record().expiresAt)).toBeGreaterThan(firstExpiry), { timeout: 2_000 });
      expect(lease.isHeld()).toBe(true);
    } finally {
      await lease.release();
    }
  });

  it('notices a takeover at the next renewal and stops claiming the lease', async () => {
    const store = new MemoryStore();
    const onLost = vi.fn();
    const lease = await acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 150, onLost });
    store.objects.set(
      KEY,
      new TextEncoder().encode(
        JSON.stringify({ format: 1, owner: 'host-b:2', token: 'other', acquiredAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() }),
      ),
    );
    await vi.waitFor(() => expect(onLost).toHaveBeenCalledTimes(1), { timeout: 2_000 });
    expect(onLost).toHaveBeenCalledWith('the lease was taken over by host-b:2');
    expect(lease.isHeld()).toBe(false);
    await lease.release();
    // Releasing a lost lease must not remove the new holder's.
    expect(store.record().owner).toBe('host-b:2');
  });

  it('reports the lease lost when renewals keep failing until it expires', async () => {
    const store = new MemoryStore();
    const onLost = vi.fn();
    const lease = await acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 120, onLost });
    store.failPuts = true;
    await vi.waitFor(() => expect(onLost).toHaveBeenCalledTimes(1), { timeout: 2_000 });
    expect(String(onLost.mock.calls[0]?.[0])).toMatch(/^renewal failed until the lease expired: injected put failure/);
    expect(lease.isHeld()).toBe(false);
    await lease.release();
  });

  it('removes the lease object on release, so the next server starts at once', async () => {
    const store = new MemoryStore();
    const lease = await acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 60_000 });
    await lease.release();
    expect(store.objects.has(KEY)).toBe(false);
    expect(lease.isHeld()).toBe(false);
    const next = await acquireWriterLease(store, { ...base, owner: 'host-b:2', ttlMs: 60_000 });
    expect(next.isHeld()).toBe(true);
    await next.release();
  });

  it('refuses to start over an unreadable lease object', async () => {
    const store = new MemoryStore();
    store.objects.set(KEY, new TextEncoder().encode('{not json'));
    await expect(acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 60_000 })).rejects.toThrow(
      /writer lease '_writer\.lease' is not readable/,
    );
  });

  it('on a versioned store keeps one lease version while renewing, and none after release', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-lease-'));
    const store = await openLocalStore(dir);
    try {
      expect(store.capabilities.versioning).toBe(true);
      const lease = await acquireWriterLease(store, { ...base, owner: 'host-a:1', ttlMs: 90 });
      const first = await store.head(KEY);
      // Several renewals (every 30 ms).
      await vi.waitFor(
        async () => expect((await store.head(KEY)).versionId).not.toBe(first.versionId),
        { timeout: 2_000 },
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const during = await store.listVersions({ prefix: KEY });
      expect(during.items.filter((v) => !v.isDeleteMarker).length).toBeLessThanOrEqual(2);
      await lease.release();
      expect((await store.listVersions({ prefix: KEY })).items).toEqual([]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
