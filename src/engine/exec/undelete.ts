// UNDELETE FROM t [WHERE ...] AT (...): the rows of the table as it was then that
// match the WHERE, minus the rows it has now (as multisets), go back in through
// the ordinary INSERT path, so keys, NOT NULL and partitions all apply.
import { sqlError } from '../../errors/registry.js';
import type { Query, Statement } from '../../sql/statement.js';
import type { OkResult } from '../../server/query-handler.js';
import { tableFields } from '../catalog/database-state.js';
import { duckIdent } from '../duckdb/duck-database.js';
import { filesSql } from '../table/table-files.js';
import { currentDatabase, openPast, openTables, printContext, resolveAsOf, type ExecContext } from './context.js';
import { insert } from './insert.js';

type Undelete = Extract<Statement, { kind: 'undelete' }>;

export async function undelete(x: ExecContext, stmt: Undelete): Promise<OkResult> {
  const asOf = stmt.table.asOf;
  if (asOf === undefined) throw sqlError('ER_PARSE_ERROR', 'UNDELETE needs AT (TIMESTAMP => ...) or AT (SNAPSHOT => ...)');
  const dbName = currentDatabase(x, stmt.table.db);
  const current = await x.access.table(dbName, stmt.table.name);
  const pastTable = await resolveAsOf(x, current, asOf);
  const past = pastTable.table;
  const meta = current.table.meta;
  // Old files are read through today's definition; files from before the first ALTER
  // learn their fields from the definition they were written with.
  const pastFiles = past.files.map((f) => (f.fields === undefined ? { ...f, fields: tableFields(past.meta) } : f));
  const then = await openPast(current, pastTable, () =>
    current.home.files.acquire(
      pastFiles.map((f) => f.key),
      x.signal,
    ),
  );
  const now = await current.home.files.acquire(
    current.table.files.map((f) => f.key),
    x.signal,
  );
  const opened = await openTables(x, stmt.where?.tables ?? []);
  try {
    const alias = duckIdent(stmt.table.alias ?? stmt.table.name);
    const where = stmt.where === undefined ? '' : ` WHERE (${stmt.where.print(printContext(x, opened.fragments))})`;
    const columns = meta.columns.map((c) => `${alias}.${duckIdent(c.name)}`).join(', ');
    const sql =
      `SELECT ${columns} FROM ${filesSql(meta, pastFiles, then.paths)} AS ${alias}${where} ` +
      `EXCEPT ALL SELECT * FROM ${filesSql(meta, current.table.files, now.paths)}`;
    const missing: Query = { tables: [], locking: false, print: () => sql };
    return await insert(x, {
      kind: 'insert',
      paramCount: 0,
      table: { db: dbName, name: meta.name },
      source: { kind: 'query', query: missing },
      ignore: false,
      replace: false,
    });
  } finally {
    opened.release();
    now.release();
    then.release();
  }
}
