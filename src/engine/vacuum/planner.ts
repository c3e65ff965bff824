// What VACUUM would remove, decided from the commit log and one listing of the
// store; nothing here deletes or commits (executor.ts does).
//
// VACUUM TABLE: a table's retained states are the state it had at (now - its
// retention) and every later one. Its files are those of the state at the cutoff
// plus every file a later commit added. An object under the table's prefix that is
// not among them is
//   - expired: a state before the cutoff referenced it;
//   - orphan: no commit ever referenced it (a write that crashed or failed before
//     its commit), once it is older than the grace period — younger ones may belong
//     to a write about to commit, here or on another server;
// and in either case only when nothing pins it (a running query, transaction or backup).
//
// VACUUM DROP TABLE: tables (and databases) dropped longer ago than their retention
// lose everything under their prefix; table folders the log never heard of (or whose
// table it purged) lose their files as orphans once past the grace period.
import type { Progress } from '../../observability/progress.js';
import { parseTablePrefix, keys } from '../../storage/keys.js';
import type { DatabaseEntry } from '../catalog/catalog.js';
import type { DatabaseLog } from '../catalog/database-log.js';
import type { DatabaseState, LogEntry, TableState } from '../catalog/database-state.js';
import type { VacuumCore } from './vacuum-core.js';
import { databaseRetentionHours, dropExpired, retentionHours, retentionStart } from '../retention.js';
import { lastChanged, listFolders, listObjects, objectBytes, type StoredObject } from './objects.js';

export const VACUUM_REASONS = ['expired', 'orphan', 'dropped'] as const;
export type VacuumReason = (typeof VACUUM_REASONS)[number];

export interface Removal {
  readonly object: StoredObject;
  readonly bytes: number;
  readonly reason: VacuumReason;
}

export interface TablePlan {
  readonly db: DatabaseEntry;
  readonly log: DatabaseLog;
  /** The table as it was when planned. */
  readonly table: TableState;
  /** The log seq the plan was made at: commits after it are checked before anything goes. */
  readonly baseSeq: number;
  /** States of the table before this seq are past retention (its files at the cutoff came with this commit). */
  readonly expiredBefore: number;
  readonly removals: readonly Removal[];
}

export type DropPlan =
  | { readonly kind: 'table'; readonly db: DatabaseEntry; readonly log: DatabaseLog; readonly table: TableState; readonly removals: readonly Removal[] }
  | { readonly kind: 'database'; readonly db: DatabaseEntry; readonly removals: readonly Removal[] }
  /** Folders of tables the log does not know (a CREATE TABLE ... AS SELECT that never committed) or purged. */
  | { readonly kind: 'orphans'; readonly db: DatabaseEntry; readonly log: DatabaseLog; readonly tableId: string; readonly removals: readonly Removal[] };

/** Reads each log entry once however many tables need it. */
class EntryReader {
  private readonly cache = new Map<number, LogEntry>();
  constructor(private readonly log: DatabaseLog) {}
  async get(seq: number): Promise<LogEntry> {
    let e = this.cache.get(seq);
    if (e === undefined) {
      e = await this.log.entry(seq);
      this.cache.set(seq, e);
    }
    return e;
  }
}

/** Keys of files the entry adds to the table. */
export function addedKeys(entry: LogEntry, tableId: string): string[] {
  return entry.actions.flatMap((a) => (a.kind === 'addFiles' && a.tableId === tableId ? a.files.map((f) => f.key) : []));
}

