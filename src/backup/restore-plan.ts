// What a restore will do to the target database, decided from the manifest and the
// database's current tables: which tables are created, which are replaced (keeping
// their id, so time travel still reaches their earlier states) and which get some
// partitions back; and the log actions that make it all visible in one commit.
import { randomUUID } from 'node:crypto';
import { sqlError } from '../errors/registry.js';
import { nameKey, newId } from '../engine/catalog/catalog.js';
import { liveTables, liveViews, tableFields, type DatabaseState, type LogAction, type TableMeta, type TableState, type ViewDef } from '../engine/catalog/database-state.js';
import { partitionsOf } from '../engine/table/partitioning.js';
import { keys } from '../storage/keys.js';
import type { RestoreFile, RestorePlan, RestoreTarget } from './job-record.js';
import { restoredFiles, type RestoreSelection } from './scope.js';

function definition(meta: TableMeta): string {
  return JSON.stringify({ columns: meta.columns, indexes: meta.indexes, partition: meta.partition ?? null });
}

/** Files written with the backup's fields read correctly through the target's definition. */
function sameFields(a: TableMeta, b: TableMeta): boolean {
  return JSON.stringify(tableFields(a)) === JSON.stringify(tableFields(b)) && JSON.stringify(a.partition ?? null) === JSON.stringify(b.partition ?? null);
}

export interface PlanInput {
  readonly dbName: string;
  readonly databaseId: string;
  readonly selections: readonly RestoreSelection[];
  /** Views to create or replace, under their target names. */
  readonly views?: readonly ViewDef[];
  readonly forceReplace: boolean;
  readonly cleanTables: boolean;
  readonly now: Date;
}

/** Checks the selections against the database's live tables; throws the error the user should see. */
export function planRestore(state: DatabaseState, input: PlanInput): RestorePlan {
  const live = liveTables(state);
  const liveViewNames = liveViews(state);
  for (const s of input.selections) {
    if (liveViewNames.has(nameKey(s.target))) {
      throw sqlError('ER_TABLE_EXISTS_ERROR', `'${input.dbName}.${s.target}' is a view; drop it, or restore the table under another name (AS)`);
    }
  }
  const views = input.views ?? [];
  const restoredTables = new Set(input.selections.map((s) => nameKey(s.target)));
  for (const v of views) {
    if (restoredTables.has(nameKey(v.name)) || (live.has(nameKey(v.name)) && !input.cleanTables)) {
      throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${input.dbName}.${v.name}' already exists; the snapshot's view of that name cannot replace a table (drop it, or restore the view under another name with AS)`);
    }
  }
  const targets = input.selections.map((selection): RestoreTarget => {
    const source = selection.table;
    const existing = live.get(nameKey(selection.target));
    const label = `${input.dbName}.${selection.target}`;
    if (existing === undefined) {
      const tableId = newId();
      const meta: TableMeta = { ...source.meta, id: tableId, name: selection.target, createdAt: input.now.toISOString() };
      return {
        source: source.name,
        target: selection.target,
        mode: 'create',
        tableId,
        meta,
        autoIncrement: source.autoIncrement,
        files: files(input.databaseId, tableId, selection, (p) => p),
      };
    }
    if (selection.partitions === undefined) {
      if (definition(existing.meta) !== definition(source.meta) && !input.forceReplace) {
        throw sqlError(
          'ER_TABLE_EXISTS_ERROR',
          `Table '${label}' already exists with a definition different from the one in the snapshot; drop it, restore under another name (AS), or set "force_replace" = "true"`,
        );
      }
      const meta: TableMeta = { ...source.meta, id: existing.meta.id, name: existing.meta.name, createdAt: existing.meta.createdAt };
      return {
        source: source.name,
        target: existing.meta.name,
        mode: 'replace',
        tableId: existing.meta.id,
        meta,
        autoIncrement: source.autoIncrement,
        files: files(input.databaseId, existing.meta.id, selection, (p) => p),
      };
    }
    if (!sameFields(existing.meta, source.meta)) {
      throw sqlError(
        'ER_TABLE_EXISTS_ERROR',
        `Table '${label}' has changed its columns or partitioning since the snapshot; restore the whole table instead of some partitions`,
      );
    }
    const sourceNames = new Map(partitionsOf(source.meta).map((p) => [p.id, nameKey(p.name)]));
    const targetIds = new Map(partitionsOf(existing.meta).map((p) => [nameKey(p.name), p.id]));
    const wanted = new Set(selection.partitions.map(nameKey));
    const mapPartition = (sourceId: string): string => {
      const id = targetIds.get(sourceNames.get(sourceId) ?? '');
      if (id === undefined) throw sqlError('ER_UNKNOWN_PARTITION', `Table '${label}' has no partition for the snapshot's partition '${sourceId}'`);
      return id;
    };
    return {
      source: source.name,
      target: existing.meta.name,
      mode: 'partitions',
      tableId: existing.meta.id,
      meta: existing.meta,
      autoIncrement: source.autoIncrement,
      partitionIds: [...targetIds].filter(([name]) => wanted.has(name)).map(([, id]) => id),
      files: files(input.databaseId, existing.meta.id, selection, mapPartition),
    };
  });
  const targeted = new Set(targets.map((t) => t.tableId));
  const dropTableIds = input.cleanTables ? [...live.values()].filter((t) => !targeted.has(t.meta.id)).map((t) => t.meta.id) : [];
  return { databaseId: input.databaseId, targets, dropTableIds, ...(views.length === 0 ? {} : { views }) };
}

