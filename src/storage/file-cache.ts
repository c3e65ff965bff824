// DuckDB reads only local files, so objects are fetched into a cache directory before
// a query reads them. Data files are immutable (DESIGN.md invariant 1), so an entry
// never goes stale: a key is downloaded once and kept until it is evicted.
//
// A store that already keeps objects as local files (the local store) is read in
// place: nothing is copied and nothing is written to the cache directory.
//
// Layout: <dir>/objects/<sha256(key)><ext>   finished entries (ext kept for DuckDB's format sniffing)
//         <dir>/tmp/<pid>-<rand>.tmp         downloads in progress
// One process uses a cache directory at a time; entries survive restarts.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from '../logging/logger.js';
import { errnoCode } from './local/fs-errors.js';
import { exposesLocalFiles } from './local/local-files.js';
import { removeStaleTempFiles, tempFileName } from './local/temp-files.js';
import { StorageError, objectUrl, type ObjectStore } from './object-store.js';

export interface FileCacheOptions {
  readonly store: ObjectStore;
  readonly dir: string;
  /** Entries beyond this are evicted, least recently used first, once nothing holds them. */
  readonly maxBytes: number;
  readonly logger: Logger;
  /** Downloads running at once (default 8). */
  readonly downloadConcurrency?: number;
}

export interface FileCacheLease {
  /** Local paths, in the order of the keys asked for; valid until release(). */
  readonly paths: string[];
  /** Lets the entries be evicted again. Calling it twice is harmless. */
  release(): void;
}

export interface FileCacheStats {
  /** Keys served without a download (including files a local store serves in place). */
  readonly hits: number;
  /** Keys that needed a download (their own or one already running). */
  readonly misses: number;
  readonly bytesDownloaded: number;
  readonly evictions: number;
  readonly entries: number;
  readonly bytesCached: number;
}

interface Entry {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  refs: number;
  /** False for entries found on disk at startup until their size is checked against the store. */
  verified: boolean;
}

interface Download {
  readonly promise: Promise<Entry>;
  readonly controller: AbortController;
  waiters: number;
}

const DEFAULT_DOWNLOAD_CONCURRENCY = 8;
const EXTENSION_PATTERN = /^\.[A-Za-z0-9]{1,16}$/;
const ENTRY_NAME_PATTERN = /^[0-9a-f]{64}(\.[A-Za-z0-9]{1,16})?$/;

function entryName(key: string): string {
  const ext = extname(key);
  return createHash('sha256').update(key).digest('hex') + (EXTENSION_PATTERN.test(ext) ? ext : '');
}

/** Resolves like `promise`, or rejects with the abort reason once `signal` aborts. */
async function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

/** Bounds how many downloads run at once; waiting is cancellable. */
class Semaphore {
  private readonly queue: (() => void)[] = [];
  private active = 0;

  constructor(private readonly limit: number) {}

  async acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(grant);
    });
  }

  release(): void {
    const next = this.queue.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next !== undefined) next();
    else this.active--;
  }
}

export class FileCache {
  private readonly store: ObjectStore;
  private readonly objectsDir: string;
  private readonly tmpDir: string;
  private readonly maxBytes: number;
  private readonly logger: Logger;
  private readonly semaphore: Semaphore;
  /** In least-recently-used order: the first entry is the next to evict. */
  private readonly entries = new Map<string, Entry>();
  private readonly downloads = new Map<string, Download>();
  /** Unlinks of evicted entries still running; a new download of the same name waits for them. */
  private readonly removals = new Map<string, Promise<void>>();
  /** Entries discard() took out of the cache while held; their files go when the last holder lets go. */
  private readonly discarded = new Set<Entry>();
  private ready: Promise<void> | undefined;
  private bytesCached = 0;
  private counters = { hits: 0, misses: 0, bytesDownloaded: 0, evictions: 0 };

