// ALTER TABLE, RENAME TABLE and OPTIMIZE TABLE. A schema change is one commit of
// a new table definition; data files are never rewritten for it: each column has
// a stable field id, files remember the fields they were written with, and scans
// project every file onto the current definition (table-files.ts). Changes that
// existing rows could violate (a type change, NOT NULL, a new unique key) are
// checked against the data before the commit.
import { sqlError } from '../../errors/registry.js';
import type { AlterAction, AsOf, ColumnDef, ColumnPosition, IndexDef, ObjectName, PartitionSpec, Statement } from '../../sql/statement.js';
import { partitionList, validatePartitioning } from '../table/partitioning.js';
import type { OkResult, RowsResult } from '../../server/query-handler.js';
import { nameKey } from '../catalog/catalog.js';
import { liveTables, type DataFile, type FieldMeta, type LogAction, type TableMeta, type TableState } from '../catalog/database-state.js';
import { duckIdent, duckLiteral } from '../duckdb/duck-database.js';
import { filesSql, openScan, type FileAccess } from '../table/table-files.js';
import { compactTable } from './compact.js';
import { currentDatabase, resolveAsOf, type ExecContext } from './context.js';
import { assertNotVacuumed, checkRetentionOption, RETENTION_OPTION } from '../retention.js';
import { checkName, checkTableOptions, defaultSql, validateColumns } from './ddl.js';
import { enforceUnique, uniqueKeys } from './keys.js';
import { renameExternalTable } from './external-tables.js';
import { ok, staticRows, textColumn } from './results.js';

type Alter = Extract<Statement, { kind: 'alterTable' }>;

interface Draft {
  name: string;
  columns: ColumnDef[];
  fields: FieldMeta[];
  nextFieldId: number;
  indexes: IndexDef[];
  options: Record<string, string>;
  autoIncrement?: string;
  /** Columns whose existing values must convert to the new type / be non-null, by field id. */
  readonly recheck: Set<number>;
  uniqueAdded: boolean;
  partition?: PartitionSpec;
  partitionIds: string[];
  nextPartitionId: number;
  /** Storage ids of partitions whose files this ALTER removes (DROP / TRUNCATE PARTITION). */
  readonly emptied: Set<string>;
}

function partitionedSpec(d: Draft, table: string, rangeOrList: boolean): PartitionSpec {
  const spec = d.partition;
  if (spec === undefined) throw sqlError('ER_PARTITION_MGMT_ON_NONPARTITIONED', 'Partition management on a not partitioned table is not possible');
  if (rangeOrList && !['range', 'rangeColumns', 'list', 'listColumns'].includes(spec.kind)) {
    throw sqlError('ER_ONLY_ON_RANGE_LIST_PARTITION', `This partition operation on ${table} is only allowed on RANGE/LIST partitions`);
  }
  return spec;
}

function partitionIndexes(d: Draft, spec: PartitionSpec, names: readonly string[] | 'ALL', table: string, forDrop: boolean): number[] {
  const list = partitionList(spec);
  if (names === 'ALL') return list.map((_p, i) => i);
  return names.map((n) => {
    const i = list.findIndex((p) => p.name.toLowerCase() === n.toLowerCase());
    if (i < 0) {
      if (forDrop) throw sqlError('ER_DROP_PARTITION_NON_EXISTENT', 'Error in list of partitions to DROP');
      throw sqlError('ER_UNKNOWN_PARTITION', `Unknown partition '${n}' in table '${table}'`);
    }
    return i;
  });
}

const INTEGER_OR_FLOAT = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT|DECIMAL.*|FLOAT|DOUBLE)$/;

function columnIndex(d: Draft, name: string, table: string): number {
  const i = d.columns.findIndex((c) => nameKey(c.name) === nameKey(name));
  if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', `Unknown column '${name}' in '${table}'`);
  return i;
}

