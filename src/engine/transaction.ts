// How a statement sees tables and commits its changes. Outside a transaction
// every statement reads the newest state and commits at once. Inside one, reads
// come from the snapshot the transaction took of each database when it first
// touched it, plus the transaction's own changes; changes are held until COMMIT,
// which publishes them as one log entry — refused with ER_LOCK_DEADLOCK when
// another writer changed a table this transaction changed (first committer wins,
// so no update is ever lost). While it is open, it pins the files of the states it
// reads and the files it wrote: VACUUM must not take them, however old it gets.
//
// Isolation levels (transaction_isolation):
// - REPEATABLE READ (the default): one snapshot per database for the whole transaction.
// - READ COMMITTED and READ UNCOMMITTED (nothing uncommitted is ever readable here):
//   each statement reads the newest commits, except in a database the transaction has
//   changed, whose snapshot its own changes are built on.
// - SERIALIZABLE: also refuses COMMIT (ER_LOCK_DEADLOCK) when a table the transaction
//   read was changed by another commit since, so that two transactions that each read
//   what the other writes cannot both commit (no write skew).
import { sqlError } from '../errors/registry.js';
import type { DatabaseEntry } from './catalog/catalog.js';
import { nameKey } from './catalog/catalog.js';
import type { CommitRequest, DatabaseLog } from './catalog/database-log.js';
import { actionTableId, applyEntry, formatOf, liveTables, type DatabaseState, type LogAction } from './catalog/database-state.js';
import { externalTableIn, type ResolvedTable, type Warehouse } from './warehouse.js';
import type { Pins } from './pins.js';
import type { IsolationLevel } from './variables.js';

export interface TableAccess {
  table(dbName: string, tableName: string): Promise<ResolvedTable>;
  commit(target: { readonly db: DatabaseEntry; readonly log: DatabaseLog }, request: CommitRequest): Promise<void>;
}

/** Each statement on its own: the newest state, committed at once. */
export function autocommitAccess(warehouse: Warehouse): TableAccess {
  return {
    table: (db, name) => warehouse.table(db, name),
    commit: async (target, request) => {
      await target.log.commit(request);
    },
  };
}

interface Snapshot {
  /** What the log holds, for messages: a database, or an external table. */
  readonly label: string;
  readonly log: DatabaseLog;
  readonly base: DatabaseState;
  state: DatabaseState;
  readonly pending: LogAction[];
  readonly operations: string[];
}

const deadlock = (): Error => sqlError('ER_LOCK_DEADLOCK', 'Deadlock found when trying to get lock; try restarting transaction');


interface TableRead {
  readonly log: DatabaseLog;
  /** The commit that last changed the table in the state the transaction read. */
  readonly changedSeq: number;
}

export class Transaction implements TableAccess {
  /** One per commit log touched: a database's, or an external table's own ([E]). */
  private readonly snapshots = new Map<DatabaseLog, Snapshot>();
  private readonly unpins: (() => void)[] = [];
  /** Table states (id@changedSeq) whose files are pinned. */
  private readonly pinnedTables = new Set<string>();
  /** SERIALIZABLE: the tables read, by id, checked again at COMMIT. */
  private readonly reads = new Map<string, TableRead>();

  constructor(
    private readonly warehouse: Warehouse,
    private readonly user: string,
    private readonly pins: Pins,
    private readonly isolation: IsolationLevel = 'REPEATABLE-READ',
  ) {}

  /** Before each statement: under READ COMMITTED, the snapshots this transaction has not changed are taken again. */
  beginStatement(): void {
    if (this.isolation !== 'READ-COMMITTED' && this.isolation !== 'READ-UNCOMMITTED') return;
    for (const [log, s] of this.snapshots) if (s.pending.length === 0) this.snapshots.delete(log);
  }

  /** Ends the transaction without publishing anything (ROLLBACK, disconnect): its files are no longer needed. */
  discard(): void {
    this.snapshots.clear();
    this.pinnedTables.clear();
    this.reads.clear();
    for (const unpin of this.unpins.splice(0)) unpin();
  }

  get hasChanges(): boolean {
    return [...this.snapshots.values()].some((s) => s.pending.length > 0);
  }

  private async snapshot(log: DatabaseLog, label: string): Promise<Snapshot> {
    let s = this.snapshots.get(log);
    if (s === undefined) {
      const base = await log.refresh();
      s = { label, log, base, state: base, pending: [], operations: [] };
      this.snapshots.set(log, s);
    }
    return s;
  }

