// CREATE/DROP DATABASE, CREATE/DROP TABLE, USE. Every change is one commit:
// databases in the catalog log, tables in their database's log.
import { sqlError } from '../../errors/registry.js';
import type { ColumnDef, IndexDef, ObjectName, Statement } from '../../sql/statement.js';
import type { OkResult } from '../../server/query-handler.js';
import { newId, nameKey } from '../catalog/catalog.js';
import { initialAutoIncrement, liveTables, liveViews, type LogAction, type TableMeta } from '../catalog/database-state.js';
import { duckIdent, duckLiteral } from '../duckdb/duck-database.js';
import { assignPartitionIds, validatePartitioning } from '../table/partitioning.js';
import { currentDatabase, type ExecContext } from './context.js';
import { checkRetentionOption, databaseRetentionHours, dropExpired, RETENTION_OPTION, retentionHours } from '../retention.js';
import { ok } from './results.js';
import { INFORMATION_SCHEMA } from './information-schema.js';
import { createExternalTable, droppedExternalTable, dropExternalTable, undropExternalTable } from './external-tables.js';
import type { ExternalTableEntry } from '../catalog/locations.js';

type CreateTable = Extract<Statement, { kind: 'createTable' }>;

const MAX_IDENTIFIER = 64;
const TEXT_TYPES = new Set(['TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'JSON']);
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT']);

export function checkName(kind: 'database' | 'table' | 'column', name: string): void {
  if (name.length > MAX_IDENTIFIER) throw sqlError('ER_TOO_LONG_IDENT', `Identifier name '${name}' is too long`);
  // MySQL permits no NUL in an identifier, quoted or not.
  if (name === '' || name.endsWith(' ') || name.includes('\0')) {
    if (kind === 'database') throw sqlError('ER_WRONG_DB_NAME', `Incorrect database name '${name}'`);
    if (kind === 'table') throw sqlError('ER_WRONG_TABLE_NAME', `Incorrect table name '${name}'`);
    throw sqlError('ER_WRONG_FIELD_SPEC', `Incorrect column name '${name}'`);
  }
}

export async function createDatabase(x: ExecContext, name: string, ifNotExists: boolean): Promise<OkResult> {
  checkName('database', name);
  const created = await x.core.warehouse.catalog.createDatabase(name, x.session.user, ifNotExists);
  if (!created) x.session.warnings.push({ level: 'Note', code: 1007, message: `Can't create database '${name}'; database exists` });
  return ok(created ? 1 : 0);
}

export async function dropDatabase(x: ExecContext, name: string, ifExists: boolean): Promise<OkResult> {
  const { warehouse } = x.core;
  let tables = 0;
  if (await warehouse.databaseExists(name)) {
    const { db, log } = await warehouse.databaseLog(name);
    tables = liveTables(log.current()).size + warehouse.catalog.externalTables(db.id).filter((t) => t.dropped === undefined).length;
  }
  const dropped = await warehouse.catalog.dropDatabase(name, x.session.user, ifExists);
  if (dropped === undefined) {
    x.session.warnings.push({ level: 'Note', code: 1008, message: `Can't drop database '${name}'; database doesn't exist` });
    return ok(0);
  }
  if (x.session.database !== null && nameKey(x.session.database) === nameKey(name)) x.session.database = null;
  return ok(tables);
}

export async function useDatabase(x: ExecContext, name: string): Promise<OkResult> {
  // information_schema is no database of the warehouse, but tools `USE` it to browse metadata.
  if (nameKey(name) === INFORMATION_SCHEMA) {
    x.session.database = INFORMATION_SCHEMA;
    return ok();
  }
  const db = await x.core.warehouse.database(name);
  x.session.database = db.name;
  return ok();
}

export function validateColumns(columns: readonly ColumnDef[], indexes: readonly IndexDef[]): { columns: ColumnDef[]; indexes: IndexDef[] } {
  if (columns.length === 0) throw sqlError('ER_TABLE_MUST_HAVE_COLUMNS', 'A table must have at least 1 column');
  const seen = new Set<string>();
  for (const c of columns) {
    checkName('column', c.name);
    if (seen.has(nameKey(c.name))) throw sqlError('ER_DUP_FIELDNAME', `Duplicate column name '${c.name}'`);
    seen.add(nameKey(c.name));
    if (c.default?.kind === 'literal' && c.default.value !== null && TEXT_TYPES.has(c.type.base)) {
      throw sqlError('ER_BLOB_CANT_HAVE_DEFAULT', `BLOB, TEXT, GEOMETRY or JSON column '${c.name}' can't have a default value`);
    }
    if (c.autoIncrement && !INTEGER_TYPES.has(c.type.base) && c.type.base !== 'FLOAT' && c.type.base !== 'DOUBLE') {
      throw sqlError('ER_WRONG_FIELD_SPEC', `Incorrect column specifier for column '${c.name}'`);
    }
  }
  const primaries = indexes.filter((i) => i.kind === 'primary');
  if (primaries.length > 1) throw sqlError('ER_MULTIPLE_PRI_KEY', 'Multiple primary key defined');
  for (const idx of indexes) {
    for (const col of idx.columns) {
      if (!seen.has(nameKey(col))) throw sqlError('ER_KEY_COLUMN_DOES_NOT_EXITS', `Key column '${col}' doesn't exist in table`);
    }
  }
  const autos = columns.filter((c) => c.autoIncrement);
  if (autos.length > 1 || autos.some((a) => !indexes.some((i) => nameKey(i.columns[0] ?? '') === nameKey(a.name)))) {
    throw sqlError('ER_WRONG_AUTO_KEY', 'Incorrect table definition; there can be only one auto column and it must be defined as a key');
  }
  // Primary key columns are NOT NULL in MySQL whatever the declaration says.
  const pk = new Set((primaries[0]?.columns ?? []).map(nameKey));
  return {
    columns: columns.map((c) => (pk.has(nameKey(c.name)) && !c.notNull ? { ...c, notNull: true } : c)),
    indexes: [...indexes],
  };
}

/** SQL for a column's default in DuckDB, or NULL. */
export function defaultSql(c: ColumnDef): string {
  if (c.default === undefined) return `CAST(NULL AS ${c.type.duck})`;
  const expr = c.default.kind === 'literal' ? duckLiteral(c.default.value) : c.default.duck;
  return storedValueSql(c, expr);
}

/**
 * SQL for a value as the column stores it. CHAR drops trailing spaces, as MySQL
 * does (it pads on disk and strips on read): `ch = 'pad'` finds a row inserted as 'pad  '.
 */
export function storedValueSql(c: ColumnDef, expr: string): string {
  const cast = `CAST(${expr} AS ${c.type.duck})`;
  return c.type.base === 'CHAR' ? `rtrim(${cast}, ' ')` : cast;
}

/**
 * Table options a CREATE or ALTER TABLE may give: MySQL's (most are accepted and have no
 * effect here, so that dumps load) and Databend's. Anything else is refused, as MariaDB
 * does, rather than kept and ignored: `LOCATION = '...'` must not quietly make an
 * ordinary table of what was meant to be an external one.
 */
const TABLE_OPTIONS = new Set([
  'engine', 'auto_increment', 'avg_row_length', 'charset', 'collate', 'checksum', 'comment', 'compression', 'connection',
  'data directory', 'delay_key_write', 'encryption', 'index directory', 'insert_method', 'key_block_size', 'max_rows', 'min_rows',
  'pack_keys', 'password', 'row_format', 'stats_auto_recalc', 'stats_persistent', 'stats_sample_pages', 'tablespace', 'union',
  'autoextend_size', 'engine_attribute', 'secondary_engine', 'secondary_engine_attribute', 'start', RETENTION_OPTION,
  // Databend's storage options, accepted and without effect on Parquet files written here.
  'block_per_segment', 'row_per_block', 'block_size_threshold', 'bloom_index_columns', 'storage_format', 'change_tracking',
]);

export function checkTableOptions(options: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(options)) {
    if (!TABLE_OPTIONS.has(name.toLowerCase())) throw sqlError('ER_UNKNOWN_OPTION', `Unknown option '${name}'`);
  }
}

/** CREATE TABLE with its columns given; AS SELECT and LIKE are built on it in create-as.ts. */
export async function createTable(x: ExecContext, stmt: CreateTable): Promise<OkResult> {
  checkName('table', stmt.table.name);
  const dbName = currentDatabase(x, stmt.table.db);
  const { columns, indexes } = validateColumns(stmt.columns, stmt.indexes);

  // Every type and default must be something DuckDB accepts before it is committed.
  const probe = columns.map((c) => `${defaultSql(c)} AS ${duckIdent(c.name)}`).join(', ');
  try {
    await x.duck.run(`SELECT ${probe} LIMIT 0`);
  } catch (err) {
    const bad = columns.find((c) => c.default !== undefined);
    throw sqlError('ER_INVALID_DEFAULT', `Invalid default value for '${bad?.name ?? columns[0]?.name ?? ''}'`, err);
  }

  checkTableOptions(stmt.options);
  const retention = stmt.options[RETENTION_OPTION];
  if (retention !== undefined) checkRetentionOption(retention);
  const startAt = stmt.options.auto_increment ?? '1';
  if (!/^\d+$/.test(startAt)) throw sqlError('ER_WRONG_ARGUMENTS', `Incorrect AUTO_INCREMENT value '${startAt}'`);
  let meta: TableMeta = {
    id: newId(),
    name: stmt.table.name,
    columns,
    indexes,
    options: stmt.options,
    createdAt: x.core.now().toISOString(),
  };
  if (stmt.partition !== undefined) {
    validatePartitioning(
      stmt.partition,
      columns.map((c) => c.name),
    );
    meta = { ...meta, partition: stmt.partition, ...assignPartitionIds(meta, stmt.partition) };
  }
  if (stmt.external !== undefined) return createExternalTable(x, await x.core.warehouse.database(dbName), meta, stmt.external, stmt.ifNotExists);
  const target = await x.core.warehouse.databaseLog(dbName);
  let existed = false;
  if (x.core.warehouse.catalog.liveExternalTable(target.db.id, stmt.table.name) !== undefined) {
    if (!stmt.ifNotExists) throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${stmt.table.name}' already exists`);
    x.session.warnings.push({ level: 'Note', code: 1050, message: `Table '${stmt.table.name}' already exists` });
    return ok();
  }
  await x.access.commit(target, {
    user: x.session.user,
    operation: 'CREATE TABLE',
    actions: (state): LogAction[] => {
      // A view holds its name as a table would (MySQL: one namespace).
      if (liveTables(state).has(nameKey(stmt.table.name)) || liveViews(state).has(nameKey(stmt.table.name))) {
        if (stmt.ifNotExists) {
          existed = true;
          return [];
        }
        throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${stmt.table.name}' already exists`);
      }
      return [{ kind: 'createTable', table: meta, autoIncrement: initialAutoIncrement(meta) }];
    },
  });
  if (existed) x.session.warnings.push({ level: 'Note', code: 1050, message: `Table '${stmt.table.name}' already exists` });
  return ok();
}

export async function dropTables(x: ExecContext, tables: readonly ObjectName[], ifExists: boolean): Promise<OkResult> {
  // Group by database: one commit per database, and nothing dropped when any name is unknown.
  const byDb = new Map<string, string[]>();
  for (const t of tables) {
    const db = currentDatabase(x, t.db);
    byDb.set(db, [...(byDb.get(db) ?? []), t.name]);
  }
  const missing: string[] = [];
  const plans: { log: Awaited<ReturnType<typeof x.core.warehouse.databaseLog>>['log']; names: string[] }[] = [];
  const externals: ExternalTableEntry[] = [];
  for (const [dbName, names] of byDb) {
    if (!(await x.core.warehouse.databaseExists(dbName))) {
      if (!ifExists) missing.push(...names.map((n) => `${dbName}.${n}`));
      continue;
    }
    const { db, log } = await x.core.warehouse.databaseLog(dbName);
    const live = liveTables(log.current());
    const present = names.filter((n) => live.has(nameKey(n)));
    for (const n of names) {
      if (live.has(nameKey(n))) continue;
      const external = x.core.warehouse.catalog.liveExternalTable(db.id, n);
      if (external === undefined) missing.push(`${dbName}.${n}`);
      else externals.push(external);
    }
    plans.push({ log, names: present });
  }
  if (missing.length > 0 && !ifExists) throw sqlError('ER_BAD_TABLE_ERROR', `Unknown table '${missing.join(',')}'`);
  for (const m of missing) x.session.warnings.push({ level: 'Note', code: 1051, message: `Unknown table '${m}'` });
  for (const { log, names } of plans) {
    if (names.length === 0) continue;
    await log.commit({
      user: x.session.user,
      operation: 'DROP TABLE',
      actions: (state) => {
        const live = liveTables(state);
        return names.flatMap((n): LogAction[] => {
          const t = live.get(nameKey(n));
          return t === undefined ? [] : [{ kind: 'dropTable', tableId: t.meta.id }];
        });
      },
    });
  }
  for (const external of externals) await dropExternalTable(x, external);
  return ok();
}

/** UNDROP TABLE t [AS other]: the most recently dropped table of that name comes back, files and all. */
export async function undropTable(x: ExecContext, table: ObjectName, as: ObjectName | undefined): Promise<OkResult> {
  const dbName = currentDatabase(x, table.db);
  const target = as?.name ?? table.name;
  if (as?.db !== undefined && nameKey(as.db) !== nameKey(dbName)) throw sqlError('ER_NOT_SUPPORTED_YET', 'UNDROP TABLE into another database is not supported yet');
  checkName('table', target);
  const { db, log } = await x.core.warehouse.databaseLog(dbName);
  // The most recently dropped table of that name, of the database or external.
  const external = droppedExternalTable(x, db, table.name);
  const internal = Object.values(log.current().tables)
    .filter((t) => t.dropped !== undefined && nameKey(t.meta.name) === nameKey(table.name))
    .sort((a, b) => (b.dropped?.seq ?? 0) - (a.dropped?.seq ?? 0))[0];
  if (external !== undefined && (internal === undefined || Date.parse(external.dropped?.at ?? '') > Date.parse(internal.dropped?.at ?? ''))) {
    return undropExternalTable(x, db, external, target);
  }
  if (x.core.warehouse.catalog.liveExternalTable(db.id, target) !== undefined) throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${target}' already exists`);
  await log.commit({
    user: x.session.user,
    operation: 'UNDROP TABLE',
    actions: (state): LogAction[] => {
      const candidates = Object.values(state.tables).filter((t) => t.dropped !== undefined && nameKey(t.meta.name) === nameKey(table.name));
      const latest = candidates.sort((a, b) => (b.dropped?.seq ?? 0) - (a.dropped?.seq ?? 0))[0];
      if (latest?.dropped === undefined) throw sqlError('ER_NO_SUCH_TABLE', `Table '${dbName}.${table.name}' was not dropped`);
      const dropped = `Table '${dbName}.${table.name}' was dropped at ${stamp(latest.dropped.at)}`;
      if (latest.purged !== undefined) {
        throw sqlError('ER_NO_SUCH_TABLE', `${dropped} and is past its retention period: VACUUM purged it at ${stamp(latest.purged.at)}, so it cannot be undropped`);
      }
      const hours = retentionHours(latest.meta, x.core.retention);
      if (dropExpired(latest.dropped.at, hours, x.core.now())) {
        throw sqlError('ER_NO_SUCH_TABLE', `${dropped} and is past its retention period of ${hours} hours, so it cannot be undropped`);
      }
      if (liveTables(state).has(nameKey(target))) {
        throw sqlError(
          'ER_TABLE_EXISTS_ERROR',
          as === undefined
            ? `Table '${target}' already exists: undrop it under another name with UNDROP TABLE ${table.name} AS <new_name>`
            : `Table '${target}' already exists`,
        );
      }
      return [{ kind: 'undropTable', tableId: latest.meta.id, name: target }];
    },
  });
  return ok();
}

export async function undropDatabase(x: ExecContext, name: string): Promise<OkResult> {
  const { catalog } = x.core.warehouse;
  await catalog.refresh();
  const target = catalog.lastDropped(name);
  if (target?.dropped !== undefined && target.dropped.purgedAt === undefined && catalog.liveDatabase(name) === undefined) {
    const hours = databaseRetentionHours((await x.core.warehouse.log(target)).current(), x.core.retention);
    if (dropExpired(target.dropped.at, hours, x.core.now())) {
      throw sqlError(
        'ER_BAD_DB_ERROR',
        `Unknown database '${target.name}': it was dropped at ${stamp(target.dropped.at)} and is past its retention period of ${hours} hours, so it cannot be undropped`,
      );
    }
  }
  // The catalog re-checks under its lock: a name reused or a purge in the meantime wins.
  await catalog.undropDatabase(name, x.session.user, target?.id);
  return ok();
}

/** A stored timestamp as MySQL prints a DATETIME (UTC). */
export function stamp(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}
