import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { FileCache } from './file-cache.js';
import { openLocalStore, type LocalStore } from './local/local-store.js';
import {
  StorageError,
  type GetOptions,
  type ListOptions,
  type ObjectMeta,
  type ObjectStore,
  type PutOptions,
} from './object-store.js';

/** A remote-like store (no local files) over a local store, counting and optionally holding downloads. */
class RemoteLike implements ObjectStore {
  readonly url = 'fake://remote';
  readonly capabilities;
  readonly downloads: string[] = [];
  heads = 0;
  active = 0;
  maxActive = 0;
  /** When set, each download waits for it (or for its abort signal). */
  gate: Promise<void> | undefined;
  failNext: StorageError | undefined;

  constructor(private readonly inner: LocalStore) {
    this.capabilities = inner.capabilities;
  }

  put(key: string, body: Uint8Array | Readable, options?: PutOptions): Promise<ObjectMeta> {
    return this.inner.put(key, body, options);
  }
  putFile(key: string, path: string, options?: PutOptions): Promise<ObjectMeta> {
    return this.inner.putFile(key, path, options);
  }
  get(key: string, options?: GetOptions): Promise<Uint8Array> {
    return this.inner.get(key, options);
  }
  getStream(key: string, options?: GetOptions): Promise<Readable> {
    return this.inner.getStream(key, options);
  }
  async getFile(key: string, path: string, options: GetOptions = {}): Promise<ObjectMeta> {
    this.downloads.push(key);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.gate !== undefined) {
        const signal = options.signal;
        await Promise.race([
          this.gate,
          new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true })),
        ]);
      }
      if (this.failNext !== undefined) {
        const error = this.failNext;
        this.failNext = undefined;
        throw error;
      }
      return await this.inner.getFile(key, path, options);
    } finally {
      this.active--;
    }
  }
  head(key: string, options?: { readonly versionId?: string }): Promise<ObjectMeta> {
    this.heads++;
    return this.inner.head(key, options);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  deleteVersion(key: string, versionId: string): Promise<void> {
    return this.inner.deleteVersion(key, versionId);
  }
  deleteVersions(versions: Parameters<ObjectStore['deleteVersions']>[0]): Promise<void> {
    return this.inner.deleteVersions(versions);
  }
  list(options: ListOptions): ReturnType<ObjectStore['list']> {
    return this.inner.list(options);
  }
  listVersions(options: ListOptions): ReturnType<ObjectStore['listVersions']> {
    return this.inner.listVersions(options);
  }
  copy(fromKey: string, toKey: string, options?: { readonly versionId?: string }): Promise<ObjectMeta> {
    return this.inner.copy(fromKey, toKey, options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(condition()).toBe(true);
}

/** Eviction unlinks in the background; wait for the file to go. */
async function gone(path: string): Promise<void> {
  let exists = true;
  for (let i = 0; i < 500 && exists; i++) {
    exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (exists) await new Promise((r) => setTimeout(r, 2));
  }
  expect(exists, `${path} should have been evicted`).toBe(false);
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('FileCache', () => {
  let scratch = '';
  let local: LocalStore;
  let remote: RemoteLike;
  let cacheDir = '';

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ducksafe-file-cache-'));
    local = await openLocalStore(join(scratch, 'warehouse'));
    remote = new RemoteLike(local);
    cacheDir = join(scratch, 'cache');
  });

  afterEach(async () => {
    await local.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const cache = (maxBytes = 1_000_000, downloadConcurrency?: number): FileCache =>
    new FileCache({
      store: remote,
      dir: cacheDir,
      maxBytes,
      logger: silentLogger,
      ...(downloadConcurrency === undefined ? {} : { downloadConcurrency }),
    });

  it('reads a local store in place, without copying, and names a missing key', async () => {
    await local.put('db/t/f1.parquet', Buffer.from('one'));
    const c = new FileCache({ store: local, dir: cacheDir, maxBytes: 0, logger: silentLogger });
    const lease = await c.acquire(['db/t/f1.parquet']);
    expect(lease.paths).toEqual([local.localPath('db/t/f1.parquet')]);
    lease.release();
    const err = await failureOf(c.acquire(['db/t/f1.parquet', 'db/t/missing.parquet']));
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ kind: 'NotFound', key: 'db/t/missing.parquet' });
    await expect(stat(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(c.stats()).toMatchObject({ hits: 1, misses: 0, bytesDownloaded: 0 });
  });

  it('downloads a key once, keeps its extension, and serves it from the cache afterwards', async () => {
    await local.put('db/t/f1.parquet', Buffer.from('parquet bytes'));
    const c = cache();
    const first = await c.acquire(['db/t/f1.parquet']);
    const path = first.paths[0] as string;
    expect(path.startsWith(cacheDir)).toBe(true);
    expect(path.endsWith('.parquet')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('parquet bytes');
    first.release();
    const second = await c.acquire(['db/t/f1.parquet']);
    expect(second.paths).toEqual([path]);
    second.release();
    expect(remote.downloads).toEqual(['db/t/f1.parquet']);
    expect(c.stats()).toEqual({ hits: 1, misses: 1, bytesDownloaded: 13, evictions: 0, entries: 1, bytesCached: 13 });
  });

  it('forgets discarded keys: the next acquire goes to the store; a held copy stays until released', async () => {
    await local.put('db/t/a.parquet', Buffer.from('aaa'));
    await local.put('db/t/b.parquet', Buffer.from('bbb'));
    const c = cache();
    const idle = await c.acquire(['db/t/a.parquet']);
    const idlePath = idle.paths[0] as string;
    idle.release();
    const held = await c.acquire(['db/t/b.parquet']);
    const heldPath = held.paths[0] as string;
    await local.delete('db/t/a.parquet');
    await local.delete('db/t/b.parquet');
    c.discard(['db/t/a.parquet', 'db/t/b.parquet', 'db/t/never-cached.parquet']);
    await gone(idlePath);
    expect(await failureOf(c.acquire(['db/t/a.parquet']))).toMatchObject({ kind: 'NotFound' });
    expect(await failureOf(c.acquire(['db/t/b.parquet']))).toMatchObject({ kind: 'NotFound' });
    expect(await readFile(heldPath, 'utf8')).toBe('bbb');
    held.release();
    await gone(heldPath);
    expect(c.stats()).toMatchObject({ entries: 0, bytesCached: 0 });
  });

  it('shares one download between concurrent acquirers of a key', async () => {
    await local.put('k.parquet', Buffer.from('shared'));
    const c = cache();
    const gate = deferred();
    remote.gate = gate.promise;
    const leases = Promise.all(Array.from({ length: 5 }, () => c.acquire(['k.parquet'])));
    await until(() => remote.downloads.length === 1);
    gate.resolve();
    const all = await leases;
    expect(new Set(all.map((l) => l.paths[0])).size).toBe(1);
    expect(remote.downloads).toEqual(['k.parquet']);
    expect(c.stats()).toMatchObject({ misses: 5, bytesDownloaded: 6 });
    for (const lease of all) lease.release();
  });

  it('bounds how many downloads run at once', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `f${i}.parquet`);
    for (const key of keys) await local.put(key, Buffer.from(key));
    const c = cache(1_000_000, 3);
    const gate = deferred();
    remote.gate = gate.promise;
    const lease = c.acquire(keys);
    await until(() => remote.active === 3);
    gate.resolve();
    const acquired = await lease;
    expect(acquired.paths).toHaveLength(12);
    for (const [i, path] of acquired.paths.entries()) expect(await readFile(path, 'utf8')).toBe(keys[i]);
    expect(remote.maxActive).toBe(3);
    acquired.release();
  });

  it('evicts least recently used entries beyond maxBytes, never one still acquired', async () => {
    for (const key of ['a.bin', 'b.bin', 'c.bin', 'd.bin']) await local.put(key, Buffer.alloc(100, key.charCodeAt(0)));
    const c = cache(250);
    const a = await c.acquire(['a.bin']);
    (await c.acquire(['b.bin'])).release();
    // a is older but pinned; b goes when c arrives.
    const cLease = await c.acquire(['c.bin']);
    expect(c.stats()).toMatchObject({ entries: 2, bytesCached: 200, evictions: 1 });
    expect(await readFile(a.paths[0] as string)).toEqual(Buffer.alloc(100, 'a'.charCodeAt(0)));
    // Everything pinned: the cache may exceed its budget rather than pull files from under a reader.
    const d = await c.acquire(['d.bin']);
    expect(c.stats()).toMatchObject({ entries: 3, bytesCached: 300 });
    a.release();
    expect(c.stats()).toMatchObject({ entries: 2, bytesCached: 200, evictions: 2 });
    await gone(a.paths[0] as string);
    cLease.release();
    d.release();
    // c was used before d, so c is evicted first once a new entry needs room.
    await local.put('e.bin', Buffer.alloc(100, 1));
    (await c.acquire(['e.bin'])).release();
    await gone(cLease.paths[0] as string);
    expect(await readFile(d.paths[0] as string)).toEqual(Buffer.alloc(100, 'd'.charCodeAt(0)));
  });

  it('reuses entries across restarts after checking their size, and refetches a damaged one', async () => {
    await local.put('x.parquet', Buffer.from('xxxx'));
    await local.put('y.parquet', Buffer.from('yyyyyy'));
    const first = cache();
    const lease = await first.acquire(['x.parquet', 'y.parquet']);
    lease.release();
    const [xPath, yPath] = lease.paths as [string, string];
    await truncate(yPath, 2);
    const tmp = join(cacheDir, 'tmp');
    const leftover = join(tmp, `${spawnSync(process.execPath, ['-e', '']).pid}-00ff.tmp`);
    await writeFile(leftover, 'partial download');

    remote.downloads.length = 0;
    const second = cache();
    const again = await second.acquire(['x.parquet', 'y.parquet']);
    expect(again.paths).toEqual([xPath, yPath]);
    expect(await readFile(yPath, 'utf8')).toBe('yyyyyy');
    expect(remote.downloads).toEqual(['y.parquet']);
    expect(remote.heads).toBe(2);
    expect(second.stats()).toMatchObject({ hits: 1, misses: 1, entries: 2, bytesCached: 10 });
    await expect(stat(leftover)).rejects.toMatchObject({ code: 'ENOENT' });
    again.release();
    // Once checked, an entry is not checked again in this run.
    (await second.acquire(['x.parquet'])).release();
    expect(remote.heads).toBe(2);
  });

  it('applies maxBytes to entries found at startup', async () => {
    for (const key of ['1.bin', '2.bin', '3.bin']) await local.put(key, Buffer.alloc(100));
    const big = cache();
    (await big.acquire(['1.bin', '2.bin', '3.bin'])).release();
    const small = cache(150);
    (await small.acquire([])).release();
    expect(small.stats()).toMatchObject({ entries: 1, bytesCached: 100 });
    let files = await readdir(join(cacheDir, 'objects'));
    for (let i = 0; i < 500 && files.length > 1; i++) {
      await new Promise((r) => setTimeout(r, 2));
      files = await readdir(join(cacheDir, 'objects'));
    }
    expect(files).toHaveLength(1);
  });

  it('leaves nothing behind when a download fails, and releases the other keys of the request', async () => {
    await local.put('ok.parquet', Buffer.from('fine'));
    await local.put('bad.parquet', Buffer.from('broken'));
    const c = cache(0);
    remote.gate = Promise.resolve();
    remote.failNext = new StorageError('Temporary', 'connection reset', 'bad.parquet');
    const err = await failureOf(c.acquire(['bad.parquet', 'ok.parquet']));
    expect(err).toMatchObject({ kind: 'Temporary', key: 'bad.parquet' });
    // ok.parquet was fetched but released with the failed request, so a 0-byte budget evicts it.
    await until(() => c.stats().entries === 0);
    expect(await readdir(join(cacheDir, 'tmp'))).toEqual([]);
    const missing = await failureOf(c.acquire(['nope.parquet']));
    expect(missing).toMatchObject({ kind: 'NotFound', key: 'nope.parquet' });
    expect(await readdir(join(cacheDir, 'objects'))).toEqual([]);
  });

  it('an aborted acquire stops waiting and cancels a download nobody else wants', async () => {
    await local.put('slow.parquet', Buffer.from('slow'));
    const c = cache();
    remote.gate = new Promise(() => {});
    const controller = new AbortController();
    const pending = c.acquire(['slow.parquet'], controller.signal);
    await until(() => remote.active === 1);
    controller.abort();
    const err = await failureOf(pending);
    expect((err as Error).name).toBe('AbortError');
    await until(() => remote.active === 0);
    remote.gate = undefined;
    const lease = await c.acquire(['slow.parquet']);
    expect(await readFile(lease.paths[0] as string, 'utf8')).toBe('slow');
    lease.release();
  });
});
