// MySQL's strict-mode checks on rows staged for a write (NOT NULL, lengths),
// shared by INSERT, UPDATE and upserts.
import { sqlError } from '../../errors/registry.js';
import type { ColumnDef } from '../../sql/statement.js';
import { duckIdent } from '../duckdb/duck-database.js';
import type { ExecContext } from './context.js';

const LENGTH_CHECKED = new Set(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);

/** MySQL's strict-mode checks on staged rows (with an "_ord" row number column). */
export async function checkRows(x: ExecContext, stage: string, columns: readonly ColumnDef[]): Promise<void> {
  const s = duckIdent(stage);
  const checks: string[] = [];
  columns.forEach((c, i) => {
    if (c.notNull) checks.push(`min("_ord") FILTER (WHERE ${duckIdent(c.name)} IS NULL) AS "null${i}"`);
    if (LENGTH_CHECKED.has(c.type.base) && c.type.length !== undefined) {
      const len = c.type.base === 'BINARY' || c.type.base === 'VARBINARY' ? 'octet_length' : 'length';
      checks.push(`min("_ord") FILTER (WHERE ${len}(${duckIdent(c.name)}) > ${c.type.length}) AS "long${i}"`);
    }
  });
  if (checks.length === 0) return;
  const [row] = await x.duck.all(`SELECT ${checks.join(', ')} FROM ${s}`);
  for (const [i, c] of columns.entries()) {
    const nullAt = row?.[`null${i}`];
    if (nullAt !== null && nullAt !== undefined) throw sqlError('ER_BAD_NULL_ERROR', `Column '${c.name}' cannot be null`);
    const longAt = row?.[`long${i}`];
    if (longAt !== null && longAt !== undefined) {
      throw sqlError('ER_DATA_TOO_LONG', `Data too long for column '${c.name}' at row ${Number(longAt) + 1}`);
    }
  }
}