function place<T>(list: T[], item: T, at: number): void {
  list.splice(at, 0, item);
}

function positionIndex(d: Draft, position: ColumnPosition | undefined, table: string): number {
  if (position === undefined) return d.columns.length;
  if (position.kind === 'first') return 0;
  return columnIndex(d, position.column, table) + 1;
}

function renameInIndexes(d: Draft, from: string, to: string): void {
  d.indexes = d.indexes.map((i) => ({ ...i, columns: i.columns.map((c) => (nameKey(c) === nameKey(from) ? to : c)) }));
}

/** What rows of files older than a new column read as: its default as of now, else MySQL's implicit default. */
async function fillFor(x: ExecContext, c: ColumnDef, tableHasRows: boolean): Promise<string | undefined> {
  if (c.default !== undefined) {
    const [row] = await x.duck.all(`SELECT CAST(${defaultSql(c)} AS VARCHAR) AS v`);
    const v = row?.v;
    return typeof v === 'string' ? `CAST(${duckLiteral(v)} AS ${c.type.duck})` : undefined;
  }
  if (!c.notNull || !tableHasRows) return undefined;
  if (INTEGER_OR_FLOAT.test(c.type.duck) || c.type.duck === 'BOOLEAN') return `CAST(0 AS ${c.type.duck})`;
  if (c.type.duck === 'VARCHAR') return "''";
  throw sqlError('ER_INVALID_USE_OF_NULL', 'Invalid use of NULL value');
}

