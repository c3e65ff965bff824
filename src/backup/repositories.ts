// Backup repositories: named locations (S3 or a local directory) that snapshots are
// stored in. Their definitions live in the warehouse, in a small log of their own
// beside the catalog (each entry holds the whole list), so they survive restarts and
// travel with the warehouse. Credentials are kept there because jobs need them after a
// restart; they never appear in SHOW output or in logs. So is a repository's own
// encryption key ("encryption_key"): with one, every object written to the repository
// (marker, manifests, data copies) is sealed with AES-256-GCM by this server.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqlError } from '../errors/registry.js';
import type { Logger } from '../logging/logger.js';
import { appendEntry, CommitConflict, highestSeqByListing, readJson, writeJson } from '../engine/catalog/log-store.js';
import { Mutex } from '../engine/util/mutex.js';
import { isStorageError, listAll, type ObjectStore } from '../storage/object-store.js';
import { encrypted, looksEncrypted, parseEncryptionKey, sealedWith } from '../storage/encrypted-store.js';
import { keys, repositoryKeys } from '../storage/keys.js';
import type { BackupAdminStatement, Properties } from '../sql/backup-statement.js';
import { checkProperties, s3Settings, type S3Settings } from './properties.js';

export const REPOSITORY_LOG_FORMAT = 1;
export const REPOSITORY_FORMAT = 1;

export interface RepositoryRecord {
  /** RepoId: numbered from 1, never reused. */
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
  readonly readOnly: boolean;
  readonly storage: 's3' | 'local';
  /** As written in ON LOCATION. */
  readonly location: string;
  readonly s3?: S3Settings;
  /** The repository's AES-256 key (hex), when its objects are encrypted. A secret. */
  readonly encryptionKey?: string;
}

/** The property that makes a repository encrypted; fixed at CREATE REPOSITORY. */
export const ENCRYPTION_KEY_PROPERTY = 'encryption_key';

interface RepositoryLogEntry {
  readonly format: number;
  readonly seq: number;
  readonly timestamp: string;
  readonly user: string;
  readonly operation: string;
  readonly nextId: number;
  readonly repositories: readonly RepositoryRecord[];
}

/** Where a repository is, for the store factory main.ts provides. */
export type RepositoryLocation =
  | { readonly kind: 'local'; readonly path: string; readonly readOnly: boolean }
  | { readonly kind: 's3'; readonly url: string; readonly readOnly: boolean; readonly settings: S3Settings };

/** Opens (and checks) the store behind a repository location; errors name what failed. */
export type OpenRepositoryStore = (location: RepositoryLocation) => Promise<ObjectStore>;

interface RepositoryMarker {
  readonly format: number;
  readonly createdAt: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function repositoryLocation(record: Pick<RepositoryRecord, 'storage' | 'location' | 'readOnly' | 's3'>): RepositoryLocation {
  if (record.storage === 'local') {
    const path = record.location.startsWith('file://') ? record.location.slice('file://'.length) : record.location;
    return { kind: 'local', path, readOnly: record.readOnly };
  }
  return { kind: 's3', url: record.location, readOnly: record.readOnly, settings: record.s3 ?? {} };
}

function checkLocation(storage: 's3' | 'local', location: string): void {
  if (storage === 's3') {
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(location)) {
      throw sqlError('ER_WRONG_ARGUMENTS', `Invalid S3 repository location "${location}": expected s3://bucket/prefix`);
    }
    return;
  }
  const path = location.startsWith('file://') ? location.slice('file://'.length) : location;
  if (!path.startsWith('/')) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Invalid local repository location "${location}": expected file:///absolute/path`);
  }
}

/** Splits "encryption_key" (parsed, as hex) from the other properties of CREATE REPOSITORY. */
function takeEncryptionKey(properties: Properties): { encryptionKey: string | undefined; rest: Properties } {
  const given = properties.filter(([k]) => k === ENCRYPTION_KEY_PROPERTY);
  if (given.length > 1) throw sqlError('ER_WRONG_ARGUMENTS', `Property "${ENCRYPTION_KEY_PROPERTY}" is given twice in CREATE REPOSITORY`);
  const rest = properties.filter(([k]) => k !== ENCRYPTION_KEY_PROPERTY);
  const value = given[0]?.[1];
  if (value === undefined) return { encryptionKey: undefined, rest };
  try {
    return { encryptionKey: parseEncryptionKey(value).toString('hex'), rest };
  } catch (err) {
    // The message names the expected form, never the value: it is a secret.
    throw sqlError('ER_WRONG_ARGUMENTS', `Property "${ENCRYPTION_KEY_PROPERTY}" is invalid: ${(err as Error).message}`);
  }
}

