// The warehouse-wide catalog: which databases exist, users and roles with their
// grants (and, later, stages, repositories). It is small, so every catalog commit stores the whole
// catalog; opening reads the newest entry.
import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../../storage/object-store.js';
import { keys } from '../../storage/keys.js';
import type { Logger } from '../../logging/logger.js';
import { sqlError } from '../../errors/registry.js';
import { appendEntry, highestSeqByListing, readJson, writeJson, CommitConflict } from './log-store.js';
import { Mutex } from '../util/mutex.js';
import type { AccountEntry } from './accounts.js';
import { nameKey } from './names.js';

export { nameKey } from './names.js';

export const CATALOG_FORMAT = 1;

export interface DatabaseEntry {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly dropped?: { readonly at: string };
}

export interface CatalogState {
  readonly format: number;
  readonly seq: number;
  readonly timestamp: string;
  readonly user: string;
  readonly operation: string;
  readonly databases: readonly DatabaseEntry[];
  /** Users and roles ([H]); absent in catalogs written before they existed. */
  readonly accounts?: readonly AccountEntry[];
}

export function newId(): string {
  return randomBytes(12).toString('base64url');
}


export class Catalog {
  private state: CatalogState;
  private readonly writeLock = new Mutex();

  private constructor(
    private readonly store: ObjectStore,
    private readonly logger: Logger,
    initial: CatalogState,
    private readonly soleWriter: boolean,
  ) {
    this.state = initial;
  }

  /**
   * `soleWriter`: this process holds the warehouse's writer lease, so its state is the
   * newest there is and re-reading the log before each statement would find nothing.
   */
  static async open(store: ObjectStore, logger: Logger, soleWriter = false): Promise<Catalog> {
    const hint = await readJson<{ seq: number }>(store, keys.catalogLatestHint());
    let seq = hint?.seq ?? (await highestSeqByListing(store, keys.catalogLogPrefix(), false));
    let state: CatalogState = {
      format: CATALOG_FORMAT,
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
      } else state = found;
    }
    const catalog = new Catalog(store, logger, state, soleWriter);
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
      return [...s.databases, { id: newId(), name, createdAt: new Date().toISOString() }];
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
      return s.databases.map((d) => (d === target ? { ...d, dropped: { at: new Date().toISOString() } } : d));
    });
    return dropped;
  }

  /** Brings back the most recently dropped database of that name. */
  async undropDatabase(name: string, user: string): Promise<DatabaseEntry> {
    let restored: DatabaseEntry | undefined;
    await this.commit(user, 'UNDROP DATABASE', (s) => {
      if (s.databases.some((d) => d.dropped === undefined && nameKey(d.name) === nameKey(name))) {
        throw sqlError('ER_DB_CREATE_EXISTS', `Can't undrop database '${name}'; a database of that name exists`);
      }
      const target = [...s.databases].reverse().find((d) => d.dropped !== undefined && nameKey(d.name) === nameKey(name));
      if (target === undefined) throw sqlError('ER_BAD_DB_ERROR', `Unknown database '${name}': no dropped database of that name`);
      const { dropped: _d, ...live } = target;
      restored = live;
      return s.databases.map((d) => (d === target ? live : d));
    });
    if (restored === undefined) throw new Error('undrop committed nothing');
    return restored;
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
    await this.commitState(user, operation, (s) => {
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
    await this.commitState(user, operation, (s) => {
      const databases = change(s);
      return databases === undefined ? undefined : { databases };
    });
  }

  /** Commits the newest state with `change`'s fields replaced; every other field carries over. */
  private async commitState(
    user: string,
    operation: string,
    change: (s: CatalogState) => Partial<Pick<CatalogState, 'databases' | 'accounts'>> | undefined,
  ): Promise<void> {
    await this.writeLock.run(async () => {
      for (let attempt = 0; ; attempt++) {
        const base = await this.refresh();
        const patch = change(base);
        if (patch === undefined) return;
        const next: CatalogState = {
          ...base,
          ...patch,
          format: CATALOG_FORMAT,
          seq: base.seq + 1,
          timestamp: new Date().toISOString(),
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