async function applyAction(x: ExecContext, d: Draft, a: AlterAction, table: string, hasRows: boolean): Promise<void> {
  switch (a.kind) {
    case 'addColumn': {
      checkName('column', a.column.name);
      if (d.columns.some((c) => nameKey(c.name) === nameKey(a.column.name))) throw sqlError('ER_DUP_FIELDNAME', `Duplicate column name '${a.column.name}'`);
      if (a.column.autoIncrement) throw sqlError('ER_NOT_SUPPORTED_YET', 'Adding an AUTO_INCREMENT column to an existing table is not supported yet');
      const at = positionIndex(d, a.position, table);
      const fill = await fillFor(x, a.column, hasRows);
      place(d.columns, a.column, at);
      place(d.fields, fill === undefined ? { id: d.nextFieldId } : { id: d.nextFieldId, fill }, at);
      d.nextFieldId++;
      return;
    }
    case 'dropColumn': {
      const i = d.columns.findIndex((c) => nameKey(c.name) === nameKey(a.name));
      if (i < 0) throw sqlError('ER_CANT_DROP_FIELD_OR_KEY', `Can't DROP '${a.name}'; check that column/key exists`);
      if (d.columns.length === 1) throw sqlError('ER_CANT_REMOVE_ALL_FIELDS', "You can't delete all columns with ALTER TABLE; use DROP TABLE instead");
      d.columns.splice(i, 1);
      d.fields.splice(i, 1);
      d.indexes = d.indexes
        .map((idx) => ({ ...idx, columns: idx.columns.filter((c) => nameKey(c) !== nameKey(a.name)) }))
        .filter((idx) => idx.columns.length > 0);
      return;
    }
    case 'modifyColumn':
    case 'changeColumn': {
      const from = a.kind === 'changeColumn' ? a.from : a.column.name;
      const i = columnIndex(d, from, table);
      const old = d.columns[i] as ColumnDef;
      const field = d.fields[i] as FieldMeta;
      if (nameKey(from) !== nameKey(a.column.name) && d.columns.some((c, j) => j !== i && nameKey(c.name) === nameKey(a.column.name))) {
        throw sqlError('ER_DUP_FIELDNAME', `Duplicate column name '${a.column.name}'`);
      }
      if (a.column.autoIncrement && !old.autoIncrement) throw sqlError('ER_NOT_SUPPORTED_YET', 'Making an existing column AUTO_INCREMENT is not supported yet');
      if (old.type.duck !== a.column.type.duck || (a.column.notNull && !old.notNull) || a.column.type.length !== old.type.length) d.recheck.add(field.id);
      d.columns.splice(i, 1);
      d.fields.splice(i, 1);
      const at = a.position === undefined ? i : positionIndex(d, a.position, table);
      place(d.columns, a.column, at);
      place(d.fields, field, at);
      renameInIndexes(d, from, a.column.name);
      return;
    }
    case 'renameColumn': {
      const i = columnIndex(d, a.from, table);
      if (d.columns.some((c, j) => j !== i && nameKey(c.name) === nameKey(a.to))) throw sqlError('ER_DUP_FIELDNAME', `Duplicate column name '${a.to}'`);
      checkName('column', a.to);
      d.columns[i] = { ...(d.columns[i] as ColumnDef), name: a.to };
      renameInIndexes(d, a.from, a.to);
      return;
    }
    case 'alterDefault': {
      const i = columnIndex(d, a.column, table);
      const { default: _old, ...rest } = d.columns[i] as ColumnDef;
      d.columns[i] = a.default === undefined ? rest : { ...rest, default: a.default };
      return;
    }
    case 'renameTable':
      checkName('table', a.to.name);
      if (a.to.db !== undefined && nameKey(a.to.db) !== nameKey(currentDatabase(x))) {
        throw sqlError('ER_NOT_SUPPORTED_YET', 'Moving a table to another database is not supported yet');
      }
      d.name = a.to.name;
      return;
    case 'addIndex': {
      if (a.index.kind === 'primary' && d.indexes.some((i) => i.kind === 'primary')) throw sqlError('ER_MULTIPLE_PRI_KEY', 'Multiple primary key defined');
      const name = a.index.kind === 'primary' ? 'PRIMARY' : (a.index.name ?? a.index.columns[0] ?? 'key');
      if (d.indexes.some((i) => (i.kind === 'primary' ? 'PRIMARY' : (i.name ?? i.columns[0])) === name)) throw sqlError('ER_DUP_KEYNAME', `Duplicate key name '${name}'`);
      for (const c of a.index.columns) {
        if (!d.columns.some((col) => nameKey(col.name) === nameKey(c))) throw sqlError('ER_KEY_COLUMN_DOES_NOT_EXITS', `Key column '${c}' doesn't exist in table`);
      }
      d.indexes.push(a.index.kind === 'index' ? a.index : { ...a.index, name });
      if (a.index.kind === 'primary') {
        d.columns = d.columns.map((c, i) => {
          if (!a.index.columns.some((k) => nameKey(k) === nameKey(c.name)) || c.notNull) return c;
          d.recheck.add((d.fields[i] as FieldMeta).id);
          return { ...c, notNull: true };
        });
      }
      if (a.index.kind !== 'index') d.uniqueAdded = true;
      return;
    }
    case 'dropIndex':
    case 'dropPrimaryKey': {
      const target = a.kind === 'dropPrimaryKey' ? 'PRIMARY' : a.name;
      const i = d.indexes.findIndex((idx) => nameKey(idx.kind === 'primary' ? 'PRIMARY' : (idx.name ?? idx.columns[0] ?? '')) === nameKey(target));
      if (i < 0) throw sqlError('ER_CANT_DROP_FIELD_OR_KEY', `Can't DROP '${target}'; check that column/key exists`);
      d.indexes.splice(i, 1);
      return;
    }
    case 'setOptions':
      checkTableOptions(a.options);
      for (const [k, v] of Object.entries(a.options)) {
        if (k === 'auto_increment') {
          if (!/^\d+$/.test(v)) throw sqlError('ER_WRONG_ARGUMENTS', `Incorrect AUTO_INCREMENT value '${v}'`);
          d.autoIncrement = v;
        } else if (k === RETENTION_OPTION) {
          checkRetentionOption(v);
        }
        d.options[k] = v;
      }
      return;
    case 'addPartitions': {
      const spec = partitionedSpec(d, table, true);
      const next: PartitionSpec = { ...spec, partitions: [...spec.partitions, ...a.partitions] };
      validatePartitioning(
        next,
        d.columns.map((c) => c.name),
      );
      for (const _p of a.partitions) d.partitionIds.push(`part${d.nextPartitionId++}`);
      d.partition = next;
      return;
    }
    case 'dropPartitions': {
      const spec = partitionedSpec(d, table, true);
      const drop = new Set(partitionIndexes(d, spec, a.names, table, true));
      if (drop.size >= spec.partitions.length) throw sqlError('ER_DROP_LAST_PARTITION', 'Cannot remove all partitions, use DROP TABLE instead');
      for (const i of drop) d.emptied.add(d.partitionIds[i] ?? '');
      d.partition = { ...spec, partitions: spec.partitions.filter((_p, i) => !drop.has(i)) };
      d.partitionIds = d.partitionIds.filter((_id, i) => !drop.has(i));
      return;
    }
    case 'truncatePartitions': {
      const spec = partitionedSpec(d, table, false);
      for (const i of partitionIndexes(d, spec, a.names, table, false)) d.emptied.add(d.partitionIds[i] ?? '');
      return;
    }
    case 'flashback':
      throw new Error('FLASHBACK is handled before other ALTER clauses');
    default: {
      const never: never = a;
      throw new Error(`unhandled ALTER action ${JSON.stringify(never)}`);
    }
  }
}

