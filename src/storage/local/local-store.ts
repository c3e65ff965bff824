// The embedded warehouse: a directory that keeps versions like an S3 bucket with
// versioning enabled.
//
// Layout under the root:
//   <key>                               the current version of each key, a plain file, so the
//                                       warehouse is browsable and DuckDB reads it in place
//   .versions/format.json               layout marker
//   .versions/tmp/<pid>-<rand>.tmp      writes in progress (same filesystem, so rename is atomic)
//   .versions/keys/<key>/@v<versionId>  every version's bytes; the current one is a hard link
//                                       to <key>, so replacing <key> never frees older bytes
//   .versions/keys/<key>/@d<versionId>  a delete marker
//
// The current file is the truth for "what is current": its inode identifies which
// version entry is the latest. Every write adds its version entry before it renames
// the new file into place, so a crash leaves the old current version (plus, at
// worst, an unacknowledged noncurrent version), never a torn or lost one. A current
// file without a matching entry (put there by hand, or while versioning was off) is
// reported as version 'null', as S3 reports objects stored before versioning, and is
// recorded before anything replaces or deletes it.
import { createReadStream, createWriteStream, constants as fsConstants, type Stats } from 'node:fs';
import {
  copyFile,
  link,
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  rmdir,
  stat,
  unlink,
  writeFile,
  utimes,
} from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { PassThrough, addAbortSignal, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { silentLogger, type Logger } from '../../logging/logger.js';
import {
  StorageError,
  type GetOptions,
  type ListOptions,
  type ListResult,
  type ObjectMeta,
  type ObjectStore,
  type ObjectVersion,
  type Page,
  type PutOptions,
  type StoreCapabilities,
  type VersionRef,
} from '../object-store.js';
import { errnoCode, toStorageError, type FsAccessMode } from './fs-errors.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { LocalFileAccess } from './local-files.js';
import { HIDDEN_DIR, checkKey, compareKeys, escapeSegment } from './local-key.js';
import { ENTRY_MARK, walkCurrentTree, walkHistoryTree, type CurrentEntry, type WalkBound } from './ordered-walk.js';
import { removeStaleTempFiles, tempFileName } from './temp-files.js';
import { NULL_VERSION_ID, VersionIdGenerator, isVersionId, versionIdAt, versionTime } from './version-id.js';

export interface LocalStoreOptions {
  /** Keep earlier versions and delete markers (default true). Off behaves like an unversioned S3 bucket. */
  readonly versioning?: boolean;
  readonly logger?: Logger;
}

const FORMAT_FILE = 'format.json';
const FORMAT = { format: 'ducksafe-local-store', version: 1 } as const;
const VERSION_PREFIX = `${ENTRY_MARK}v`;
const MARKER_PREFIX = `${ENTRY_MARK}d`;
// S3's MaxKeys ceiling, so callers page the same way on every backend.
const MAX_PAGE_SIZE = 1000;
// Keys whose versions deleteVersions removes at once.
const DELETE_CONCURRENCY = 16;
// A directory removed by a concurrent delete between mkdir and rename is recreated this often.
const DIR_RACE_ATTEMPTS = 5;

interface HistoryEntry {
  readonly name: string;
  readonly versionId: string;
  readonly deleteMarker: boolean;
}

type Latest =
  | { readonly kind: 'version'; readonly entry: HistoryEntry }
  | { readonly kind: 'marker'; readonly entry: HistoryEntry }
  | { readonly kind: 'unrecorded' }
  | { readonly kind: 'none' };

interface Resolved {
  readonly path: string;
  readonly stats: Stats;
  readonly versionId?: string;
}

interface Continuation {
  readonly k: string;
  readonly v?: string;
}

function parseEntries(names: readonly string[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const name of names) {
    const deleteMarker = name.startsWith(MARKER_PREFIX);
    if (!deleteMarker && !name.startsWith(VERSION_PREFIX)) continue;
    const versionId = name.slice(VERSION_PREFIX.length);
    if (isVersionId(versionId)) entries.push({ name, versionId, deleteMarker });
  }
  // Newest first.
  return entries.sort((a, b) => (a.versionId < b.versionId ? 1 : a.versionId > b.versionId ? -1 : 0));
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

function encodeContinuation(c: Continuation): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeContinuation(token: string): Continuation {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const { k, v } = parsed as { k?: unknown; v?: unknown };
      if (typeof k === 'string' && (v === undefined || typeof v === 'string')) return v === undefined ? { k } : { k, v };
    }
  } catch {
    // Reported below with the token.
  }
  throw new StorageError('Unexpected', `local store: invalid continuation token ${JSON.stringify(token)}`);
}