  constructor(options: FileCacheOptions) {
    if (!Number.isFinite(options.maxBytes) || options.maxBytes < 0) {
      throw new RangeError(`file cache: maxBytes must be a number >= 0, got ${options.maxBytes}`);
    }
    const concurrency = options.downloadConcurrency ?? DEFAULT_DOWNLOAD_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`file cache: downloadConcurrency must be an integer >= 1, got ${concurrency}`);
    }
    this.store = options.store;
    this.objectsDir = join(options.dir, 'objects');
    this.tmpDir = join(options.dir, 'tmp');
    this.maxBytes = options.maxBytes;
    this.logger = options.logger;
    this.semaphore = new Semaphore(concurrency);
  }

  /**
   * Makes the objects under `keys` available as local files and pins them until
   * release(). Fails with the store's error (NotFound naming the key, ...) if any key
   * cannot be had; then nothing stays pinned.
   */
  async acquire(keys: readonly string[], signal?: AbortSignal): Promise<FileCacheLease> {
    signal?.throwIfAborted();
    const store = this.store;
    if (exposesLocalFiles(store)) {
      const paths = await Promise.all(
        keys.map(async (key) => {
          const path = store.localPath(key);
          const stats = await stat(path).catch(() => undefined);
          if (stats?.isFile() !== true) throw new StorageError('NotFound', `${objectUrl(store, key)} does not exist`, key);
          return path;
        }),
      );
      this.counters.hits += keys.length;
      return { paths, release: () => {} };
    }
    this.ready ??= this.load().catch((err: unknown) => {
      // Let the next acquire try again (the directory may become writable).
      this.ready = undefined;
      throw err;
    });
    await unlessAborted(this.ready, signal);
    const settled = await Promise.allSettled(keys.map((key) => this.acquireOne(key, signal)));
    const acquired = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s) => s.status === 'rejected');
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      for (const entry of acquired) {
        entry.refs--;
        // Unless a fetch of the same object since then owns the file under that name now.
        if (entry.refs === 0 && this.discarded.delete(entry) && !this.entries.has(entry.name) && !this.downloads.has(entry.name)) this.unlinkEntry(entry);
      }
      this.evict();
    };
    if (failed !== undefined) {
      release();
      throw failed.reason;
    }
    this.evict();
    return { paths: acquired.map((e) => e.path), release };
  }

  /**
   * Forgets the entries of objects that were removed from the store, so the next acquire
   * fetches them again (and finds them gone) instead of serving the local copy. Files in
   * use stay on disk until their holders release them.
   */
  discard(keys: readonly string[]): void {
    if (exposesLocalFiles(this.store)) return;
    for (const key of keys) {
      const entry = this.entries.get(entryName(key));
      if (entry === undefined) continue;
      this.entries.delete(entry.name);
      this.bytesCached -= entry.size;
      if (entry.refs === 0) this.unlinkEntry(entry);
      else this.discarded.add(entry);
    }
  }

  stats(): FileCacheStats {
    return { ...this.counters, entries: this.entries.size, bytesCached: this.bytesCached };
  }

  private async acquireOne(key: string, signal: AbortSignal | undefined): Promise<Entry> {
    const name = entryName(key);
    const existing = this.entries.get(name);
    if (existing?.verified === true) {
      this.touch(existing);
      existing.refs++;
      this.counters.hits++;
      return existing;
    }
    let download = this.downloads.get(name);
    if (download === undefined) {
      const controller = new AbortController();
      download = { promise: this.fetch(key, name, existing, controller.signal), controller, waiters: 0 };
      const started = download;
      this.downloads.set(name, started);
      const forget = (): void => {
        if (this.downloads.get(name) === started) this.downloads.delete(name);
      };
      started.promise.then(forget, forget);
    }
    download.waiters++;
    try {
      const entry = await unlessAborted(download.promise, signal);
      if (entry === existing) this.counters.hits++;
      else this.counters.misses++;
      // Pinned in the same turn the download resolved in, so eviction cannot take it first.
      this.touch(entry);
      entry.refs++;
      return entry;
    } finally {
      download.waiters--;
      if (download.waiters === 0 && signal?.aborted === true) {
        // Nobody waits for this download any more: cancel it, and let a later acquirer start afresh.
        download.controller.abort();
        if (this.downloads.get(name) === download) this.downloads.delete(name);
      }
    }
  }

  /** Checks an entry left by an earlier run, or downloads the object. */
  private async fetch(key: string, name: string, existing: Entry | undefined, signal: AbortSignal): Promise<Entry> {
    if (existing !== undefined) {
      const meta = await this.store.head(key);
      if (meta.size === existing.size) {
        existing.verified = true;
        return existing;
      }
      this.logger.warn({ key, cached: existing.size, stored: meta.size }, 'file cache: a cached file has the wrong size; fetching it again');
      this.forget(existing);
    }
    await this.semaphore.acquire(signal);
    const temp = join(this.tmpDir, tempFileName());
    try {
      const meta = await this.store.getFile(key, temp, { signal });
      const { size } = await stat(temp);
      if (size !== meta.size) {
        throw new StorageError('Unexpected', `file cache: downloaded ${size} bytes of ${JSON.stringify(key)}, expected ${meta.size}`, key);
      }
      await this.removals.get(name);
      const path = join(this.objectsDir, name);
      await rename(temp, path);
      const entry: Entry = { name, path, size, refs: 0, verified: true };
      this.entries.set(name, entry);
      this.bytesCached += size;
      this.counters.bytesDownloaded += size;
      return entry;
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    } finally {
      this.semaphore.release();
    }
  }

  /** Reads what an earlier run left: finished entries count toward maxBytes; partial downloads go. */
  private async load(): Promise<void> {
    await mkdir(this.objectsDir, { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
    await removeStaleTempFiles(this.tmpDir);
    const found: (Entry & { mtimeMs: number })[] = [];
    for (const name of await readdir(this.objectsDir)) {
      const path = join(this.objectsDir, name);
      if (!ENTRY_NAME_PATTERN.test(name)) continue;
      try {
        const stats = await stat(path);
        if (stats.isFile()) found.push({ name, path, size: stats.size, refs: 0, verified: false, mtimeMs: stats.mtimeMs });
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
      }
    }
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const { mtimeMs: _mtimeMs, ...entry } of found) {
      this.entries.set(entry.name, entry);
      this.bytesCached += entry.size;
    }
    if (found.length > 0) this.logger.info({ entries: found.length, bytes: this.bytesCached }, 'file cache: reusing entries from an earlier run');
    this.evict();
  }

  private touch(entry: Entry): void {
    this.entries.delete(entry.name);
    this.entries.set(entry.name, entry);
  }

  private evict(): void {
    for (const entry of this.entries.values()) {
      if (this.bytesCached <= this.maxBytes) return;
      if (entry.refs > 0 || this.downloads.has(entry.name)) continue;
      this.forget(entry);
      this.counters.evictions++;
    }
  }

  private forget(entry: Entry): void {
    this.entries.delete(entry.name);
    this.bytesCached -= entry.size;
    this.unlinkEntry(entry);
  }

  private unlinkEntry(entry: Entry): void {
    const removal = unlink(entry.path)
      .catch((err: unknown) => {
        if (errnoCode(err) !== 'ENOENT') this.logger.warn({ path: entry.path, err }, 'file cache: could not remove an evicted file');
      })
      .finally(() => {
        if (this.removals.get(entry.name) === removal) this.removals.delete(entry.name);
      });
    this.removals.set(entry.name, removal);
  }
}
