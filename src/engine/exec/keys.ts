// PRIMARY KEY and UNIQUE enforcement. New rows (a staged relation) are checked
// against each other and against the rows already in the table's other files.
// Key equality follows the session collation (case-insensitive text), as in
// MySQL, and NULLs never collide in a UNIQUE key.
import { sqlError, type SqlError } from '../../errors/registry.js';
import type { DataFile, TableMeta } from '../catalog/database-state.js';
import { duckIdent } from '../duckdb/duck-database.js';
import { filesSql, type FileAccess } from '../table/table-files.js';
import { pruneFiles } from '../table/prune.js';
import type { ColumnBound, SqlValue } from '../../sql/statement.js';
import type { ExecContext } from './context.js';

export interface UniqueKey {
  /** As MySQL names it in errors: PRIMARY, or the index name. */
  readonly name: string;
  readonly columns: readonly string[];
}

export function uniqueKeys(meta: TableMeta): UniqueKey[] {
  return meta.indexes
    .filter((i) => i.kind === 'primary' || i.kind === 'unique')
    .map((i) => ({ name: i.kind === 'primary' ? 'PRIMARY' : (i.name ?? i.columns[0] ?? 'key'), columns: i.columns }))
    .map((k) => ({
      ...k,
      columns: k.columns.map((c) => meta.columns.find((col) => col.name.toLowerCase() === c.toLowerCase())?.name ?? c),
    }));
}

export function duplicateError(meta: TableMeta, key: UniqueKey, value: string): SqlError {
  return sqlError('ER_DUP_ENTRY', `Duplicate entry '${value}' for key '${meta.name}.${key.name}'`);
}

/** A relation over the given files' rows (all columns), or an empty typed relation. */
export async function filesRelation(x: ExecContext, access: FileAccess, meta: TableMeta, files: readonly DataFile[]): Promise<{ sql: string; release(): void }> {
  if (files.length === 0) return { sql: filesSql(meta, [], []), release: () => {} };
  const held = await access.acquire(
    files.map((f) => f.key),
    x.signal,
  );
  return { sql: filesSql(meta, files, held.paths), release: () => held.release() };
}

export const keyText = (alias: string, key: UniqueKey): string =>
  key.columns.map((c) => `CAST(${alias}.${duckIdent(c)} AS VARCHAR)`).join(` || '-' || `);
export const notNull = (alias: string, key: UniqueKey): string => key.columns.map((c) => `${alias}.${duckIdent(c)} IS NOT NULL`).join(' AND ');
export const sameKey = (a: string, b: string, key: UniqueKey): string => key.columns.map((c) => `${a}.${duckIdent(c)} = ${b}.${duckIdent(c)}`).join(' AND ');

/**
 * Fails with ER_DUP_ENTRY when `newRows` (a relation with the table's columns)
 * repeats a key within itself or against the rows of `existing`.
 */
export async function enforceUnique(x: ExecContext, access: FileAccess, meta: TableMeta, newRows: string, existing: readonly DataFile[]): Promise<void> {
  const keys = uniqueKeys(meta);
  for (const key of keys) {
    // Only files whose key range overlaps the new rows' can hold a clash.
    const old = await filesRelation(x, access, meta, pruneFiles(meta, existing, await keyRange(x, meta, newRows, key)));
    try {
      const groupCols = key.columns.map((c) => `n.${duckIdent(c)}`).join(', ');
      const [inner] = await x.duck.all(
        `SELECT any_value(${keyText('n', key)}) AS k FROM ${newRows} AS n WHERE ${notNull('n', key)} GROUP BY ${groupCols} HAVING count(*) > 1 LIMIT 1`,
      );
      if (inner !== undefined) throw duplicateError(meta, key, String(inner.k));
      const [clash] = await x.duck.all(
        `SELECT ${keyText('n', key)} AS k FROM ${newRows} AS n WHERE ${notNull('n', key)} AND EXISTS (SELECT 1 FROM ${old.sql} AS o WHERE ${sameKey('o', 'n', key)}) LIMIT 1`,
      );
      if (clash !== undefined) throw duplicateError(meta, key, String(clash.k));
    } finally {
      old.release();
    }
  }
}

/** Bounds on a key's first column covering the new rows, in the forms pruning compares. */
async function keyRange(x: ExecContext, meta: TableMeta, newRows: string, key: UniqueKey): Promise<ColumnBound[]> {
  const name = key.columns[0];
  const column = meta.columns.find((c) => c.name === name);
  if (name === undefined || column === undefined) return [];
  const convert = /^(U?TINYINT|U?SMALLINT|U?INTEGER|U?BIGINT|HUGEINT)$/.test(column.type.duck) ? (t: string): SqlValue => BigInt(t) : /^(DATE|TIMESTAMP)/.test(column.type.duck) ? (t: string): SqlValue => t : undefined;
  if (convert === undefined) return [];
  const c = duckIdent(name);
  const [row] = await x.duck.all(`SELECT CAST(min(${c}) AS VARCHAR) AS lo, CAST(max(${c}) AS VARCHAR) AS hi FROM ${newRows}`);
  if (typeof row?.lo !== 'string' || typeof row.hi !== 'string') return [];
  return [
    { refId: 0, column: name, op: '>=', values: [convert(row.lo)] },
    { refId: 0, column: name, op: '<=', values: [convert(row.hi)] },
  ];
}

export interface StagedConflict {
  /** The staged row ("_ord"). */
  readonly ord: number;
  readonly key: UniqueKey;
  readonly value: string;
  /** Its key is already in the table. */
  readonly withExisting: boolean;
  /** Another staged row has the same key and is kept instead (by `keep`). */
  readonly repeated: boolean;
}

/**
 * For INSERT IGNORE and REPLACE: the staged rows (with an "_ord" column) that
 * collide with an earlier staged row or with an existing row, per key.
 */
export async function stagedConflicts(
  x: ExecContext,
  meta: TableMeta,
  stage: string,
  existing: string,
  keep: 'first' | 'last',
): Promise<StagedConflict[]> {
  const out: StagedConflict[] = [];
  const s = duckIdent(stage);
  for (const key of uniqueKeys(meta)) {
    const order = keep === 'first' ? 'ASC' : 'DESC';
    const rows = await x.duck.all(
      `SELECT "_ord" AS ord, k, rn, hit FROM (SELECT n."_ord", ${keyText('n', key)} AS k, row_number() OVER (PARTITION BY ${key.columns.map((c) => `n.${duckIdent(c)}`).join(', ')} ORDER BY n."_ord" ${order}) AS rn, ` +
        `EXISTS (SELECT 1 FROM ${existing} AS o WHERE ${sameKey('o', 'n', key)}) AS hit FROM ${s} AS n WHERE ${notNull('n', key)}) WHERE rn > 1 OR hit ORDER BY "_ord"`,
    );
    for (const r of rows) out.push({ ord: Number(r.ord), key, value: String(r.k), withExisting: r.hit === true, repeated: Number(r.rn) > 1 });
  }
  return out;
}
