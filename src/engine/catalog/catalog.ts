// The warehouse-wide catalog: which databases exist, users and roles with their
// grants (and, later, stages, repositories). It is small, so every catalog commit stores the whole
// catalog; opening reads the newest entry.
import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../../storage/object-store.js';
import { keys } from '../../storage/keys.js';
import type { Logger } from '../../logging/logger.js';
import { sqlError } from '../../errors/registry.js';
import { appendEntry, highestSeqByListing, laterOf, readJson, writeJson, CommitConflict } from './log-store.js';
import { Mutex } from '../util/mutex.js';
import type { ExternalTableEntry, StageEntry } from './locations.js';
import type { AccountEntry } from './accounts.js';
import { nameKey } from './names.js';

export { nameKey } from './names.js';

/** Format 2 added purged databases (`dropped.purgedAt`); a catalog without one is written as format 1. */
export const CATALOG_FORMAT = 2;

export interface DatabaseEntry {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** `purgedAt`: VACUUM removed its data after the retention period; it can no longer come back. */
  readonly dropped?: { readonly at: string; readonly purgedAt?: string };
}

export interface CatalogState {
  readonly format: number;
  readonly seq: number;
  readonly timestamp: string;
  readonly user: string;
  readonly operation: string;
  readonly databases: readonly DatabaseEntry[];
  /** Tables whose log and data live at a location of their own ([E]); absent in catalogs from before them. */
  readonly externalTables?: readonly ExternalTableEntry[];
  /** Stages ([E]); absent in catalogs from before them. */
  readonly stages?: readonly StageEntry[];
  /** Users and roles ([H]); absent in catalogs written before they existed. */
  readonly accounts?: readonly AccountEntry[];
}

/**
 * The lowest format that holds the catalog, so a warehouse stays readable (and not
 * silently rewritten without what it cannot represent) by older servers as long as
 * nothing newer is in it: format 2 adds purged databases, external tables, stages and accounts.
 */
function catalogFormat(c: Pick<CatalogState, 'databases' | 'externalTables' | 'stages' | 'accounts'>): number {
  const newer =
    c.databases.some((d) => d.dropped?.purgedAt !== undefined) || (c.externalTables?.length ?? 0) > 0 || (c.stages?.length ?? 0) > 0 || (c.accounts?.length ?? 0) > 0;
  return newer ? 2 : 1;
}

type CatalogChange = Partial<Pick<CatalogState, 'databases' | 'externalTables' | 'stages' | 'accounts'>>;

/** Databend's: exists in every warehouse from the start, and is where a session that names no database works. */
export const DEFAULT_DATABASE = 'default';

export function newId(): string {
  return randomBytes(12).toString('base64url');
}


export function purgedDatabase(db: DatabaseEntry): Error {
  return sqlError(
    'ER_BAD_DB_ERROR',
    `Unknown database '${db.name}': it was dropped at ${(db.dropped?.at ?? '?').replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} and is past its retention period: VACUUM purged it, so it cannot be undropped`,
  );
}

export class Catalog {
  private state: CatalogState;
  private readonly writeLock = new Mutex();

  private constructor(
    private readonly store: ObjectStore,
    private readonly logger: Logger,
    initial: CatalogState,
    private readonly soleWriter: boolean,
    private readonly now: () => Date,
  ) {
    this.state = initial;
  }

  /**
   * `soleWriter`: this process holds the warehouse's writer lease, so its state is the
   * newest there is and re-reading the log before each statement would find nothing.
   */
  static async open(store: ObjectStore, logger: Logger, soleWriter = false, now: () => Date = () => new Date()): Promise<Catalog> {
    const hint = await readJson<{ seq: number }>(store, keys.catalogLatestHint());
    let seq = hint?.seq ?? (await highestSeqByListing(store, keys.catalogLogPrefix(), false));
    let state: CatalogState = {
      format: 1,
      seq: 0,
      timestamp: new Date(0).toISOString(),
      user: '',
      operation: 'INIT',
      databases: [],
    };
    if (seq > 0) {
      const found = await readJson<CatalogState>(store, keys.catalogEntry(seq));
      if (found === undefined) {
        // The hint is only a hint; fall back to the log itself.
        seq = await highestSeqByListing(store, keys.catalogLogPrefix(), false);
      } else {
        if (found.format > CATALOG_FORMAT) throw new Error(`catalog entry ${found.seq} has a newer format (${found.format})`);
        state = found;
      }
    }
    const catalog = new Catalog(store, logger, state, soleWriter, now);
    await catalog.readNewer();
    return catalog;
  }

  current(): CatalogState {
    return this.state;
  }

  async refresh(): Promise<CatalogState> {
    return this.soleWriter ? this.state : this.readNewer();
  }