function files(databaseId: string, tableId: string, selection: RestoreSelection, partition: (sourceId: string) => string): RestoreFile[] {
  return restoredFiles(selection).map((f) => {
    const target = partition(f.partition);
    return {
      object: f.object,
      sha256: f.sha256,
      size: f.size,
      file: {
        key: keys.dataFile(databaseId, tableId, target, randomUUID()),
        fields: f.fields,
        partition: target,
        rows: f.rows,
        bytes: f.size,
        stats: f.stats,
        sha256: f.sha256,
      },
    };
  });
}

/** Thrown while building the commit when the database changed under the restore. */
export class RestoreConflict extends Error {
  override readonly name = 'RestoreConflict';
}

function liveById(state: DatabaseState, id: string): TableState | undefined {
  const t = state.tables[id];
  return t === undefined || t.dropped !== undefined ? undefined : t;
}

/** The actions of the restore's one commit, checked against the newest state. */
export function restoreActions(state: DatabaseState, plan: RestorePlan, dbName: string): LogAction[] {
  const live = liveTables(state);
  const actions: LogAction[] = [];
  for (const id of plan.dropTableIds) if (liveById(state, id) !== undefined) actions.push({ kind: 'dropTable', tableId: id });
  for (const t of plan.targets) {
    const added = t.files.map((f) => f.file);
    switch (t.mode) {
      case 'create':
        if (live.has(nameKey(t.target))) throw new RestoreConflict(`table '${dbName}.${t.target}' was created while the restore ran`);
        actions.push({ kind: 'createTable', table: t.meta, autoIncrement: t.autoIncrement }, { kind: 'addFiles', tableId: t.tableId, files: added });
        break;
      case 'replace': {
        const current = liveById(state, t.tableId);
        if (current === undefined || nameKey(current.meta.name) !== nameKey(t.target)) {
          throw new RestoreConflict(`table '${dbName}.${t.target}' was dropped or renamed while the restore ran`);
        }
        actions.push(
          { kind: 'truncateTable', tableId: t.tableId },
          { kind: 'alterTable', tableId: t.tableId, table: t.meta, autoIncrement: t.autoIncrement },
          { kind: 'addFiles', tableId: t.tableId, files: added },
        );
        break;
      }
      case 'partitions': {
        const current = liveById(state, t.tableId);
        if (current === undefined || !sameFields(current.meta, t.meta)) {
          throw new RestoreConflict(`table '${dbName}.${t.target}' was dropped or altered while the restore ran`);
        }
        const replaced = new Set(t.partitionIds ?? []);
        const gone = current.files.filter((f) => replaced.has(f.partition)).map((f) => f.key);
        if (gone.length > 0) actions.push({ kind: 'removeFiles', tableId: t.tableId, keys: gone });
        actions.push({ kind: 'addFiles', tableId: t.tableId, files: added, autoIncrement: t.autoIncrement });
        break;
      }
      default: {
        const never: never = t.mode;
        throw new Error(`unknown restore mode ${String(never)}`);
      }
    }
  }
  for (const view of plan.views ?? []) {
    const clash = live.get(nameKey(view.name));
    if (clash !== undefined && !plan.dropTableIds.includes(clash.meta.id)) throw new RestoreConflict(`table '${dbName}.${view.name}' was created while the restore ran`);
    actions.push({ kind: 'createView', view });
  }
  return actions;
}
