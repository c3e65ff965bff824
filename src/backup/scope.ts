// ON (...) / EXCLUDE (...) of BACKUP and RESTORE, resolved against a database state
// (backup) or a manifest (restore), with MySQL's errors for names that do not exist.
import { sqlError } from '../errors/registry.js';
import { nameKey } from '../engine/catalog/catalog.js';
import { liveTables, liveViews, type DataFile, type DatabaseState, type TableMeta, type TableState, type ViewDef } from '../engine/catalog/database-state.js';
import { partitionsOf } from '../engine/table/partitioning.js';
import type { SnapshotScope } from '../sql/backup-statement.js';
import type { ManifestTable } from './manifest.js';

export interface BackupSelection {
  readonly table: TableState;
  /** Partition names, when only some are backed up. */
  readonly partitions?: readonly string[];
}

/** Partition names of `meta` as given in a statement, checked and in the table's spelling. */
function partitionNames(meta: TableMeta, given: readonly string[], where: string): string[] {
  const known = partitionsOf(meta);
  const out: string[] = [];
  for (const p of given) {
    const found = known.find((k) => nameKey(k.name) === nameKey(p));
    if (found === undefined) throw sqlError('ER_UNKNOWN_PARTITION', `Unknown partition '${p}' in table '${where}'`);
    if (!out.includes(found.name)) out.push(found.name);
  }
  return out;
}

function checkUnique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(nameKey(n))) throw sqlError('ER_NONUNIQ_TABLE', `Not unique table/alias: '${n}' (named twice in ${what})`);
    seen.add(nameKey(n));
  }
}

