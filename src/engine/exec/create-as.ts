// CREATE TABLE ... AS SELECT and CREATE TABLE ... LIKE. CTAS is atomic, as in
// MySQL 8: the new table and its rows are one log entry (built in a private
// transaction), so a failing SELECT leaves no empty table behind.
import type { ColumnDef, Statement } from '../../sql/statement.js';
import { parseColumnType } from '../../sql/parse/index.js';
import type { OkResult } from '../../server/query-handler.js';
import { nameKey } from '../catalog/catalog.js';
import { Transaction } from '../transaction.js';
import { currentDatabase, openTables, printContext, type ExecContext } from './context.js';
import { createTable } from './ddl.js';
import { insert } from './insert.js';
import { ok } from './results.js';
import { mysqlTypeFor } from './mysql-type-for.js';

type CreateTable = Extract<Statement, { kind: 'createTable' }>;

export async function createTableAs(x: ExecContext, stmt: CreateTable): Promise<OkResult> {
  if (stmt.like !== undefined) return createTableLike(x, stmt);
  const query = stmt.asSelect;
  if (query === undefined) return createTable(x, stmt);
  if (stmt.ifNotExists) {
    // MySQL 8: an existing table gets a note, and none of the SELECT's rows.
    const db = await x.core.warehouse.database(currentDatabase(x, stmt.table.db));
    if (await x.core.warehouse.tableNameTaken(db, stmt.table.name)) {
      x.session.warnings.push({ level: 'Note', code: 1050, message: `Table '${stmt.table.name}' already exists` });
      return ok(0);
    }
  }

  const opened = await openTables(x, query.tables);
  let described;
  try {
    // Only described here: the rows are printed (and warn) when they are inserted.
    described = await x.duck.describe(query.print(printContext(x, opened.fragments, undefined, 'none')));
  } finally {
    opened.release();
  }
  // Explicit column definitions come first and win over query columns of the same name.
  const explicit = new Set(stmt.columns.map((c) => nameKey(c.name)));
  const fromQuery: ColumnDef[] = described
    .filter((c) => !explicit.has(nameKey(c.name)))
    .map((c) => ({ name: c.name, type: parseColumnType(mysqlTypeFor(c.typeText)), notNull: false, autoIncrement: false, onUpdateCurrentTimestamp: false }));
  const columns = [...stmt.columns, ...fromQuery];

  const tx = new Transaction(x.core.warehouse, x.session.user, x.core.pins);
  const inTx: ExecContext = { ...x, access: tx };
  const { asSelect: _q, ...definition } = stmt;
  let result;
  try {
    await createTable(inTx, { ...definition, columns });
    const names = described.map((c) => c.name);
    result = await insert(inTx, {
      kind: 'insert',
      paramCount: 0,
      table: stmt.table,
      columns: names,
      source: { kind: 'query', query },
      ignore: false,
      replace: false,
    });
  } catch (err) {
    tx.discard();
    throw err;
  }
  await tx.commitAll();
  return ok(result.affectedRows, 0n, `Records: ${result.affectedRows}  Duplicates: 0  Warnings: 0`);
}

async function createTableLike(x: ExecContext, stmt: CreateTable): Promise<OkResult> {
  const like = stmt.like;
  if (like === undefined) return createTable(x, stmt);
  const { table } = await x.access.table(currentDatabase(x, like.db), like.name);
  const { like: _l, ...definition } = stmt;
  // The definition only: columns, keys and options; no rows, no AUTO_INCREMENT position.
  const { auto_increment: _a, ...options } = table.meta.options;
  return createTable(x, { ...definition, columns: table.meta.columns, indexes: table.meta.indexes, options });
}