/** Plans VACUUM TABLE for some tables of one database (each log entry is read once for all of them). */
export async function planTables(
  core: VacuumCore,
  db: DatabaseEntry,
  log: DatabaseLog,
  tables: readonly TableState[],
  signal?: AbortSignal,
  progress?: Progress,
): Promise<TablePlan[]> {
  progress?.phase('planning', { unit: 'tables', total: tables.length, fields: { db: db.name } });
  const state = log.current();
  const now = core.now();
  const entries = new EntryReader(log);
  const plans: TablePlan[] = [];
  for (const table of tables) {
    signal?.throwIfAborted();
    const id = table.meta.id;
    const cutoffSeq = await log.seqAt(retentionStart(now, retentionHours(table.meta, core.retention)));
    const horizon = cutoffSeq === 0 ? undefined : (await log.stateAt(cutoffSeq)).tables[id];
    const expiredBefore = horizon?.changedSeq ?? 0;
    const retained = new Set(horizon?.files.map((f) => f.key));
    for (let seq = cutoffSeq + 1; seq <= state.seq; seq++) for (const k of addedKeys(await entries.get(seq), id)) retained.add(k);

    // Files of states since the last VACUUM that are now expired (older ones are gone already).
    const previous = table.vacuumedBefore ?? 0;
    const referenced = new Set<string>();
    if (expiredBefore > previous) {
      const start: DatabaseState | undefined = previous > 0 ? await log.stateAt(previous) : undefined;
      for (const f of start?.tables[id]?.files ?? []) referenced.add(f.key);
      for (let seq = previous + 1; seq < expiredBefore; seq++) for (const k of addedKeys(await entries.get(seq), id)) referenced.add(k);
    }

    const removals: Removal[] = [];
    const graceEnd = now.getTime() - core.retention.orphanGraceMs;
    for (const object of (await listObjects(core.store, keys.tablePrefix(db.id, id), signal)).values()) {
      if (retained.has(object.key) || core.pins.isPinned(object.key)) continue;
      if (referenced.has(object.key)) removals.push({ object, bytes: objectBytes(object), reason: 'expired' });
      else if (lastChanged(object) <= graceEnd) removals.push({ object, bytes: objectBytes(object), reason: 'orphan' });
    }
    removals.sort((a, b) => (a.object.key < b.object.key ? -1 : 1));
    plans.push({ db, log, table, baseSeq: state.seq, expiredBefore, removals });
    progress?.add();
  }
  return plans;
}

function allDropped(objects: Map<string, StoredObject>): Removal[] {
  return [...objects.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map((object) => ({ object, bytes: objectBytes(object), reason: 'dropped' as const }));
}

/**
 * A table folder belongs to a table of the log unless that table was purged (then what
 * is left, files that were pinned while it was purged, is orphaned).
 */
export function ownedFolder(state: DatabaseState, tableId: string): boolean {
  const t = state.tables[tableId];
  return t !== undefined && t.purged === undefined;
}

/**
 * Plans VACUUM DROP TABLE: in `only` (a live database), or everywhere including
 * dropped databases. Anything pinned keeps its table or database out of this run.
 */
export async function planDropped(core: VacuumCore, only: DatabaseEntry | undefined, signal?: AbortSignal, progress?: Progress): Promise<DropPlan[]> {
  const { warehouse } = core;
  const now = core.now();
  const plans: DropPlan[] = [];
  const catalog = await warehouse.catalog.refresh();
  const databases = only === undefined ? catalog.databases.filter((d) => d.dropped?.purgedAt === undefined) : [only];
  progress?.phase('planning dropped', { unit: 'databases', total: databases.length });
  const pinned = (objects: Map<string, StoredObject>): boolean => [...objects.keys()].some((k) => core.pins.isPinned(k));
  for (const [i, db] of databases.entries()) {
    signal?.throwIfAborted();
    // Counted as each database is reached: its plan has several ways to end early.
    if (i > 0) progress?.add();
    const log = await warehouse.log(db);
    const state = await log.refresh();
    if (db.dropped !== undefined) {
      if (!dropExpired(db.dropped.at, databaseRetentionHours(state, core.retention), now)) continue;
      const objects = await listObjects(core.store, keys.databasePrefix(db.id), signal);
      if (!pinned(objects)) plans.push({ kind: 'database', db, removals: allDropped(objects) });
      continue;
    }
    for (const table of Object.values(state.tables)) {
      if (table.dropped === undefined || table.purged !== undefined) continue;
      if (!dropExpired(table.dropped.at, retentionHours(table.meta, core.retention), now)) continue;
      const objects = await listObjects(core.store, keys.tablePrefix(db.id, table.meta.id), signal);
      if (!pinned(objects)) plans.push({ kind: 'table', db, log, table, removals: allDropped(objects) });
    }
    const graceEnd = now.getTime() - core.retention.orphanGraceMs;
    for (const folder of await listFolders(core.store, keys.databasePrefix(db.id))) {
      const tableId = parseTablePrefix(db.id, folder);
      if (tableId === undefined || ownedFolder(state, tableId)) continue;
      const objects = await listObjects(core.store, folder, signal);
      const removals = [...objects.values()]
        .filter((o) => lastChanged(o) <= graceEnd && !core.pins.isPinned(o.key))
        .sort((a, b) => (a.key < b.key ? -1 : 1))
        .map((object) => ({ object, bytes: objectBytes(object), reason: 'orphan' as const }));
      if (removals.length > 0) plans.push({ kind: 'orphans', db, log, tableId, removals });
    }
  }
  if (databases.length > 0) progress?.add();
  return plans;
}