export async function alterTable(x: ExecContext, stmt: Alter): Promise<OkResult> {
  const only = stmt.actions.length === 1 ? stmt.actions[0] : undefined;
  if (only?.kind === 'flashback') return flashback(x, stmt.table, only.to);
  if (stmt.actions.some((a) => a.kind === 'flashback')) throw sqlError('ER_WRONG_USAGE', 'FLASHBACK cannot be combined with other ALTER TABLE clauses');
  const dbName = currentDatabase(x, stmt.table.db);
  const first = await x.core.warehouse.table(dbName, stmt.table.name);
  return x.core.tableLock(first.table.meta.id).run(async () => {
    const { db, log, table, home, external } = await x.core.warehouse.table(dbName, stmt.table.name);
    const meta = table.meta;
    const d: Draft = {
      name: meta.name,
      columns: [...meta.columns],
      fields: meta.columns.map((_c, i) => meta.fields?.[i] ?? { id: i + 1 }),
      nextFieldId: meta.nextFieldId ?? meta.columns.length + 1,
      indexes: [...meta.indexes],
      options: { ...meta.options },
      recheck: new Set(),
      uniqueAdded: false,
      ...(meta.partition === undefined ? {} : { partition: meta.partition }),
      partitionIds: [...(meta.partitionIds ?? [])],
      nextPartitionId: meta.nextPartitionId ?? 1,
      emptied: new Set(),
    };
    for (const a of stmt.actions) await applyAction(x, d, a, meta.name, table.rowCount > 0);
    const { columns, indexes } = validateColumns(d.columns, d.indexes);
    const { partition: _p, partitionIds: _i, nextPartitionId: _n, ...rest } = meta;
    const next: TableMeta = {
      ...rest,
      name: d.name,
      columns,
      fields: d.fields,
      nextFieldId: d.nextFieldId,
      indexes,
      options: d.options,
      ...(d.partition === undefined ? {} : { partition: d.partition, partitionIds: d.partitionIds, nextPartitionId: d.nextPartitionId }),
    };
    if (next.partition !== undefined) {
      for (const c of next.partition.columns) {
        if (!columns.some((col) => nameKey(col.name) === nameKey(c))) throw sqlError('ER_FIELD_NOT_FOUND_PART_ERROR', 'Field in list of fields for partition function not found in table');
      }
    }
    const emptiedFiles = table.files.filter((f) => d.emptied.has(f.partition));
    await checkExistingRows(x, home.files, table.files, meta, next, d);
    if (d.autoIncrement !== undefined) d.autoIncrement = await autoIncrementFloor(x, table, home.files, d.autoIncrement);
    // The commit below sees the names in its own log; an external table's ([E]) may be taken elsewhere.
    const renamed = nameKey(d.name) !== nameKey(meta.name);
    if (renamed && (await x.core.warehouse.tableNameTaken(db, d.name))) throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${d.name}' already exists`);
    await log.commit({
      user: x.session.user,
      operation: 'ALTER TABLE',
      actions: (state): LogAction[] => {
        const live = liveTables(state);
        const now = live.get(nameKey(meta.name));
        if (now?.meta.id !== meta.id) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${meta.name}' doesn't exist`);
        if (now.changedSeq !== table.changedSeq) throw sqlError('ER_LOCK_DEADLOCK', 'Deadlock found when trying to get lock; try restarting transaction');
        const clash = live.get(nameKey(d.name));
        if (clash !== undefined && clash.meta.id !== meta.id) throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${d.name}' already exists`);
        return [
          ...(emptiedFiles.length > 0 ? [{ kind: 'removeFiles' as const, tableId: meta.id, keys: emptiedFiles.map((f) => f.key) }] : []),
          { kind: 'alterTable', tableId: meta.id, table: next, ...(d.autoIncrement === undefined ? {} : { autoIncrement: d.autoIncrement }) },
        ];
      },
    });
    if (external !== undefined && d.name !== meta.name) {
      await x.core.warehouse.catalog.changeExternalTable(external.id, x.session.user, 'ALTER TABLE', (t) => ({ ...t, name: d.name }));
    }
    return ok(0, 0n, 'Records: 0  Duplicates: 0  Warnings: 0');
  });
}