/**
 * The repository's store, sealing every object when it has a key. The layer exposes no
 * server-side copy, so objects always stream through this server between the warehouse
 * and an encrypted repository: they are decrypted with one key and sealed with the other,
 * even when both keys are equal (each object then still gets its own nonce).
 */
function withRepositoryKey(store: ObjectStore, hexKey: string | undefined): ObjectStore {
  if (hexKey === undefined) return store;
  return encrypted(store, Buffer.from(hexKey, 'hex'), { store: 'the repository', setting: `repository "${ENCRYPTION_KEY_PROPERTY}"` });
}

/** An existing repository's marker tells whether the key given (or its absence) fits it. */
async function checkKeyAgainstMarker(raw: ObjectStore, name: string, draft: Pick<RepositoryRecord, 'location' | 'encryptionKey'>): Promise<void> {
  let marker: Uint8Array;
  try {
    marker = await raw.get(repositoryKeys.marker());
  } catch (err) {
    if (isStorageError(err, 'NotFound')) return;
    throw err;
  }
  const where = `Repository '${name}' at ${draft.location}`;
  if (draft.encryptionKey === undefined) {
    if (looksEncrypted(marker)) throw sqlError('ER_WRONG_ARGUMENTS', `${where} is encrypted: give its key as PROPERTIES ("${ENCRYPTION_KEY_PROPERTY}" = "...")`);
    return;
  }
  if (!looksEncrypted(marker)) throw sqlError('ER_WRONG_ARGUMENTS', `${where} is not encrypted: create it without "${ENCRYPTION_KEY_PROPERTY}"`);
  if (!sealedWith(Buffer.from(draft.encryptionKey, 'hex'), marker)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `${where} was encrypted with a different key: wrong "${ENCRYPTION_KEY_PROPERTY}"`);
  }
}

/**
 * A local repository may not overlap a local warehouse's directory: its writes would be
 * objects the warehouse never committed, and the warehouse's would appear in it.
 */