  async table(dbName: string, tableName: string): Promise<ResolvedTable> {
    const db = await this.warehouse.database(dbName);
    const s = await this.snapshot(await this.warehouse.log(db), `database '${db.name}'`);
    const table = liveTables(s.state).get(nameKey(tableName));
    if (table !== undefined) {
      // VACUUM works on warehouse tables only, so only their files need pinning.
      const pinned = `${table.meta.id}@${table.changedSeq}`;
      if (!this.pinnedTables.has(pinned)) {
        this.pinnedTables.add(pinned);
        this.unpins.push(this.pins.pin(table.files.map((f) => f.key)));
      }
      if (this.isolation === 'SERIALIZABLE' && !this.reads.has(table.meta.id) && s.base.tables[table.meta.id] !== undefined) {
        this.reads.set(table.meta.id, { log: s.log, changedSeq: s.base.tables[table.meta.id]?.changedSeq ?? 0 });
      }
      return { db, log: s.log, table, home: this.warehouse.homeOf(db) };
    }
    const entry = this.warehouse.catalog.liveExternalTable(db.id, tableName);
    if (entry === undefined) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${tableName}' doesn't exist`);
    const external = await this.warehouse.externalHome(entry);
    const es = await this.snapshot(external.log, `external table '${db.name}.${entry.name}'`);
    return { db, log: es.log, table: externalTableIn(es.state, external), home: external.home, external: entry };
  }

  async commit(target: { readonly db: DatabaseEntry; readonly log: DatabaseLog }, request: CommitRequest): Promise<void> {
    const s = await this.snapshot(target.log, `database '${target.db.name}'`);
    const other = [...this.snapshots.values()].find((o) => o !== s && o.pending.length > 0);
    if (other !== undefined) {
      throw sqlError('ER_NOT_SUPPORTED_YET', `A transaction can change the tables of one commit log; it already changed ${other.label}`);
    }
    const actions = request.actions(s.state);
    // Applied now so that later statements of the transaction see the change, and a change
    // that cannot apply fails here rather than at COMMIT.
    s.state = applyEntry(s.state, { format: formatOf(actions), seq: s.state.seq + 1, timestamp: this.warehouse.now().toISOString(), user: request.user, operation: request.operation, actions });
    s.pending.push(...actions);
    s.operations.push(request.operation);
    this.unpins.push(this.pins.pin(actions.flatMap((a) => (a.kind === 'addFiles' ? a.files.map((f) => f.key) : []))));
  }

  /** Publishes the changes; throws ER_LOCK_DEADLOCK (and keeps nothing) when they conflict. Ends the transaction either way. */
  async commitAll(): Promise<void> {
    try {
      await this.publish();
    } finally {
      this.discard();
    }
  }

  /** A table read (SERIALIZABLE) that another commit has changed since. */
  private staleRead(log: DatabaseLog, latest: DatabaseState): boolean {
    for (const [id, read] of this.reads) {
      if (read.log === log && latest.tables[id]?.changedSeq !== read.changedSeq) return true;
    }
    return false;
  }

  private async publish(): Promise<void> {
    if (!this.hasChanges) return;
    // Reads in commit logs this transaction does not change are checked before its commit.
    const changed = new Set([...this.snapshots.values()].filter((s) => s.pending.length > 0).map((s) => s.log));
    for (const log of new Set([...this.reads.values()].map((r) => r.log))) {
      if (!changed.has(log) && this.staleRead(log, await log.refresh())) throw deadlock();
    }
    for (const s of this.snapshots.values()) {
      if (s.pending.length === 0) continue;
      const touched = new Set(s.pending.flatMap((a) => actionTableId(a) ?? []));
      const created = s.pending.flatMap((a) => (a.kind === 'createTable' ? [a.table] : []));
      await s.log.commit({
        user: this.user,
        operation: [...new Set(s.operations)].join(', '),
        actions: (latest) => {
          for (const id of touched) {
            const before = s.base.tables[id];
            if (before === undefined) continue;
            const now = latest.tables[id];
            if (now === undefined || now.changedSeq !== before.changedSeq) throw deadlock();
          }
          const live = liveTables(latest);
          if (created.some((t) => live.has(nameKey(t.name)))) throw deadlock();
          if (this.staleRead(s.log, latest)) throw deadlock();
          return s.pending;
        },
      });
    }
  }
}
