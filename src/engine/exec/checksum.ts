// CHECKSUM TABLE: one number per table from the content of its rows, so that two
// copies of a table (a restored one and its source, a table and its state at a
// snapshot recreated elsewhere) can be compared without reading them side by side.
// As in MySQL the value depends on the rows only, not on their order or on how they
// are stored; it is specific to this server (MySQL's own checksums differ between
// its row formats too). A table that does not exist gets NULL and a warning, as in MySQL.
import { isSqlError } from '../../errors/registry.js';
import type { ObjectName } from '../../sql/statement.js';
import type { RowsResult, WireValue } from '../../server/query-handler.js';
import { currentDatabase, openTables, type ExecContext } from './context.js';
import { intColumn, staticRows, textColumn } from './results.js';

/** The sum of the rows' hashes modulo 2^64: duplicates count, the order does not. */
const ROWS_CHECKSUM = `COALESCE(sum(hash("__row")::HUGEINT) % 18446744073709551616, 0)::UBIGINT`;

export async function checksumTables(x: ExecContext, tables: readonly ObjectName[]): Promise<RowsResult> {
  const rows: WireValue[][] = [];
  for (const t of tables) {
    const db = currentDatabase(x, t.db);
    const label = `${db}.${t.name}`;
    let opened: Awaited<ReturnType<typeof openTables>>;
    try {
      opened = await openTables(x, [{ refId: 0, db, name: t.name }]);
    } catch (err) {
      if (!isSqlError(err) || err.code !== 'ER_NO_SUCH_TABLE') throw err;
      x.session.warnings.push({ level: 'Error', code: err.errno, message: err.message });
      rows.push([label, null]);
      continue;
    }
    try {
      // A table alias stands for the whole row (a struct) in DuckDB.
      const [result] = await x.duck.all(`SELECT ${ROWS_CHECKSUM}::VARCHAR AS sum FROM ${opened.fragments.get(0) ?? ''} AS "__row"`);
      rows.push([label, typeof result?.sum === 'string' ? result.sum : '0']);
    } finally {
      opened.release();
    }
  }
  return staticRows([textColumn('Table'), { ...intColumn('Checksum'), unsigned: true }], rows);
}