  private async readNewer(): Promise<CatalogState> {
    for (;;) {
      const next = await readJson<CatalogState>(this.store, keys.catalogEntry(this.state.seq + 1));
      if (next === undefined) return this.state;
      if (next.format > CATALOG_FORMAT) throw new Error(`catalog entry ${next.seq} has a newer format (${next.format})`);
      this.state = next;
    }
  }

  liveDatabase(name: string): DatabaseEntry | undefined {
    const key = nameKey(name);
    return this.state.databases.find((d) => d.dropped === undefined && nameKey(d.name) === key);
  }

  async createDatabase(name: string, user: string, ifNotExists: boolean): Promise<boolean> {
    let created = false;
    await this.commit(user, 'CREATE DATABASE', (s) => {
      if (s.databases.some((d) => d.dropped === undefined && nameKey(d.name) === nameKey(name))) {
        if (ifNotExists) return undefined;
        throw sqlError('ER_DB_CREATE_EXISTS', `Can't create database '${name}'; database exists`);
      }
      created = true;
      return [...s.databases, { id: newId(), name, createdAt: this.now().toISOString() }];
    });
    return created;
  }

  /**
   * Creates the `default` database unless a database of that name ever existed: new
   * warehouses and those written before it existed get one, while one a user dropped
   * stays dropped (UNDROP DATABASE brings it back).
   */
  async ensureDefaultDatabase(): Promise<void> {
    const known = (s: CatalogState): boolean => s.databases.some((d) => nameKey(d.name) === DEFAULT_DATABASE);
    if (known(await this.refresh())) return;
    await this.commit('', 'CREATE DATABASE', (s) =>
      known(s) ? undefined : [...s.databases, { id: newId(), name: DEFAULT_DATABASE, createdAt: new Date().toISOString() }],
    );
  }

  /** Marks the database dropped; its data stays for the retention period. */
  async dropDatabase(name: string, user: string, ifExists: boolean): Promise<DatabaseEntry | undefined> {
    let dropped: DatabaseEntry | undefined;
    await this.commit(user, 'DROP DATABASE', (s) => {
      const target = s.databases.find((d) => d.dropped === undefined && nameKey(d.name) === nameKey(name));
      if (target === undefined) {
        if (ifExists) return undefined;
        throw sqlError('ER_DB_DROP_EXISTS', `Can't drop database '${name}'; database doesn't exist`);
      }
      dropped = target;
      return s.databases.map((d) => (d === target ? { ...d, dropped: { at: this.now().toISOString() } } : d));
    });
    return dropped;
  }

  /** The most recently dropped database of that name (purged or not). */
  lastDropped(name: string): DatabaseEntry | undefined {
    return [...this.state.databases].reverse().find((d) => d.dropped !== undefined && nameKey(d.name) === nameKey(name));
  }

  /**
   * Marks a dropped database purged, when it is still the dropped database `id` and
   * `stillExpired` agrees; false when either changed since the caller looked.
   */
  async purgeDatabase(id: string, user: string, stillExpired: (db: DatabaseEntry) => boolean): Promise<boolean> {
    let purged = false;
    await this.commit(user, 'VACUUM DROP', (s) => {
      const target = s.databases.find((d) => d.id === id);
      if (target?.dropped === undefined || target.dropped.purgedAt !== undefined || !stillExpired(target)) return undefined;
      purged = true;
      const dropped = { ...target.dropped, purgedAt: this.now().toISOString() };
      return s.databases.map((d) => (d === target ? { ...d, dropped } : d));
    });
    return purged;
  }

  /**
   * Brings back the most recently dropped database of that name; `expectedId`: only
   * if that is still this one (the caller checked its retention).
   */
  async undropDatabase(name: string, user: string, expectedId?: string): Promise<DatabaseEntry> {
    let restored: DatabaseEntry | undefined;
    await this.commit(user, 'UNDROP DATABASE', (s) => {
      if (s.databases.some((d) => d.dropped === undefined && nameKey(d.name) === nameKey(name))) {
        throw sqlError('ER_DB_CREATE_EXISTS', `Can't undrop database '${name}'; a database of that name exists`);
      }
      const target = [...s.databases].reverse().find((d) => d.dropped !== undefined && nameKey(d.name) === nameKey(name));
      if (target === undefined) throw sqlError('ER_BAD_DB_ERROR', `Unknown database '${name}': no dropped database of that name`);
      if (expectedId !== undefined && target.id !== expectedId) throw sqlError('ER_LOCK_DEADLOCK', 'Deadlock found when trying to get lock; try restarting transaction');
      if (target.dropped?.purgedAt !== undefined) throw purgedDatabase(target);
      const { dropped: _d, ...live } = target;
      restored = live;
      return s.databases.map((d) => (d === target ? live : d));
    });
    if (restored === undefined) throw new Error('undrop committed nothing');
    return restored;
  }

  // ---- external tables ([E]): the catalog says which exist, under which name, and where