/** Existing rows must fit the new definition: types convert, NOT NULL holds, new unique keys hold. */
/** MySQL's error for a value an ALTER cannot convert: out of range, not a number at all, or cut short. */
function conversionError(column: ColumnDef, sample: string): Error {
  const numeric = /^(U?TINYINT|U?SMALLINT|U?INTEGER|U?BIGINT|HUGEINT|DECIMAL.*|FLOAT|DOUBLE)$/.test(column.type.duck);
  if (numeric && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(sample)) {
    return sqlError('ER_WARN_DATA_OUT_OF_RANGE', `Out of range value for column '${column.name}' at row 1`);
  }
  if (numeric && !/^\s*[-+]?[.\d]/.test(sample)) {
    const kind = /INT/.test(column.type.duck) ? 'integer' : /DECIMAL/.test(column.type.duck) ? 'decimal' : 'double';
    return sqlError('ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', `Incorrect ${kind} value: '${sample}' for column '${column.name}' at row 1`);
  }
  return sqlError('WARN_DATA_TRUNCATED', `Data truncated for column '${column.name}' at row 1`);
}

/** AUTO_INCREMENT=n never goes at or below a value in use: as in InnoDB it becomes max + 1. */
async function autoIncrementFloor(x: ExecContext, table: TableState, access: FileAccess, requested: string): Promise<string> {
  const auto = table.meta.columns.find((c) => c.autoIncrement);
  if (auto === undefined || table.files.length === 0) return requested;
  const scan = await openScan(table, access, x.signal);
  try {
    const [row] = await x.duck.all(`SELECT CAST(max(${duckIdent(auto.name)}) AS VARCHAR) AS m FROM ${scan.sql}`);
    const used = typeof row?.m === 'string' ? BigInt(row.m.split('.')[0] ?? '0') : 0n;
    return BigInt(requested) > used ? requested : (used + 1n).toString();
  } finally {
    scan.release();
  }
}

