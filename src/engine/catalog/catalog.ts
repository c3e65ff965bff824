// The warehouse-wide catalog: which databases exist (and, later, users, grants,
// stages, repositories). It is small, so every catalog commit stores the whole
// catalog; opening reads the newest entry.
import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../../storage/object-store.js';
import { keys } from '../../storage/keys.js';
import type { Logger } from '../../logging/logger.js';
import { sqlError } from '../../errors/registry.js';
import { appendEntry, highestSeqByListing, laterOf, readJson, writeJson, CommitConflict } from './log-store.js';
import { Mutex } from '../util/mutex.js';

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
}

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** Names as MySQL compares them here: case-insensitively (lower_case_table_names=2). */
export function nameKey(name: string): string {
  return name.toLowerCase();
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

  /** Applies a change to the database list; `change` returns undefined to commit nothing. */
  private async commit(
    user: string,
    operation: string,
    change: (s: CatalogState) => readonly DatabaseEntry[] | undefined,
  ): Promise<void> {
    await this.writeLock.run(async () => {
      for (let attempt = 0; ; attempt++) {
        const base = await this.refresh();
        const databases = change(base);
        if (databases === undefined) return;
        const next: CatalogState = {
          format: databases.some((d) => d.dropped?.purgedAt !== undefined) ? 2 : 1,
          seq: base.seq + 1,
          timestamp: laterOf(this.now(), base.timestamp),
          user,
          operation,
          databases,
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
