// Reading and writing a table's immutable Parquet files. A table reference in a
// query becomes a DuckDB relation over exactly the files of the state being read;
// a write stages rows in a DuckDB temp table, checks them, and turns them into
// one new Parquet file in the store.
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore } from '../../storage/object-store.js';
import { keys } from '../../storage/keys.js';
import type { ColumnBound } from '../../sql/statement.js';
import { pruneFiles } from './prune.js';
import { fileFields, tableFields, type ColumnStats, type DataFile, type FileField, type TableMeta, type TableState } from '../catalog/database-state.js';
import { duckIdent, duckString, type DuckSession } from '../duckdb/duck-database.js';

/** What the engine needs from the file cache: local paths for object keys, held until released. */
export interface FileAccess {
  acquire(keys: readonly string[], signal?: AbortSignal): Promise<{ readonly paths: readonly string[]; release(): void }>;
  /** Objects this server removed from the store: local copies must not be served for them any more. */
  discard(keys: readonly string[]): void;
}

export interface Scan {
  /** A parenthesised DuckDB relation with the table's columns, in order. */
  readonly sql: string;
  release(): void;
}

/** Types whose min/max are worth recording for pruning. */
const ORDERABLE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT|DECIMAL.*|FLOAT|DOUBLE|DATE|TIME|TIMESTAMP.*|VARCHAR|BOOLEAN)$/;
const MAX_STAT_LENGTH = 64;

/**
 * One file's rows in the table's current shape: columns renamed, retyped, added
 * (with their fill value) or dropped since the file was written.
 */
export function projectFile(meta: TableMeta, file: DataFile, path: string, rowNumber = false): string {
  return `(SELECT ${projection(meta, fileFields(meta, file))}${rowNumber ? ', file_row_number' : ''} FROM read_parquet([${duckString(path)}]${rowNumber ? ', file_row_number = true' : ''}))`;
}

function projection(meta: TableMeta, fields: readonly FileField[]): string {
  const current = tableFields(meta);
  return meta.columns
    .map((c, i) => {
      const field = current[i];
      const inFile = fields.find((f) => f.id === field?.id);
      if (inFile === undefined) return `CAST(${meta.fields?.[i]?.fill ?? 'NULL'} AS ${c.type.duck}) AS ${duckIdent(c.name)}`;
      const value = (inFile.type ?? c.type.duck) === c.type.duck ? duckIdent(inFile.name) : `CAST(${duckIdent(inFile.name)} AS ${c.type.duck})`;
      return value === duckIdent(c.name) ? value : `${value} AS ${duckIdent(c.name)}`;
    })
    .join(', ');
}

/** The rows of some of a table's files (local paths aligned with `files`), in the current shape. */
export function filesSql(meta: TableMeta, files: readonly DataFile[], paths: readonly string[]): string {
  if (files.length === 0) {
    const nulls = meta.columns.map((c) => `CAST(NULL AS ${c.type.duck}) AS ${duckIdent(c.name)}`).join(', ');
    return `(SELECT ${nulls} LIMIT 0)`;
  }
  // Files written with the same fields are read by one read_parquet.
  const groups = new Map<string, { fields: readonly FileField[]; paths: string[] }>();
  files.forEach((f, i) => {
    const fields = fileFields(meta, f);
    const signature = JSON.stringify(fields);
    const g = groups.get(signature) ?? { fields, paths: [] };
    g.paths.push(paths[i] ?? '');
    groups.set(signature, g);
  });
  const parts = [...groups.values()].map((g) => `SELECT ${projection(meta, g.fields)} FROM read_parquet([${g.paths.map(duckString).join(', ')}])`);
  return `(${parts.join(' UNION ALL ')})`;
}

/** A scan of the table's files that may hold rows passing `bounds` (statistics prove the others cannot). */
export async function openScan(table: TableState, files: FileAccess, signal?: AbortSignal, bounds: readonly ColumnBound[] = []): Promise<Scan> {
  const candidates = pruneFiles(table.meta, table.files, bounds);
  if (candidates.length === 0) return { sql: filesSql(table.meta, [], []), release: () => {} };
  const held = await files.acquire(
    candidates.map((f) => f.key),
    signal,
  );
  return { sql: filesSql(table.meta, candidates, held.paths), release: () => held.release() };
}

/**
 * Where a table's commit log and data files live: the warehouse, in its database's log,
 * or an external location ([E]), in a log of its own there.
 */
export interface TableHome {
  readonly store: ObjectStore;
  /** Local copies of the store's objects for DuckDB. */
  readonly files: FileAccess;
  /** The commit log holding the table (its database's id, or an external table's own id); data keys are built under it. */
  readonly logId: string;
}

export interface WriteTarget {
  readonly home: TableHome;
  /** Local directory for Parquet files on their way to the store. */
  readonly spoolDir: string;
}

/**
 * Writes the rows of a staged DuckDB relation as one Parquet file of the table
 * and uploads it. Returns undefined when there are no rows.
 */
export async function writeDataFile(
  duck: DuckSession,
  relation: string,
  table: TableState,
  target: WriteTarget,
  partition = 'p0',
): Promise<DataFile | undefined> {
  const columns = table.meta.columns;
  const statCols = columns.map((c, i) => {
    const parts = [`count(*) - count(${duckIdent(c.name)}) AS "n${i}"`];
    if (ORDERABLE.test(c.type.duck)) {
      parts.push(`CAST(min(${duckIdent(c.name)}) AS VARCHAR) AS "lo${i}"`, `CAST(max(${duckIdent(c.name)}) AS VARCHAR) AS "hi${i}"`);
    }
    return parts.join(', ');
  });
  const [summary] = await duck.all(`SELECT count(*) AS "rows", ${statCols.join(', ')} FROM ${relation}`);
  const rows = Number(summary?.rows ?? 0);
  if (rows === 0) return undefined;

  const stats: Record<string, ColumnStats> = {};
  columns.forEach((c, i) => {
    const lo = summary?.[`lo${i}`];
    const hi = summary?.[`hi${i}`];
    const entry: { min?: string; max?: string; nulls: number } = { nulls: Number(summary?.[`n${i}`] ?? 0) };
    if (typeof lo === 'string' && typeof hi === 'string' && lo.length <= MAX_STAT_LENGTH && hi.length <= MAX_STAT_LENGTH) {
      entry.min = lo;
      entry.max = hi;
    }
    stats[c.name] = entry;
  });

  const fileId = `${Date.now().toString(36)}-${randomBytes(10).toString('hex')}`;
  const key = keys.dataFile(target.home.logId, table.meta.id, partition, fileId);
  const local = path.join(target.spoolDir, `${fileId}.parquet`);
  const projection = columns.map((c) => duckIdent(c.name)).join(', ');
  try {
    await duck.run(`COPY (SELECT ${projection} FROM ${relation}) TO ${duckString(local)} (FORMAT parquet, COMPRESSION zstd)`);
    const { size } = await stat(local);
    await target.home.store.putFile(key, local);
    return { key, fields: tableFields(table.meta), partition, rows, bytes: size, stats };
  } finally {
    await rm(local, { force: true });
  }
}
