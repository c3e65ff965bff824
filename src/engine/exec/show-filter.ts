// SHOW ... LIKE (on the first column) and SHOW ... WHERE (over the output
// columns, evaluated by DuckDB like any other expression) for rows computed in
// the engine.
import type { ShowFilter } from '../../sql/statement.js';
import type { ResultColumn, RowsResult, WireValue } from '../../server/query-handler.js';
import { duckIdent, duckLiteral } from '../duckdb/duck-database.js';
import { printContext, type ExecContext } from './context.js';
import { likeToRegExp, staticRows } from './results.js';

export async function filtered(
  x: ExecContext,
  columns: readonly ResultColumn[],
  rows: WireValue[][],
  filter: ShowFilter | undefined,
): Promise<RowsResult> {
  if (filter === undefined) return staticRows(columns, rows);
  if (filter.kind === 'like') {
    const re = likeToRegExp(filter.pattern);
    return staticRows(
      columns,
      rows.filter((r) => typeof r[0] === 'string' && re.test(r[0])),
    );
  }
  if (rows.length === 0) return staticRows(columns, rows);
  const names = columns.map((c) => duckIdent(c.name)).join(', ');
  const values = rows
    .map((r, i) => `(${i}, ${r.map((v) => duckLiteral(v === null ? null : typeof v === 'string' ? v : Buffer.from(v).toString())).join(', ')})`)
    .join(', ');
  const where = filter.expr.print(printContext(x, new Map()));
  const kept = await x.duck.all(`SELECT "__row" FROM (VALUES ${values}) AS t("__row", ${names}) WHERE ${where} ORDER BY "__row"`);
  return staticRows(
    columns,
    kept.map((k) => rows[Number(k.__row)] ?? []),
  );
}