async function checkExistingRows(x: ExecContext, access: FileAccess, files: readonly DataFile[], before: TableMeta, after: TableMeta, d: Draft): Promise<void> {
  if (files.length === 0 || (d.recheck.size === 0 && !d.uniqueAdded)) return;
  const held = await access.acquire(
    files.map((f) => f.key),
    x.signal,
  );
  try {
    const old = filesSql(before, files, held.paths);
    for (const fieldId of d.recheck) {
      const oldIndex = (before.fields ?? before.columns.map((_c, i) => ({ id: i + 1 }))).findIndex((f) => f.id === fieldId);
      const newIndex = d.fields.findIndex((f) => f.id === fieldId);
      const oldCol = before.columns[oldIndex];
      const newCol = after.columns[newIndex];
      if (oldCol === undefined || newCol === undefined) continue;
      const v = duckIdent(oldCol.name);
      const lengthCheck = newCol.type.length !== undefined && newCol.type.duck === 'VARCHAR' ? ` OR length(CAST(${v} AS VARCHAR)) > ${newCol.type.length}` : '';
      const [row] = await x.duck.all(
        `SELECT count(*) FILTER (WHERE ${v} IS NOT NULL AND (TRY_CAST(${v} AS ${newCol.type.duck}) IS NULL${lengthCheck})) AS bad, ` +
          `CAST(any_value(${v}) FILTER (WHERE ${v} IS NOT NULL AND (TRY_CAST(${v} AS ${newCol.type.duck}) IS NULL${lengthCheck})) AS VARCHAR) AS sample, ` +
          `count(*) FILTER (WHERE ${v} IS NULL) AS nulls FROM ${old}`,
      );
      if (Number(row?.bad ?? 0) > 0) throw conversionError(newCol, typeof row?.sample === 'string' ? row.sample : '');
      if (newCol.notNull && Number(row?.nulls ?? 0) > 0) throw sqlError('ER_INVALID_USE_OF_NULL', 'Invalid use of NULL value');
    }
    if (d.uniqueAdded && uniqueKeys(after).length > 0) await enforceUnique(x, access, after, filesSql(after, files, held.paths), []);
  } finally {
    held.release();
  }
}

/**
 * ALTER TABLE t FLASHBACK TO (...): one new commit whose state is the table's state
 * then (rows and definition); every state in between stays readable by time travel.
 */
