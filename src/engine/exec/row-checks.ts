// MySQL's checks on rows staged for a write (NOT NULL, lengths), shared by INSERT,
// UPDATE and upserts. In strict mode (sql_mode STRICT_TRANS_TABLES or
// STRICT_ALL_TABLES, the default) a value too long is an error; without it, and for
// INSERT IGNORE, MySQL cuts the text to the column's length and warns instead.
import { sqlError } from '../../errors/registry.js';
import type { ColumnDef } from '../../sql/statement.js';
import { duckIdent } from '../duckdb/duck-database.js';
import { strictMode, type ExecContext } from './context.js';

const LENGTH_CHECKED = new Set(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);
const BYTES = new Set(['BINARY', 'VARBINARY']);
/** MySQL keeps this many of a statement's warnings (max_error_count's default). */
const MAX_WARNINGS = 1024;

/**
 * Checks staged rows (with an "_ord" row number column). `ignore` (INSERT IGNORE)
 * turns a too-long text into a truncation with a warning, as a non-strict sql_mode does.
 */
export async function checkRows(x: ExecContext, stage: string, columns: readonly ColumnDef[], ignore = false): Promise<void> {
  const s = duckIdent(stage);
  const checks: string[] = [];
  columns.forEach((c, i) => {
    if (c.notNull) checks.push(`min("_ord") FILTER (WHERE ${duckIdent(c.name)} IS NULL) AS "null${i}"`);
    if (LENGTH_CHECKED.has(c.type.base) && c.type.length !== undefined) {
      const len = BYTES.has(c.type.base) ? 'octet_length' : 'length';
      checks.push(`min("_ord") FILTER (WHERE ${len}(${duckIdent(c.name)}) > ${c.type.length}) AS "long${i}"`);
    }
  });
  if (checks.length === 0) return;
  const [row] = await x.duck.all(`SELECT ${checks.join(', ')} FROM ${s}`);
  const lenient = ignore || !strictMode(x);
  for (const [i, c] of columns.entries()) {
    const nullAt = row?.[`null${i}`];
    if (nullAt !== null && nullAt !== undefined) throw sqlError('ER_BAD_NULL_ERROR', `Column '${c.name}' cannot be null`);
    const longAt = row?.[`long${i}`];
    if (longAt === null || longAt === undefined) continue;
    // DuckDB cannot cut a BLOB to a length, so bytes stay an error in every mode.
    if (!lenient || BYTES.has(c.type.base) || c.type.length === undefined) {
      throw sqlError('ER_DATA_TOO_LONG', `Data too long for column '${c.name}' at row ${Number(longAt) + 1}`);
    }
    await truncate(x, s, c, c.type.length);
  }
}

async function truncate(x: ExecContext, stage: string, c: ColumnDef, length: number): Promise<void> {
  const col = duckIdent(c.name);
  const long = await x.duck.all(`SELECT "_ord" AS o FROM ${stage} WHERE length(${col}) > ${length} ORDER BY "_ord" LIMIT ${MAX_WARNINGS}`);
  await x.duck.run(`UPDATE ${stage} SET ${col} = left(${col}, ${length}) WHERE length(${col}) > ${length}`);
  for (const r of long) {
    if (x.session.warnings.length >= MAX_WARNINGS) break;
    x.session.warnings.push({ level: 'Warning', code: 1265, message: `Data truncated for column '${c.name}' at row ${Number(r.o) + 1}` });
  }
}
