// How a statement sees tables and commits its changes. Outside a transaction
// every statement reads the newest state and commits at once. Inside one, reads
// come from the snapshot the transaction took of each database when it first
// touched it, plus the transaction's own changes; changes are held until COMMIT,
// which publishes them as one log entry — refused with ER_LOCK_DEADLOCK when
// another writer changed a table this transaction changed (first committer wins,
// so no update is ever lost).
import { sqlError } from '../errors/registry.js';
import type { DatabaseEntry } from './catalog/catalog.js';
import { nameKey } from './catalog/catalog.js';
import type { CommitRequest, DatabaseLog } from './catalog/database-log.js';
import { actionTableId, applyEntry, liveTables, LOG_FORMAT, type DatabaseState, type LogAction } from './catalog/database-state.js';
import type { ResolvedTable, Warehouse } from './warehouse.js';

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
  readonly db: DatabaseEntry;
  readonly log: DatabaseLog;
  readonly base: DatabaseState;
  state: DatabaseState;
  readonly pending: LogAction[];
  readonly operations: string[];
}

const deadlock = (): Error => sqlError('ER_LOCK_DEADLOCK', 'Deadlock found when trying to get lock; try restarting transaction');

export class Transaction implements TableAccess {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly warehouse: Warehouse,
    private readonly user: string,
  ) {}

  get hasChanges(): boolean {
    return [...this.snapshots.values()].some((s) => s.pending.length > 0);
  }

  private async snapshot(db: DatabaseEntry): Promise<Snapshot> {
    let s = this.snapshots.get(db.id);
    if (s === undefined) {
      const log = await this.warehouse.log(db);
      const base = await log.refresh();
      s = { db, log, base, state: base, pending: [], operations: [] };
      this.snapshots.set(db.id, s);
    }
    return s;
  }

  async table(dbName: string, tableName: string): Promise<ResolvedTable> {
    const db = await this.warehouse.database(dbName);
    const s = await this.snapshot(db);
    const table = liveTables(s.state).get(nameKey(tableName));
    if (table === undefined) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${tableName}' doesn't exist`);
    return { db, log: s.log, table };
  }

  async commit(target: { readonly db: DatabaseEntry }, request: CommitRequest): Promise<void> {
    const s = await this.snapshot(target.db);
    const other = [...this.snapshots.values()].find((o) => o !== s && o.pending.length > 0);
    if (other !== undefined) {
      throw sqlError('ER_NOT_SUPPORTED_YET', `A transaction can change one database; it already changed '${other.db.name}'`);
    }
    const actions = request.actions(s.state);
    // Applied now so that later statements of the transaction see the change, and a change
    // that cannot apply fails here rather than at COMMIT.
    s.state = applyEntry(s.state, { format: LOG_FORMAT, seq: s.state.seq + 1, timestamp: new Date().toISOString(), user: request.user, operation: request.operation, actions });
    s.pending.push(...actions);
    s.operations.push(request.operation);
  }

  /** Publishes the changes; throws ER_LOCK_DEADLOCK (and keeps nothing) when they conflict. */
  async commitAll(): Promise<void> {
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
          return s.pending;
        },
      });
    }
    this.snapshots.clear();
  }
}
