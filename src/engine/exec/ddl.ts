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
import { ok } from './results.js';

type CreateTable = Extract<Statement, { kind: 'createTable' }>;

const MAX_IDENTIFIER = 64;
const TEXT_TYPES = new Set(['TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'JSON']);
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT']);

export function checkName(kind: 'database' | 'table' | 'column', name: string): void {
  if (name.length > MAX_IDENTIFIER) throw sqlError('ER_TOO_LONG_IDENT', `Identifier name '${name}' is too long`);
  if (name === '' || name.endsWith(' ')) {
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
    const { log } = await warehouse.databaseLog(name);
    tables = liveTables(log.current()).size;
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
  return `CAST(${expr} AS ${c.type.duck})`;
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

  const startAt = stmt.options.auto_increment ?? '1';
  if (!/^\d+$/.test(startAt)) throw sqlError('ER_WRONG_ARGUMENTS', `Incorrect AUTO_INCREMENT value '${startAt}'`);
  let meta: TableMeta = {
    id: newId(),
    name: stmt.table.name,
    columns,
    indexes,
    options: stmt.options,
    createdAt: new Date().toISOString(),
  };
  if (stmt.partition !== undefined) {
    validatePartitioning(
      stmt.partition,
      columns.map((c) => c.name),
    );
    meta = { ...meta, partition: stmt.partition, ...assignPartitionIds(meta, stmt.partition) };
  }
  const target = await x.core.warehouse.databaseLog(dbName);
  let existed = false;
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
  for (const [dbName, names] of byDb) {
    if (!(await x.core.warehouse.databaseExists(dbName))) {
      if (!ifExists) missing.push(...names.map((n) => `${dbName}.${n}`));
      continue;
    }
    const { log } = await x.core.warehouse.databaseLog(dbName);
    const live = liveTables(log.current());
    const present = names.filter((n) => live.has(nameKey(n)));
    for (const n of names) if (!live.has(nameKey(n))) missing.push(`${dbName}.${n}`);
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
  return ok();
}

/** UNDROP TABLE t [AS other]: the most recently dropped table of that name comes back, files and all. */
export async function undropTable(x: ExecContext, table: ObjectName, as: ObjectName | undefined): Promise<OkResult> {
  const dbName = currentDatabase(x, table.db);
  const target = as?.name ?? table.name;
  if (as?.db !== undefined && nameKey(as.db) !== nameKey(dbName)) throw sqlError('ER_NOT_SUPPORTED_YET', 'UNDROP TABLE into another database is not supported yet');
  checkName('table', target);
  const { log } = await x.core.warehouse.databaseLog(dbName);
  await log.commit({
    user: x.session.user,
    operation: 'UNDROP TABLE',
    actions: (state): LogAction[] => {
      const candidates = Object.values(state.tables).filter((t) => t.dropped !== undefined && nameKey(t.meta.name) === nameKey(table.name));
      const latest = candidates.sort((a, b) => (b.dropped?.seq ?? 0) - (a.dropped?.seq ?? 0))[0];
      if (latest === undefined) throw sqlError('ER_NO_SUCH_TABLE', `Table '${dbName}.${table.name}' was not dropped (or is past its retention)`);
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
  await x.core.warehouse.catalog.undropDatabase(name, x.session.user);
  return ok();
}