async function flashback(x: ExecContext, name: ObjectName, to: AsOf): Promise<OkResult> {
  const dbName = currentDatabase(x, name.db);
  const first = await x.core.warehouse.table(dbName, name.name);
  return x.core.tableLock(first.table.meta.id).run(async () => {
    const current = await x.core.warehouse.table(dbName, name.name);
    const { table: past, seq: pastSeq, label, when } = await resolveAsOf(x, current, to);
    const { table, db, log } = current;
    await log.commit({
      user: x.session.user,
      operation: 'FLASHBACK',
      actions: (state): LogAction[] => {
        const now = liveTables(state).get(nameKey(table.meta.name));
        if (now?.meta.id !== table.meta.id) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${table.meta.name}' doesn't exist`);
        if (now.changedSeq !== table.changedSeq) throw sqlError('ER_LOCK_DEADLOCK', 'Deadlock found when trying to get lock; try restarting transaction');
        // The files it brings back must still exist: VACUUM may have run since the check above.
        assertNotVacuumed(now.vacuumedBefore ?? 0, pastSeq, label, when);
        return [
          ...(now.files.length > 0 ? [{ kind: 'removeFiles' as const, tableId: table.meta.id, keys: now.files.map((f) => f.key) }] : []),
          // The definition then, under the name it has now; the AUTO_INCREMENT counter never goes back.
          { kind: 'alterTable', tableId: table.meta.id, table: { ...past.meta, name: table.meta.name } },
          ...(past.files.length > 0 ? [{ kind: 'addFiles' as const, tableId: table.meta.id, files: past.files }] : []),
        ];
      },
    });
    return ok(past.rowCount, 0n, `Flashback to ${to.kind === 'snapshot' ? `snapshot ${to.id}` : to.value}: ${past.rowCount} rows`);
  });
}

type Rename = Extract<Statement, { kind: 'renameTable' }>;

export async function renameTables(x: ExecContext, stmt: Rename): Promise<OkResult> {
  const dbs = new Set(stmt.renames.flatMap((r) => [nameKey(currentDatabase(x, r.from.db)), nameKey(currentDatabase(x, r.to.db))]));
  if (dbs.size !== 1) throw sqlError('ER_NOT_SUPPORTED_YET', 'RENAME TABLE across databases is not supported yet');
  const dbName = currentDatabase(x, stmt.renames[0]?.from.db);
  const { log, db } = await x.core.warehouse.databaseLog(dbName);
  for (const r of stmt.renames) checkName('table', r.to.name);
  const live = liveTables(log.current());
  const catalog = x.core.warehouse.catalog;
  const external = stmt.renames.map((r) => (live.has(nameKey(r.from.name)) ? undefined : catalog.liveExternalTable(db.id, r.from.name)));
  const [onlyExternal] = external;
  if (onlyExternal !== undefined && stmt.renames.length === 1) {
    await renameExternalTable(x, db, onlyExternal, stmt.renames[0]?.to.name ?? '');
    return ok();
  }
  // An external table lives in a log of its own: renaming it with others could not be one commit.
  if (external.some((e) => e !== undefined)) throw sqlError('ER_NOT_SUPPORTED_YET', 'RENAME TABLE of an external table together with other tables is not supported yet');
  const taken = stmt.renames.find((r) => catalog.liveExternalTable(db.id, r.to.name) !== undefined);
  if (taken !== undefined) throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${taken.to.name}' already exists`);
  await log.commit({
    user: x.session.user,
    operation: 'RENAME TABLE',
    actions: (state): LogAction[] => {
      // Renames apply in order, so `a TO tmp, b TO a, tmp TO b` swaps two tables.
      const byName = new Map([...liveTables(state)].map(([k, t]) => [k, t.meta]));
      const renamed = new Map<string, TableMeta>();
      for (const r of stmt.renames) {
        const meta = byName.get(nameKey(r.from.name));
        if (meta === undefined) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${r.from.name}' doesn't exist`);
        if (byName.has(nameKey(r.to.name))) throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${r.to.name}' already exists`);
        byName.delete(nameKey(r.from.name));
        const next = { ...meta, name: r.to.name };
        byName.set(nameKey(r.to.name), next);
        renamed.set(meta.id, next);
      }
      return [...renamed.entries()].map(([tableId, table]) => ({ kind: 'alterTable', tableId, table }));
    },
  });
  return ok();
}

/** OPTIMIZE TABLE: compacts each partition's files into one; the old files stay for time travel. */
export async function optimizeTables(x: ExecContext, tables: readonly ObjectName[]): Promise<RowsResult> {
  const out: string[][] = [];
  for (const t of tables) {
    const dbName = currentDatabase(x, t.db);
    const label = `${dbName}.${t.name}`;
    try {
      const work = x.core.work.start('OPTIMIZE', { logger: x.core.logger, message: 'OPTIMIZE progress', fields: { conn: x.session.connectionId, table: label } }, x.session.connectionId);
      try {
        await compactTable(x, dbName, t.name, { minFiles: 2, smallFileBytes: Number.POSITIVE_INFINITY }, work.progress);
      } finally {
        work.finish();
      }
      out.push([label, 'optimize', 'status', 'OK']);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      out.push([label, 'optimize', 'Error', message], [label, 'optimize', 'status', 'Operation failed']);
    }
  }
  return staticRows(['Table', 'Op', 'Msg_type', 'Msg_text'].map((n) => textColumn(n)), out);
}
