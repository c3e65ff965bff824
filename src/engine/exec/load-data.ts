// LOAD DATA LOCAL INFILE: the client sends the file over the connection; its
// rows go in as one INSERT, so as one commit. Without REPLACE, rows with a
// duplicate key are skipped (MySQL's rule for LOCAL: the server cannot stop the
// client's transfer half-way, so errors become warnings).
import { randomBytes } from 'node:crypto';
import { sqlError } from '../../errors/registry.js';
import type { LoadDataStatement, Statement } from '../../sql/statement.js';
import type { OkResult } from '../../server/query-handler.js';
import { nameKey } from '../catalog/catalog.js';
import { duckIdent } from '../duckdb/duck-database.js';
import { currentDatabase, type ExecContext } from './context.js';
import { insert } from './insert.js';
import { parseDelimited, type LoadedField } from './load-data-format.js';
import { ok } from './results.js';

const NUMERIC = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE', 'BIT', 'BOOLEAN', 'YEAR']);
const STRING = new Set(['CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'ENUM', 'SET', 'JSON']);

export async function loadData(x: ExecContext, s: LoadDataStatement): Promise<OkResult> {
  if (!s.local) throw sqlError('ER_NOT_SUPPORTED_YET', "This version of ducksafe doesn't yet support 'LOAD DATA INFILE from the server's files (use LOAD DATA LOCAL INFILE)'");
  const readLocalFile = x.localFiles;
  if (readLocalFile === undefined) throw sqlError('ER_NOT_SUPPORTED_YET', "This version of ducksafe doesn't yet support 'LOAD DATA LOCAL INFILE in prepared statements'");
  // The table and columns are checked before the client is asked for the file, as MySQL does.
  const { table } = await x.access.table(currentDatabase(x, s.table.db), s.table.name);
  const targets = (s.columns ?? table.meta.columns.map((c) => c.name)).map((n) => {
    const c = table.meta.columns.find((col) => nameKey(col.name) === nameKey(n));
    if (c === undefined) throw sqlError('ER_BAD_FIELD_ERROR', `Unknown column '${n}' in 'field list'`);
    return c;
  });
  const chunks: Buffer[] = [];
  for await (const chunk of readLocalFile(s.file)) chunks.push(Buffer.from(chunk));
  const parsed = parseDelimited(Buffer.concat(chunks).toString('utf8'), s.format);
  const warnings = x.session.warnings;
  const rows = parsed.map((fields, r): (string | null)[] => {
    if (fields.length > targets.length) {
      warnings.push({ level: 'Warning', code: 1262, message: `Row ${r + 1} was truncated; it contained more data than there were input columns` });
    } else if (fields.length < targets.length) {
      warnings.push({ level: 'Warning', code: 1261, message: `Row ${r + 1} doesn't contain data for all columns` });
    }
    return targets.map((c, i) => {
      const field: LoadedField = fields[i] ?? null;
      // An empty field is 0 in a numeric column and '' in a string one (MySQL's rule); other types take NULL.
      return field !== '' || STRING.has(c.type.base) ? field : NUMERIC.has(c.type.base) ? '0' : null;
    });
  });
  if (rows.length === 0) return ok(0, 0n, `Records: 0  Deleted: 0  Skipped: 0  Warnings: ${warnings.length}`);
  // The fields go into a text table through DuckDB's appender and the INSERT reads
  // them from there, cast to the columns' types as literals in a VALUES list would be.
  const load = `_ducksafe_load_${randomBytes(6).toString('hex')}`;
  const fieldNames = targets.map((_c, i) => duckIdent(`f${i}`));
  await x.duck.run(`CREATE TEMP TABLE ${duckIdent(load)} ("_ord" BIGINT, ${fieldNames.map((f) => `${f} VARCHAR`).join(', ')})`);
  let result: OkResult;
  try {
    await x.duck.appendToTemp(load, rows);
    const statement: Extract<Statement, { kind: 'insert' }> = {
      kind: 'insert',
      paramCount: 0,
      table: s.table,
      columns: targets.map((c) => c.name),
      source: { kind: 'query', query: { tables: [], locking: false, print: () => `SELECT ${fieldNames.join(', ')} FROM ${duckIdent(load)} ORDER BY "_ord"` } },
      ignore: s.duplicates === 'ignore',
      replace: s.duplicates === 'replace',
    };
    result = await insert(x, statement);
  } finally {
    await x.duck.run(`DROP TABLE IF EXISTS ${duckIdent(load)}`).catch(() => undefined);
  }
  const added = Number(result.affectedRows);
  // REPLACE counts a replaced row twice (deleted and inserted), as MySQL does.
  const deleted = s.duplicates === 'replace' ? Math.max(0, added - rows.length) : 0;
  const skipped = s.duplicates === 'replace' ? 0 : rows.length - added;
  return ok(result.affectedRows, result.insertId, `Records: ${rows.length}  Deleted: ${deleted}  Skipped: ${skipped}  Warnings: ${warnings.length}`);
}