function checkOutsideWarehouse(warehouse: ObjectStore, location: string): void {
  if (!warehouse.url.startsWith('file:')) return;
  const root = path.resolve(fileURLToPath(warehouse.url));
  const repo = path.resolve(location.startsWith('file://') ? location.slice('file://'.length) : location);
  const inside = (dir: string, of: string): boolean => dir === of || dir.startsWith(of.endsWith(path.sep) ? of : of + path.sep);
  if (inside(repo, root) || inside(root, repo)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Invalid local repository location "${location}": it overlaps the warehouse directory`);
  }
}

/** A storage failure while reaching a repository, as the client should read it. */
export function repositoryError(name: string, location: string, err: unknown): Error {
  if (!isStorageError(err)) return err instanceof Error ? err : new Error(String(err));
  const hint =
    err.kind === 'AccessDenied'
      ? ' (check "s3.access_key" and "s3.secret_key": ALTER REPOSITORY can change them)'
      : err.kind === 'BucketMissing'
        ? ' (the bucket does not exist)'
        : err.kind === 'Temporary'
          ? ' (is the endpoint reachable?)'
          : '';
  return sqlError('ER_STORAGE_ERROR', `Repository '${name}' at ${location} cannot be used: ${err.message}${hint}`, err);
}

export class Repositories {
  private state: RepositoryLogEntry;
  private readonly writeLock = new Mutex();
  private readonly stores = new Map<number, Promise<ObjectStore>>();
  /** Stores replaced by ALTER: jobs may still hold them, so they close with the service. */
  private readonly retired: Promise<ObjectStore>[] = [];
  /** The last failure to reach each repository, for SHOW REPOSITORIES' ErrMsg. */
  private readonly errors = new Map<number, string>();

  private constructor(
    private readonly warehouse: ObjectStore,
    private readonly open: OpenRepositoryStore,
    private readonly logger: Logger,
    initial: RepositoryLogEntry,
  ) {
    this.state = initial;
  }

  static async load(warehouse: ObjectStore, open: OpenRepositoryStore, logger: Logger): Promise<Repositories> {
    const seq = await highestSeqByListing(warehouse, keys.repositoryLogPrefix(), false);
    const empty: RepositoryLogEntry = {
      format: REPOSITORY_LOG_FORMAT,
      seq: 0,
      timestamp: new Date(0).toISOString(),
      user: '',
      operation: 'INIT',
      nextId: 1,
      repositories: [],
    };
    const found = seq > 0 ? await readJson<RepositoryLogEntry>(warehouse, keys.repositoryLogEntry(seq)) : undefined;
    if (found !== undefined && found.format > REPOSITORY_LOG_FORMAT) {
      throw new Error(`repository log entry ${seq} has a newer format (${found.format})`);
    }
    const repos = new Repositories(warehouse, open, logger, found ?? empty);
    await repos.refresh();
    return repos;
  }

  /** Picks up changes other servers on this warehouse made. */
  async refresh(): Promise<void> {
    for (;;) {
      const next = await readJson<RepositoryLogEntry>(this.warehouse, keys.repositoryLogEntry(this.state.seq + 1));
      if (next === undefined) return;
      if (next.format > REPOSITORY_LOG_FORMAT) throw new Error(`repository log entry ${next.seq} has a newer format (${next.format})`);
      this.forgetChanged(next);
      this.state = next;
    }
  }

  list(): readonly RepositoryRecord[] {
    return this.state.repositories;
  }

  find(name: string): RepositoryRecord | undefined {
    return this.state.repositories.find((r) => sameName(r.name, name));
  }

  get(name: string): RepositoryRecord {
    const found = this.find(name);
    if (found === undefined) throw sqlError('ER_WRONG_ARGUMENTS', `Unknown repository '${name}'`);
    return found;
  }

  errorOf(id: number): string {
    return this.errors.get(id) ?? '';
  }

  /** The repository's store, opened once; a failure is remembered for SHOW REPOSITORIES and thrown clearly. */
  async store(record: RepositoryRecord): Promise<ObjectStore> {
    let opening = this.stores.get(record.id);
    if (opening === undefined) {
      opening = this.openRecord(record);
      this.stores.set(record.id, opening);
      opening.catch(() => {
        if (this.stores.get(record.id) === opening) this.stores.delete(record.id);
      });
    }
    try {
      const store = await opening;
      this.errors.delete(record.id);
      return store;
    } catch (err) {
      const clear = repositoryError(record.name, record.location, err);
      this.noteError(record.id, clear.message);
      throw clear;
    }
  }

  noteError(id: number, message: string): void {
    this.errors.set(id, message);
  }

  /** Checks that a repository answers (SHOW REPOSITORIES); the error text, or '' when it is fine. */
  async ping(record: RepositoryRecord): Promise<string> {
    try {
      const store = await this.store(record);
      await store.list({ prefix: repositoryKeys.snapshotsPrefix(), pageSize: 1 });
      this.errors.delete(record.id);
      return '';
    } catch (err) {
      const clear = repositoryError(record.name, record.location, err);
      this.noteError(record.id, clear.message);
      return clear.message;
    }
  }

  async create(statement: Extract<BackupAdminStatement, { kind: 'createRepository' }>, user: string, now: Date): Promise<RepositoryRecord> {
    if (!NAME.test(statement.name)) throw sqlError('ER_WRONG_ARGUMENTS', `Invalid repository name '${statement.name}'`);
    checkLocation(statement.storage, statement.location);
    if (statement.storage === 'local') checkOutsideWarehouse(this.warehouse, statement.location);
    const { encryptionKey, rest } = takeEncryptionKey(statement.properties);
    let s3: S3Settings | undefined;
    if (statement.storage === 's3') s3 = s3Settings(rest, 'CREATE REPOSITORY');
    else checkProperties(rest, [], 'a LOCAL repository');
    await this.refresh();
    if (this.find(statement.name) !== undefined) throw sqlError('ER_WRONG_ARGUMENTS', `Repository '${statement.name}' already exists`);
    const draft = {
      storage: statement.storage,
      location: statement.location,
      readOnly: statement.readOnly,
      ...(s3 === undefined ? {} : { s3 }),
      ...(encryptionKey === undefined ? {} : { encryptionKey }),
    };
    const store = await this.check(statement.name, draft, now);
    let created: RepositoryRecord | undefined;
    try {
      await this.commit(user, 'CREATE REPOSITORY', (state) => {
        if (state.repositories.some((r) => sameName(r.name, statement.name))) {
          throw sqlError('ER_WRONG_ARGUMENTS', `Repository '${statement.name}' already exists`);
        }
        created = { id: state.nextId, name: statement.name, createdAt: now.toISOString(), ...draft };
        return { nextId: state.nextId + 1, repositories: [...state.repositories, created] };
      });
    } catch (err) {
      await store.close();
      throw err;
    }
    if (created === undefined) throw new Error('CREATE REPOSITORY committed nothing');
    this.stores.set(created.id, Promise.resolve(store));
    return created;
  }

  /** ALTER REPOSITORY: new S3 settings, checked against the store before they are kept. */
  async alter(name: string, properties: Properties, user: string, now: Date): Promise<void> {
    await this.refresh();
    const record = this.get(name);
    if (record.storage !== 's3') throw sqlError('ER_NOT_SUPPORTED_YET', `Repository '${record.name}' is LOCAL: it has no properties to change`);
    const s3 = s3Settings(properties, 'ALTER REPOSITORY', record.s3 ?? {});
    const store = await this.check(record.name, { ...record, s3 }, now);
    try {
      await this.commit(user, 'ALTER REPOSITORY', (state) => {
        if (!state.repositories.some((r) => r.id === record.id)) throw sqlError('ER_WRONG_ARGUMENTS', `Unknown repository '${name}'`);
        return { nextId: state.nextId, repositories: state.repositories.map((r) => (r.id === record.id ? { ...r, s3 } : r)) };
      });
    } catch (err) {
      await store.close();
      throw err;
    }
    const old = this.stores.get(record.id);
    if (old !== undefined) this.retired.push(old);
    this.stores.set(record.id, Promise.resolve(store));
    this.errors.delete(record.id);
  }

  async drop(name: string, user: string): Promise<RepositoryRecord> {
    await this.refresh();
    const record = this.get(name);
    await this.commit(user, 'DROP REPOSITORY', (state) => {
      if (!state.repositories.some((r) => r.id === record.id)) throw sqlError('ER_WRONG_ARGUMENTS', `Unknown repository '${name}'`);
      return { nextId: state.nextId, repositories: state.repositories.filter((r) => r.id !== record.id) };
    });
    const old = this.stores.get(record.id);
    this.stores.delete(record.id);
    this.errors.delete(record.id);
    if (old !== undefined) this.retired.push(old);
    return record;
  }

  async close(): Promise<void> {
    const all = [...this.stores.values(), ...this.retired];
    this.stores.clear();
    this.retired.length = 0;
    for (const opening of all) {
      try {
        await (await opening).close();
      } catch {
        // A store that never opened has nothing to close.
      }
    }
  }

  /** Opens the location and makes sure it is (or becomes) a ducksafe repository. */
  private async check(
    name: string,
    draft: Pick<RepositoryRecord, 'storage' | 'location' | 'readOnly' | 's3' | 'encryptionKey'>,
    now: Date,
  ): Promise<ObjectStore> {
    let raw: ObjectStore;
    try {
      raw = await this.open(repositoryLocation(draft));
    } catch (err) {
      throw repositoryError(name, draft.location, err);
    }
    const store = withRepositoryKey(raw, draft.encryptionKey);
    try {
      await checkKeyAgainstMarker(raw, name, draft);
      const marker = await readJson<RepositoryMarker>(store, repositoryKeys.marker());
      if (marker !== undefined && marker.format > REPOSITORY_FORMAT) {
        throw sqlError('ER_NOT_SUPPORTED_YET', `Repository '${name}' at ${draft.location} has format ${marker.format}; this server reads up to ${REPOSITORY_FORMAT}`);
      }
      if (marker === undefined && draft.readOnly) {
        // A READ ONLY repository may be empty, but it must be readable.
        for await (const _o of listAll(store, repositoryKeys.snapshotsPrefix())) break;
      }
      if (marker === undefined && !draft.readOnly) {
        await writeJson(store, repositoryKeys.marker(), { format: REPOSITORY_FORMAT, createdAt: now.toISOString() } satisfies RepositoryMarker, false);
      }
      return store;
    } catch (err) {
      await store.close();
      throw repositoryError(name, draft.location, err);
    }
  }

  private async commit(
    user: string,
    operation: string,
    change: (state: RepositoryLogEntry) => Pick<RepositoryLogEntry, 'nextId' | 'repositories'>,
  ): Promise<void> {
    await this.writeLock.run(async () => {
      for (let attempt = 0; ; attempt++) {
        await this.refresh();
        const base = this.state;
        const next: RepositoryLogEntry = {
          format: REPOSITORY_LOG_FORMAT,
          seq: base.seq + 1,
          timestamp: new Date().toISOString(),
          user,
          operation,
          ...change(base),
        };
        try {
          await appendEntry(this.warehouse, keys.repositoryLogEntry(next.seq), next.seq, next);
        } catch (err) {
          if (err instanceof CommitConflict && attempt < 8) continue;
          throw err;
        }
        this.state = next;
        this.logger.info({ operation, repositories: next.repositories.map((r) => r.name) }, 'backup repositories changed');
        return;
      }
    });
  }

  private async openRecord(record: RepositoryRecord): Promise<ObjectStore> {
    return withRepositoryKey(await this.open(repositoryLocation(record)), record.encryptionKey);
  }

  /** Stores of repositories another server changed or dropped are reopened on next use. */
  private forgetChanged(next: RepositoryLogEntry): void {
    for (const old of this.state.repositories) {
      const now = next.repositories.find((r) => r.id === old.id);
      if (now === undefined || JSON.stringify(now) !== JSON.stringify(old)) {
        const store = this.stores.get(old.id);
        if (store !== undefined) this.retired.push(store);
        this.stores.delete(old.id);
      }
    }
  }
}