function pageSizeOf(options: ListOptions): number {
  const size = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1) {
    throw new StorageError('Unexpected', `local store: page size must be a positive integer, got ${size}`);
  }
  return Math.min(size, MAX_PAGE_SIZE);
}

/** In listVersions order ('null' first, then newest first), does `versionId` come after `after`? */
function versionComesAfter(versionId: string, after: string): boolean {
  if (versionId === NULL_VERSION_ID) return false;
  if (after === NULL_VERSION_ID) return true;
  return versionId < after;
}

async function statIfFile(path: string): Promise<Stats | undefined> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats : undefined;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some filesystems cannot fsync a directory; their renames are as durable as they get.
    if (errnoCode(err) !== 'EINVAL') throw err;
  } finally {
    await handle.close();
  }
}

/**
 * syncDir for the directory a file was just unlinked from: when that left it empty, a
 * delete of another key in it may already have removed it, which is as durable as it gets.
 */
async function syncDirAfterUnlink(dir: string): Promise<void> {
  try {
    await syncDir(dir);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}

async function syncFile(path: string): Promise<number> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // Best effort: a leftover temporary file is removed at the next open.
  }
}

function checkRange(key: string, size: number, range: GetOptions['range']): { start: number; end: number } | undefined {
  if (range === undefined) return undefined;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new StorageError('Unexpected', `local store: invalid range ${start}-${end} for ${JSON.stringify(key)}`, key);
  }
  if (start >= size) {
    throw new StorageError(
      'Unexpected',
      `local store: range ${start}-${end} starts beyond the end of ${JSON.stringify(key)} (${size} bytes)`,
      key,
    );
  }
  return { start, end: Math.min(end, size - 1) };
}

export class LocalStore implements ObjectStore, LocalFileAccess {
  readonly url: string;
  readonly capabilities: StoreCapabilities;
  private readonly tmpDir: string;
  private readonly historyRoot: string;
  private readonly mutex = new KeyedMutex();
  private readonly ids = new VersionIdGenerator();

  private constructor(
    /** Absolute path of the warehouse directory. */
    readonly root: string,
    private readonly versioning: boolean,
    private readonly logger: Logger,
  ) {
    this.url = pathToFileURL(root).href;
    this.capabilities = { versioning, conditionalCreate: true, serverSideCopy: true };
    this.tmpDir = join(root, HIDDEN_DIR, 'tmp');
    this.historyRoot = join(root, HIDDEN_DIR, 'keys');
  }