  /** The database's external tables, live and dropped, oldest first. */
  externalTables(dbId: string): readonly ExternalTableEntry[] {
    return (this.state.externalTables ?? []).filter((t) => t.dbId === dbId);
  }

  liveExternalTable(dbId: string, name: string): ExternalTableEntry | undefined {
    return this.externalTables(dbId).find((t) => t.dropped === undefined && nameKey(t.name) === nameKey(name));
  }

  async addExternalTable(entry: ExternalTableEntry, user: string): Promise<void> {
    await this.update(user, 'CREATE TABLE', (s) => {
      const tables = s.externalTables ?? [];
      if (tables.some((t) => t.dbId === entry.dbId && t.dropped === undefined && nameKey(t.name) === nameKey(entry.name))) {
        throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${entry.name}' already exists`);
      }
      return { externalTables: [...tables, entry] };
    });
  }

  /** Marks it dropped (its log and files stay where they are) or live again, or renames it. */
  async changeExternalTable(id: string, user: string, operation: string, change: (t: ExternalTableEntry) => ExternalTableEntry): Promise<void> {
    await this.update(user, operation, (s) => {
      const tables = s.externalTables ?? [];
      const target = tables.find((t) => t.id === id);
      if (target === undefined) throw new Error(`no external table ${id} in the catalog`);
      return { externalTables: tables.map((t) => (t === target ? change(t) : t)) };
    });
  }

  // ---- stages ([E])

  stages(): readonly StageEntry[] {
    return this.state.stages ?? [];
  }

  stage(name: string): StageEntry | undefined {
    return this.stages().find((s) => nameKey(s.name) === nameKey(name));
  }

  /** False when it exists and `ifNotExists` let that pass. */
  async createStage(entry: StageEntry, ifNotExists: boolean): Promise<boolean> {
    let created = false;
    await this.update(entry.creator, 'CREATE STAGE', (s) => {
      const stages = s.stages ?? [];
      if (stages.some((st) => nameKey(st.name) === nameKey(entry.name))) {
        if (ifNotExists) return undefined;
        throw sqlError('ER_WRONG_ARGUMENTS', `Stage '${entry.name}' already exists`);
      }
      created = true;
      return { stages: [...stages, entry] };
    });
    return created;
  }

  /** False when there is no such stage and `ifExists` let that pass. Never touches what is stored at its URL. */
  async dropStage(name: string, user: string, ifExists: boolean): Promise<boolean> {
    let dropped = false;
    await this.update(user, 'DROP STAGE', (s) => {
      const stages = s.stages ?? [];
      if (!stages.some((st) => nameKey(st.name) === nameKey(name))) {
        if (ifExists) return undefined;
        throw sqlError('ER_WRONG_ARGUMENTS', `Unknown stage '${name}'`);
      }
      dropped = true;
      return { stages: stages.filter((st) => nameKey(st.name) !== nameKey(name)) };
    });
    return dropped;
  }

  accounts(): readonly AccountEntry[] {
    return this.state.accounts ?? [];
  }

  /** Applies a change to users and roles; `change` returns undefined to commit nothing. */
  async changeAccounts(
    user: string,
    operation: string,
    change: (accounts: readonly AccountEntry[]) => readonly AccountEntry[] | undefined,
  ): Promise<void> {
    await this.update(user, operation, (s) => {
      const accounts = change(s.accounts ?? []);
      return accounts === undefined ? undefined : { accounts };
    });
  }

  /** Applies a change to the database list; `change` returns undefined to commit nothing. */
  private async commit(
    user: string,
    operation: string,
    change: (s: CatalogState) => readonly DatabaseEntry[] | undefined,
  ): Promise<void> {
    await this.update(user, operation, (s) => {
      const databases = change(s);
      return databases === undefined ? undefined : { databases };
    });
  }

  /**
   * Commits a new catalog with some of its collections replaced (the rest carried over);
   * `change` returns undefined to commit nothing, and runs again on a newer catalog after a conflict.
   */
  private async update(user: string, operation: string, change: (s: CatalogState) => CatalogChange | undefined): Promise<void> {
    await this.writeLock.run(async () => {
      for (let attempt = 0; ; attempt++) {
        const base = await this.refresh();
        const changed = change(base);
        if (changed === undefined) return;
        const next: CatalogState = {
          ...base,
          ...changed,
          format: catalogFormat({ ...base, ...changed }),
          seq: base.seq + 1,
          timestamp: laterOf(this.now(), base.timestamp),
          user,
          operation,
        };
        try {
          await appendEntry(this.store, keys.catalogEntry(next.seq), next.seq, next);
        } catch (err) {
          if (err instanceof CommitConflict && attempt < 8) continue;
          throw err;
        }
        this.state = next;
        await writeJson(this.store, keys.catalogLatestHint(), { seq: next.seq }, false).catch((err: unknown) => {
          this.logger.warn({ err }, 'could not update the catalog hint');
        });
        return;
      }
    });
  }
}
