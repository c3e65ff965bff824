// The row an assignment list (UPDATE's SET, ON DUPLICATE KEY UPDATE) makes of an
// existing row, as DuckDB select items: assigned columns take their new value
// where `hit` holds and keep the old one elsewhere.
import { sqlError } from '../../errors/registry.js';
import type { Assignment, ColumnDef, PrintContext, Printable } from '../../sql/statement.js';
import { nameKey } from '../catalog/catalog.js';
import { duckIdent } from '../duckdb/duck-database.js';
import { defaultSql, storedValueSql } from './ddl.js';

export interface UpdatedRow {
  /** Select items producing every column of the table, in order. */
  readonly select: string;
  /** True for a row that `hit` selects and whose assigned values actually differ. */
  readonly changed: string;
}

/**
 * A value for column `c`. As in MySQL, a text literal reaches a BLOB column as its
 * UTF-8 bytes, and a bytes literal reaches a text column as the text those bytes
 * encode (an error when they are not UTF-8). CHAR drops trailing spaces (storedValueSql).
 */
export function castToColumn(value: Printable, ctx: PrintContext, c: ColumnDef): string {
  const sql = value.print(ctx);
  if (c.type.duck === 'BLOB' && value.textLiteral === true) return `encode(${sql})`;
  if ((c.type.duck === 'VARCHAR' || c.type.duck === 'JSON') && value.binaryLiteral === true) return `CAST(decode(${sql}) AS ${c.type.duck})`;
  return storedValueSql(c, sql);
}

export function updatedRowSql(columns: readonly ColumnDef[], assignments: readonly Assignment[], ctx: PrintContext, alias: string, hit: string): UpdatedRow {
  const assigned = new Map<string, Assignment>();
  for (const a of assignments) {
    if (!columns.some((c) => nameKey(c.name) === nameKey(a.column))) throw sqlError('ER_BAD_FIELD_ERROR', `Unknown column '${a.column}' in 'field list'`);
    assigned.set(nameKey(a.column), a);
  }
  const value = (c: ColumnDef): string | undefined => {
    const a = assigned.get(nameKey(c.name));
    if (a === undefined) return undefined;
    return a.value.kind === 'default' ? defaultSql(c) : castToColumn(a.value.expr, ctx, c);
  };
  const old = (c: ColumnDef): string => `${alias}.${duckIdent(c.name)}`;
  const select = columns.map((c) => {
    const v = value(c);
    return v === undefined ? old(c) : `CASE WHEN ${hit} THEN ${v} ELSE ${old(c)} END AS ${duckIdent(c.name)}`;
  });
  // A row changes when its stored bytes change: 'b' -> 'B' is a change although the
  // case-insensitive collation calls them equal.
  const exact = (sql: string, c: ColumnDef): string => (c.type.duck === 'VARCHAR' || c.type.duck === 'JSON' ? `encode(CAST(${sql} AS VARCHAR))` : sql);
  const differs = columns.flatMap((c) => {
    const v = value(c);
    return v === undefined ? [] : [`${exact(`(${v})`, c)} IS DISTINCT FROM ${exact(old(c), c)}`];
  });
  return { select: select.join(', '), changed: `(${hit} AND (${differs.join(' OR ') || 'FALSE'}))` };
}