/** ON and EXCLUDE may name views; they are backed up beside the tables (views: see resolveBackupViews). */
function withoutViews(scope: SnapshotScope, views: ReadonlyMap<string, ViewDef>): SnapshotScope {
  switch (scope.kind) {
    case 'all':
      return scope;
    case 'on':
      return { ...scope, tables: scope.tables.filter((t) => t.partitions !== undefined || !views.has(nameKey(t.table))) };
    case 'exclude':
      return { ...scope, tables: scope.tables.filter((name) => !views.has(nameKey(name))) };
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

/** The views a backup holds: all of them, those named in ON, or all but those named in EXCLUDE. */
export function resolveBackupViews(state: DatabaseState, scope: SnapshotScope): ViewDef[] {
  return pickViews([...liveViews(state).values()], scope).map(({ view }) => view);
}

/** The views a restore creates (or replaces), under their AS names. */
export function resolveRestoreViews(views: readonly ViewDef[], scope: SnapshotScope): ViewDef[] {
  return pickViews(views, scope).map(({ view, target }) => (target === view.name ? view : { ...view, name: target }));
}

function pickViews(views: readonly ViewDef[], scope: SnapshotScope): { view: ViewDef; target: string }[] {
  const sorted = [...views].sort((a, b) => a.name.localeCompare(b.name));
  switch (scope.kind) {
    case 'all':
      return sorted.map((view) => ({ view, target: view.name }));
    case 'on':
      return scope.tables.flatMap((t) => {
        const view = t.partitions === undefined ? sorted.find((v) => nameKey(v.name) === nameKey(t.table)) : undefined;
        return view === undefined ? [] : [{ view, target: t.as ?? view.name }];
      });
    case 'exclude': {
      const excluded = new Set(scope.tables.map(nameKey));
      return sorted.filter((v) => !excluded.has(nameKey(v.name))).map((view) => ({ view, target: view.name }));
    }
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

export function resolveBackupScope(state: DatabaseState, given: SnapshotScope, dbName: string): BackupSelection[] {
  const scope = withoutViews(given, liveViews(state));
  const live = liveTables(state);
  const byName = (name: string): TableState => {
    const t = live.get(nameKey(name));
    if (t === undefined) throw sqlError('ER_NO_SUCH_TABLE', `Table '${dbName}.${name}' doesn't exist`);
    return t;
  };
  const all = [...live.values()].sort((a, b) => a.meta.name.localeCompare(b.meta.name));
  switch (scope.kind) {
    case 'all':
      return all.map((table) => ({ table }));
    case 'on':
      checkUnique(
        scope.tables.map((t) => t.table),
        'ON (...)',
      );
      return scope.tables.map((t) => {
        const table = byName(t.table);
        return t.partitions === undefined ? { table } : { table, partitions: partitionNames(table.meta, t.partitions, `${dbName}.${table.meta.name}`) };
      });
    case 'exclude': {
      const excluded = new Set(scope.tables.map((name) => byName(name).meta.id));
      return all.filter((t) => !excluded.has(t.meta.id)).map((table) => ({ table }));
    }
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

/** The files of a selection: all of the table's, or those of the named partitions. */
export function selectedFiles(selection: BackupSelection): readonly DataFile[] {
  if (selection.partitions === undefined) return selection.table.files;
  const names = new Set(selection.partitions.map(nameKey));
  const ids = new Set(partitionsOf(selection.table.meta).filter((p) => names.has(nameKey(p.name))).map((p) => p.id));
  return selection.table.files.filter((f) => ids.has(f.partition));
}

export interface RestoreSelection {
  readonly table: ManifestTable;
  readonly target: string;
  /** Partition names, when only some are restored. */
  readonly partitions?: readonly string[];
}

/** A table restored as the snapshot holds it: a snapshot of some partitions restores just those. */
function whole(table: ManifestTable, target: string): RestoreSelection {
  return table.partitions === undefined ? { table, target } : { table, target, partitions: table.partitions };
}

export function resolveRestoreScope(tables: readonly ManifestTable[], given: SnapshotScope, label: string, views: readonly ViewDef[] = []): RestoreSelection[] {
  const scope = withoutViews(given, new Map(views.map((v) => [nameKey(v.name), v])));
  const byName = (name: string): ManifestTable => {
    const t = tables.find((m) => nameKey(m.name) === nameKey(name));
    if (t === undefined) {
      const held = tables.map((m) => m.name).join(', ');
      throw sqlError('ER_NO_SUCH_TABLE', `Table '${name}' is not in snapshot '${label}' (it holds: ${held === '' ? 'no tables' : held})`);
    }
    return t;
  };
  let selections: RestoreSelection[];
  switch (scope.kind) {
    case 'all':
      selections = tables.map((table) => whole(table, table.name));
      break;
    case 'on':
      checkUnique(
        scope.tables.map((t) => t.table),
        'ON (...)',
      );
      selections = scope.tables.map((t) => {
        const table = byName(t.table);
        const target = t.as ?? table.name;
        if (t.partitions === undefined) return whole(table, target);
        const partitions = partitionNames(table.meta, t.partitions, `${table.name}' of snapshot '${label}`);
        const held = table.partitions;
        const missing = held === undefined ? [] : partitions.filter((p) => !held.some((h) => nameKey(h) === nameKey(p)));
        if (missing.length > 0) {
          throw sqlError('ER_UNKNOWN_PARTITION', `Partition '${missing.join(', ')}' of table '${table.name}' is not in snapshot '${label}'`);
        }
        return { table, target, partitions };
      });
      break;
    case 'exclude': {
      const excluded = new Set(scope.tables.map((name) => byName(name).name));
      selections = tables.filter((t) => !excluded.has(t.name)).map((table) => whole(table, table.name));
      break;
    }
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
  checkUnique(
    selections.map((s) => s.target),
    'the restored table names',
  );
  return selections;
}

/** The files of a restore selection. */
export function restoredFiles(selection: RestoreSelection): ManifestTable['files'] {
  if (selection.partitions === undefined) return selection.table.files;
  const names = new Set(selection.partitions.map(nameKey));
  const ids = new Set(partitionsOf(selection.table.meta).filter((p) => names.has(nameKey(p.name))).map((p) => p.id));
  return selection.table.files.filter((f) => ids.has(f.partition));
}
