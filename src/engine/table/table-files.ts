// Reading and writing a table's immutable Parquet files. A table reference in a
// query becomes a DuckDB relation over exactly the files of the state being read;
// a write stages rows in a DuckDB temp table, checks them, and turns them into
// one new Parquet file in the store.
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore } from '../../storage/object-store.js';
import { keys } from '../../storage/keys.js';
import type { DataFile, ColumnStats, TableState } from '../catalog/database-state.js';
import { duckIdent, duckString, type DuckSession } from '../duckdb/duck-database.js';

/** What the engine needs from the file cache: local paths for object keys, held until released. */
export interface FileAccess {
  acquire(keys: readonly string[], signal?: AbortSignal): Promise<{ readonly paths: readonly string[]; release(): void }>;
}

export interface Scan {
  /** A parenthesised DuckDB relation with the table's columns, in order. */
  readonly sql: string;
  release(): void;
}

/** Types whose min/max are worth recording for pruning. */
const ORDERABLE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT|DECIMAL.*|FLOAT|DOUBLE|DATE|TIME|TIMESTAMP.*|VARCHAR|BOOLEAN)$/;
const MAX_STAT_LENGTH = 64;

export async function openScan(table: TableState, files: FileAccess, signal?: AbortSignal): Promise<Scan> {
  const columns = table.meta.columns;
  if (table.files.length === 0) {
    const nulls = columns.map((c) => `CAST(NULL AS ${c.type.duck}) AS ${duckIdent(c.name)}`).join(', ');
    return { sql: `(SELECT ${nulls} LIMIT 0)`, release: () => {} };
  }
  const held = await files.acquire(
    table.files.map((f) => f.key),
    signal,
  );
  const list = held.paths.map((p) => duckString(p)).join(', ');
  const projection = columns.map((c) => duckIdent(c.name)).join(', ');
  return { sql: `(SELECT ${projection} FROM read_parquet([${list}]))`, release: () => held.release() };
}

export interface WriteTarget {
  readonly store: ObjectStore;
  readonly dbId: string;
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
  const key = keys.dataFile(target.dbId, table.meta.id, partition, fileId);
  const local = path.join(target.spoolDir, `${fileId}.parquet`);
  const projection = columns.map((c) => duckIdent(c.name)).join(', ');
  try {
    await duck.run(`COPY (SELECT ${projection} FROM ${relation}) TO ${duckString(local)} (FORMAT parquet, COMPRESSION zstd)`);
    const { size } = await stat(local);
    await target.store.putFile(key, local);
    return { key, partition, rows, bytes: size, stats };
  } finally {
    await rm(local, { force: true });
  }
}