  static async open(rootDir: string, options: LocalStoreOptions = {}): Promise<LocalStore> {
    const root = resolve(rootDir.startsWith('file:') ? fileURLToPath(rootDir) : rootDir);
    const store = new LocalStore(root, options.versioning ?? true, options.logger ?? silentLogger);
    try {
      await store.prepare();
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOTDIR' || code === 'EEXIST') {
        throw new StorageError('Unexpected', `local store: ${root} is not a directory`, undefined, { cause: err });
      }
      throw toStorageError(err, 'open the warehouse directory', root, 'write');
    }
    return store;
  }

  private async prepare(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.historyRoot, { recursive: true });
    const formatPath = join(this.root, HIDDEN_DIR, FORMAT_FILE);
    try {
      await writeFile(formatPath, `${JSON.stringify(FORMAT)}\n`, { flag: 'wx' });
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      const found: unknown = JSON.parse(await readFile(formatPath, 'utf8'));
      const { format, version } = (found ?? {}) as { format?: unknown; version?: unknown };
      if (format !== FORMAT.format || version !== FORMAT.version) {
        throw new StorageError(
          'Unsupported',
          `local store: ${formatPath} describes an unknown layout (${JSON.stringify(found)}); expected ${JSON.stringify(FORMAT)}`,
        );
      }
    }
    const removed = await removeStaleTempFiles(this.tmpDir);
    if (removed > 0) this.logger.info({ root: this.root, removed }, 'removed temporary files left by interrupted writes');
  }

  /** Where the current version of `key` lives; DuckDB and the file cache read it in place. */
  localPath(key: string): string {
    return join(this.root, ...checkKey(key));
  }

  async put(key: string, body: Uint8Array | Readable, options: PutOptions = {}): Promise<ObjectMeta> {
    const segments = checkKey(key);
    return this.guard('write', key, 'write', async () => {
      const temp = join(this.tmpDir, tempFileName());
      try {
        const size = await this.writeTemp(temp, body, options.signal);
        return await this.commit(key, segments, temp, size, options.ifNoneMatch === true);
      } catch (err) {
        await removeQuietly(temp);
        throw err;
      }
    }, options.signal);
  }

  async putFile(key: string, path: string, options: PutOptions = {}): Promise<ObjectMeta> {
    const segments = checkKey(key);
    return this.guard(`upload ${path} to`, key, 'write', async () => {
      options.signal?.throwIfAborted();
      const temp = join(this.tmpDir, tempFileName());
      try {
        await copyFile(path, temp, fsConstants.COPYFILE_FICLONE | fsConstants.COPYFILE_EXCL);
        const size = await syncFile(temp);
        options.signal?.throwIfAborted();
        return await this.commit(key, segments, temp, size, options.ifNoneMatch === true);
      } catch (err) {
        await removeQuietly(temp);
        throw err;
      }
    }, options.signal);
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const segments = checkKey(key);
    return this.guard(this.readAction(options.versionId), key, 'read', async () => {
      options.signal?.throwIfAborted();
      const { path } = await this.resolve(segments, options.versionId, false);
      const handle = await open(path, 'r');
      try {
        const { size } = await handle.stat();
        const range = checkRange(key, size, options.range);
        if (range === undefined) return await handle.readFile(options.signal === undefined ? {} : { signal: options.signal });
        const buffer = Buffer.alloc(range.end - range.start + 1);
        let filled = 0;
        while (filled < buffer.length) {
          const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, range.start + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === buffer.length ? buffer : buffer.subarray(0, filled);
      } finally {
        await handle.close();
      }
    }, options.signal);
  }

  async getStream(key: string, options: GetOptions = {}): Promise<Readable> {
    const segments = checkKey(key);
    return this.guard(this.readAction(options.versionId), key, 'read', async () => {
      options.signal?.throwIfAborted();
      const { path } = await this.resolve(segments, options.versionId, false);
      const handle = await open(path, 'r');
      let range: { start: number; end: number } | undefined;
      try {
        range = checkRange(key, (await handle.stat()).size, options.range);
      } catch (err) {
        await handle.close();
        throw err;
      }
      const source = handle.createReadStream(range ?? {});
      // Errors while streaming are converted too, and a consumer that stops early closes the file.
      const out = new PassThrough();
      source.on('error', (err) => out.destroy(toStorageError(err, 'read', key, 'read')));
      out.on('close', () => source.destroy());
      source.pipe(out);
      if (options.signal !== undefined) addAbortSignal(options.signal, out);
      return out;
    }, options.signal);
  }

  async getFile(key: string, path: string, options: GetOptions = {}): Promise<ObjectMeta> {
    const segments = checkKey(key);
    return this.guard('download', key, 'read', async () => {
      options.signal?.throwIfAborted();
      const source = await this.resolve(segments, options.versionId, true);
      const range = checkRange(key, source.stats.size, options.range);
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${tempFileName()}`;
      try {
        if (range === undefined) {
          await copyFile(source.path, temp, fsConstants.COPYFILE_FICLONE | fsConstants.COPYFILE_EXCL);
        } else {
          await pipeline(
            createReadStream(source.path, range),
            createWriteStream(temp, { flags: 'wx' }),
            options.signal === undefined ? {} : { signal: options.signal },
          );
        }
        const size = await syncFile(temp);
        await rename(temp, path);
        return this.meta(key, size, source.stats.mtime, source.versionId);
      } catch (err) {
        await removeQuietly(temp);
        throw err;
      }
    }, options.signal);
  }

  async head(key: string, options: { readonly versionId?: string } = {}): Promise<ObjectMeta> {
    const segments = checkKey(key);
    return this.guard(this.readAction(options.versionId), key, 'read', async () => {
      const resolved = await this.resolve(segments, options.versionId, true);
      return this.meta(key, resolved.stats.size, resolved.stats.mtime, resolved.versionId);
    });
  }

  async delete(key: string): Promise<void> {
    const segments = checkKey(key);
    await this.guard('delete', key, 'write', () =>
      this.mutex.run(key, async () => {
        const current = join(this.root, ...segments);
        if (this.versioning) {
          const stats = await statIfFile(current);
          // Nothing current: S3 would stack another marker; one is enough to say "deleted".
          if (stats === undefined) return;
          const hdir = this.historyDir(segments);
          const entries = await this.readEntries(hdir);
          const newest = await this.recordIfUnrecorded(hdir, entries, current, stats);
          const versionId = this.ids.next(newest);
          await this.inDir(hdir, () => writeFile(join(hdir, MARKER_PREFIX + versionId), '', { flag: 'wx' }));
          await syncDir(hdir);
        }
        await this.removeCurrent(current);
      }),
    );
  }

  async deleteVersion(key: string, versionId: string): Promise<void> {
    const segments = checkKey(key);
    await this.guard(`delete version ${versionId} of`, key, 'write', () =>
      this.mutex.run(key, async () => {
        const current = join(this.root, ...segments);
        if (!this.versioning) {
          if (versionId === NULL_VERSION_ID) await this.removeCurrent(current);
          return;
        }
        if (versionId !== NULL_VERSION_ID && !isVersionId(versionId)) return;
        const hdir = this.historyDir(segments);
        const entries = await this.readEntries(hdir);
        const stats = await statIfFile(current);
        const latest = await this.latestOf(hdir, entries, stats);
        if (versionId === NULL_VERSION_ID) {
          if (latest.kind !== 'unrecorded') return;
          await this.makeNewestCurrent(hdir, entries, current);
          return;
        }
        const target = entries.find((e) => e.versionId === versionId);
        if (target === undefined) return;
        const isLatest = (latest.kind === 'version' || latest.kind === 'marker') && latest.entry === target;
        // Promote the next version before dropping this one, so a crash in between leaves it current.
        if (isLatest) await this.makeNewestCurrent(hdir, entries.filter((e) => e !== target), current);
        await unlink(join(hdir, target.name));
        await syncDir(hdir);
        await this.pruneEmptyDirs(hdir, this.historyRoot);
      }),
    );
  }

  async deleteVersions(versions: readonly VersionRef[]): Promise<void> {
    // One key's versions in turn (each removal may promote the next), different keys side by side.
    const byKey = new Map<string, string[]>();
    for (const v of versions) byKey.set(v.key, [...(byKey.get(v.key) ?? []), v.versionId]);
    const queue = [...byKey];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [key, ids] = next;
        for (const id of ids) await this.deleteVersion(key, id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, worker));
  }

  async copy(fromKey: string, toKey: string, options: { readonly versionId?: string } = {}): Promise<ObjectMeta> {
    const fromSegments = checkKey(fromKey);
    const toSegments = checkKey(toKey);
    const source = await this.guard(this.readAction(options.versionId), fromKey, 'read', () =>
      this.resolve(fromSegments, options.versionId, false),
    );
    return this.guard(`copy ${JSON.stringify(fromKey)} to`, toKey, 'write', async () => {
      const temp = join(this.tmpDir, tempFileName());
      try {
        await copyFile(source.path, temp, fsConstants.COPYFILE_FICLONE | fsConstants.COPYFILE_EXCL);
        const size = await syncFile(temp);
        return await this.commit(toKey, toSegments, temp, size, false);
      } catch (err) {
        await removeQuietly(temp);
        throw err;
      }
    });
  }

  async list(options: ListOptions): Promise<ListResult> {
    return this.guard('list', options.prefix, 'read', async () => {
      const pageSize = pageSizeOf(options);
      const after = options.continuation === undefined ? undefined : decodeContinuation(options.continuation).k;
      const bound: WalkBound | undefined = after === undefined ? undefined : { key: after, inclusive: false };
      const items: ObjectMeta[] = [];
      const prefixes: string[] = [];
      let last: string | undefined;
      let more = false;
      for await (const entry of walkCurrentTree(this.root, options.prefix, bound, options.delimiter === true)) {
        if (items.length + prefixes.length === pageSize) {
          more = true;
          break;
        }
        if (entry.kind === 'prefix') {
          prefixes.push(entry.key);
        } else {
          const stats = await statIfFile(entry.path);
          // Deleted since the directory was read.
          if (stats === undefined) continue;
          items.push({ key: entry.key, size: stats.size, lastModified: stats.mtime });
        }
        last = entry.key;
      }
      const page = { items, prefixes };
      return more && last !== undefined ? { ...page, next: encodeContinuation({ k: last }) } : page;
    });
  }

  async listVersions(options: ListOptions): Promise<Page<ObjectVersion>> {
    return this.guard('list versions of', options.prefix, 'read', async () => {
      const pageSize = pageSizeOf(options);
      const resume = options.continuation === undefined ? undefined : decodeContinuation(options.continuation);
      const items: ObjectVersion[] = [];
      let more = false;
      for await (const version of this.versionsUnder(options.prefix, resume, options.delimiter === true)) {
        if (items.length === pageSize) {
          more = true;
          break;
        }
        items.push(version);
      }
      const last = items.at(-1);
      return more && last !== undefined ? { items, next: encodeContinuation({ k: last.key, v: last.versionId }) } : { items };
    });
  }

  async close(): Promise<void> {
    await this.mutex.idle();
  }

  // ---- writing ----

  private async writeTemp(temp: string, body: Uint8Array | Readable, signal: AbortSignal | undefined): Promise<number> {
    signal?.throwIfAborted();
    const handle = await open(temp, 'wx');
    try {
      if (body instanceof Uint8Array) {
        await handle.writeFile(body);
      } else {
        // Aborting destroys the body, which ends the loop even while it waits for data.
        if (signal !== undefined) addAbortSignal(signal, body);
        for await (const chunk of body) {
          const data: unknown = chunk;
          const buffer = typeof data === 'string' ? Buffer.from(data) : (data as Uint8Array);
          for (let offset = 0; offset < buffer.length; ) {
            offset += (await handle.write(buffer, offset, buffer.length - offset)).bytesWritten;
          }
        }
      }
      signal?.throwIfAborted();
      await handle.sync();
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }

  /** Makes the fully written, fsynced `temp` the current version of `key`. */
  private async commit(key: string, segments: string[], temp: string, size: number, ifNoneMatch: boolean): Promise<ObjectMeta> {
    const current = join(this.root, ...segments);
    return this.mutex.run(key, async () => {
      if (!this.versioning) {
        const modified = new Date();
        await utimes(temp, modified, modified);
        await this.place(key, temp, current, ifNoneMatch);
        return this.meta(key, size, modified, undefined);
      }
      const hdir = this.historyDir(segments);
      const entries = await this.readEntries(hdir);
      let newest = entries[0]?.versionId;
      if (ifNoneMatch) {
        // The link in place() is what makes this race-safe; this only fails early.
        if ((await statIfFile(current)) !== undefined) throw this.preconditionFailed(key);
      } else {
        const stats = await statIfFile(current);
        if (stats !== undefined) newest = await this.recordIfUnrecorded(hdir, entries, current, stats);
      }
      const versionId = this.ids.next(newest);
      const modified = new Date(versionTime(versionId));
      await utimes(temp, modified, modified);
      const entryPath = join(hdir, VERSION_PREFIX + versionId);
      await this.inDir(hdir, () => link(temp, entryPath));
      await syncDir(hdir);
      try {
        await this.place(key, temp, current, ifNoneMatch);
      } catch (err) {
        await removeQuietly(entryPath);
        throw err;
      }
      return this.meta(key, size, modified, versionId);
    });
  }

  /** Moves `temp` to the current path: an exclusive link for a conditional create, else a rename. */
  private async place(key: string, temp: string, current: string, ifNoneMatch: boolean): Promise<void> {
    const parent = dirname(current);
    if (ifNoneMatch) {
      try {
        await this.inDir(parent, () => link(temp, current));
      } catch (err) {
        if (errnoCode(err) === 'EEXIST' && (await statIfFile(current)) !== undefined) throw this.preconditionFailed(key);
        throw err;
      }
      await removeQuietly(temp);
    } else {
      await this.inDir(parent, () => rename(temp, current));
    }
    await syncDir(parent);
  }

  /**
   * Gives a current file that has no version entry (written by hand or while versioning
   * was off) an entry, so replacing or deleting it keeps its bytes. Returns the newest
   * version id of the key afterwards.
   */
  private async recordIfUnrecorded(
    hdir: string,
    entries: readonly HistoryEntry[],
    current: string,
    stats: Stats,
  ): Promise<string | undefined> {
    const newest = entries[0]?.versionId;
    if ((await this.latestOf(hdir, entries, stats)).kind !== 'unrecorded') return newest;
    const versionId = versionIdAt(stats.mtimeMs);
    await this.inDir(hdir, () => link(current, join(hdir, VERSION_PREFIX + versionId)));
    await syncDir(hdir);
    return newest === undefined || versionId > newest ? versionId : newest;
  }

  /** Makes the newest of `remaining` current (or removes the current file when that is a marker or nothing). */
  private async makeNewestCurrent(hdir: string, remaining: readonly HistoryEntry[], current: string): Promise<void> {
    const next = remaining[0];
    if (next === undefined || next.deleteMarker) {
      await this.removeCurrent(current);
      return;
    }
    const temp = join(this.tmpDir, tempFileName());
    await link(join(hdir, next.name), temp);
    try {
      await this.inDir(dirname(current), () => rename(temp, current));
    } catch (err) {
      await removeQuietly(temp);
      throw err;
    }
    await syncDir(dirname(current));
  }

  private async removeCurrent(current: string): Promise<void> {
    try {
      await unlink(current);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw err;
    }
    await syncDirAfterUnlink(dirname(current));
    await this.pruneEmptyDirs(dirname(current), this.root);
  }

  /**
   * Runs `fn` (a link or rename into `dir`) after creating `dir`. A concurrent delete
   * may remove an emptied directory between the two steps, or while mkdir -p is still
   * creating the levels below it; then it is created again.
   */
  private async inDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ensureDir(dir);
        return await fn();
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT' || attempt >= DIR_RACE_ATTEMPTS) throw err;
      }
    }
  }

  /** mkdir -p, then fsyncs the parent of every directory it created so the new names survive a crash. */
  private async ensureDir(dir: string): Promise<void> {
    const first = await mkdir(dir, { recursive: true });
    if (first === undefined) return;
    for (let created = dir; ; created = dirname(created)) {
      await syncDir(dirname(created));
      if (created === first || dirname(created) === created) break;
    }
  }

  /** Removes directories left empty, from `dir` up to (not including) `stop`. */
  private async pruneEmptyDirs(dir: string, stop: string): Promise<void> {
    for (let current = dir; current.startsWith(stop + sep); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        // Not empty (the usual case), or already gone: either way, stop here.
        return;
      }
    }
  }

  // ---- reading ----

  private historyDir(segments: readonly string[]): string {
    return join(this.historyRoot, ...segments.map(escapeSegment));
  }

  private async readEntries(hdir: string): Promise<HistoryEntry[]> {
    try {
      return parseEntries(await readdir(hdir));
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw err;
    }
  }

  /** Which entry is the latest: the one sharing the current file's inode, else a newest delete marker. */
  private async latestOf(hdir: string, entries: readonly HistoryEntry[], current: Stats | undefined): Promise<Latest> {
    if (current === undefined) {
      const newest = entries[0];
      return newest?.deleteMarker === true ? { kind: 'marker', entry: newest } : { kind: 'none' };
    }
    for (const entry of entries) {
      if (entry.deleteMarker) continue;
      const stats = await statIfFile(join(hdir, entry.name));
      if (stats !== undefined && sameFile(stats, current)) return { kind: 'version', entry };
    }
    return { kind: 'unrecorded' };
  }

  /**
   * Finds the file holding a version. Reading the current version by its key does not
   * need the version id, so `withVersionId` false skips looking it up.
   */
  private async resolve(segments: readonly string[], versionId: string | undefined, withVersionId: boolean): Promise<Resolved> {
    const current = join(this.root, ...segments);
    const notFound = (): StorageError =>
      new StorageError('NotFound', `local store: ${this.describe(segments.join('/'), versionId)} not found`, segments.join('/'));
    if (!this.versioning) {
      if (versionId !== undefined && versionId !== NULL_VERSION_ID) throw notFound();
      const stats = await statIfFile(current);
      if (stats === undefined) throw notFound();
      return { path: current, stats };
    }
    if (versionId === undefined || versionId === NULL_VERSION_ID) {
      const stats = await statIfFile(current);
      if (stats === undefined) throw notFound();
      if (versionId === undefined && !withVersionId) return { path: current, stats };
      const hdir = this.historyDir(segments);
      const latest = await this.latestOf(hdir, await this.readEntries(hdir), stats);
      if (latest.kind === 'version') {
        if (versionId === NULL_VERSION_ID) throw notFound();
        // The entry is the same file under a name nothing replaces.
        return { path: join(hdir, latest.entry.name), stats, versionId: latest.entry.versionId };
      }
      return { path: current, stats, versionId: NULL_VERSION_ID };
    }
    if (!isVersionId(versionId)) throw notFound();
    const path = join(this.historyDir(segments), VERSION_PREFIX + versionId);
    const stats = await statIfFile(path);
    if (stats === undefined) throw notFound();
    return { path, stats, versionId };
  }

  private async *versionsUnder(prefix: string, resume: Continuation | undefined, delimiter: boolean): AsyncGenerator<ObjectVersion> {
    const bound: WalkBound | undefined =
      resume === undefined ? undefined : { key: resume.k, inclusive: resume.v !== undefined };
    const currents = walkCurrentTree(this.root, prefix, bound, delimiter);
    const nextCurrent = async (): Promise<CurrentEntry | undefined> => {
      for (;;) {
        const step = await currents.next();
        if (step.done === true) return undefined;
        if (step.value.kind === 'object') return step.value;
      }
    };
    if (!this.versioning) {
      try {
        for (let entry = await nextCurrent(); entry !== undefined; entry = await nextCurrent()) {
          const stats = await statIfFile(entry.path);
          if (stats === undefined) continue;
          if (resume?.v !== undefined && entry.key === resume.k) continue;
          yield { key: entry.key, versionId: NULL_VERSION_ID, isLatest: true, isDeleteMarker: false, size: stats.size, lastModified: stats.mtime };
        }
      } finally {
        await currents.return(undefined);
      }
      return;
    }
    const histories = walkHistoryTree(this.historyRoot, prefix, bound, delimiter);
    try {
      let history = await histories.next();
      let current = await nextCurrent();
      while (history.done !== true || current !== undefined) {
        const historyKey = history.done === true ? undefined : history.value.key;
        const key =
          historyKey === undefined
            ? (current as CurrentEntry).key
            : current === undefined || compareKeys(historyKey, current.key) <= 0
              ? historyKey
              : current.key;
        const leaf = history.done !== true && history.value.key === key ? history.value : undefined;
        const file = current?.key === key ? current : undefined;
        const segments = key.split('/');
        const versions = await this.versionsOfKey(
          key,
          leaf?.dir ?? this.historyDir(segments),
          parseEntries(leaf?.entryNames ?? []),
          file === undefined ? undefined : await statIfFile(file.path),
        );
        for (const version of versions) {
          if (resume?.v !== undefined && key === resume.k && !versionComesAfter(version.versionId, resume.v)) continue;
          yield version;
        }
        if (leaf !== undefined) history = await histories.next();
        if (file !== undefined) current = await nextCurrent();
      }
    } finally {
      await histories.return(undefined);
      await currents.return(undefined);
    }
  }

  private async versionsOfKey(
    key: string,
    hdir: string,
    entries: readonly HistoryEntry[],
    current: Stats | undefined,
  ): Promise<ObjectVersion[]> {
    const versions: ObjectVersion[] = [];
    let latestFound = false;
    for (const entry of entries) {
      if (entry.deleteMarker) {
        const isLatest: boolean = current === undefined && !latestFound && versions.length === 0;
        latestFound ||= isLatest;
        versions.push({ key, versionId: entry.versionId, isLatest, isDeleteMarker: true, size: 0, lastModified: new Date(versionTime(entry.versionId)) });
        continue;
      }
      const stats = await statIfFile(join(hdir, entry.name));
      if (stats === undefined) continue;
      const isLatest: boolean = current !== undefined && !latestFound && sameFile(stats, current);
      latestFound ||= isLatest;
      versions.push({ key, versionId: entry.versionId, isLatest, isDeleteMarker: false, size: stats.size, lastModified: stats.mtime });
    }
    if (current !== undefined && !latestFound) {
      versions.unshift({ key, versionId: NULL_VERSION_ID, isLatest: true, isDeleteMarker: false, size: current.size, lastModified: current.mtime });
    }
    return versions;
  }

  // ---- small helpers ----

  private meta(key: string, size: number, lastModified: Date, versionId: string | undefined): ObjectMeta {
    return versionId === undefined || !this.versioning ? { key, size, lastModified } : { key, size, lastModified, versionId };
  }

  private preconditionFailed(key: string): StorageError {
    return new StorageError('PreconditionFailed', `local store: ${JSON.stringify(key)} already exists`, key);
  }

  private describe(key: string, versionId: string | undefined): string {
    return versionId === undefined ? JSON.stringify(key) : `version ${versionId} of ${JSON.stringify(key)}`;
  }

  private readAction(versionId: string | undefined): string {
    return versionId === undefined ? 'read' : `read version ${versionId} of`;
  }

  private async guard<T>(action: string, key: string, mode: FsAccessMode, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // Whatever an aborted operation threw, the caller asked for it: pass it on as is.
      if (signal?.aborted === true) throw err;
      throw toStorageError(err, action, key, mode);
    }
  }
}

/** Opens (creating if needed) a local warehouse directory, given as a path or a file: URL. */
export function openLocalStore(rootDir: string, options: LocalStoreOptions = {}): Promise<LocalStore> {
  return LocalStore.open(rootDir, options);
}

