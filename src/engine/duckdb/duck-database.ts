// The one DuckDB instance of the process (in memory) and its connections. The
// rest of the engine speaks to DuckDB only through these classes.
import { DuckDBInstance, type DuckDBConnection, type DuckDBResult } from '@duckdb/node-api';
import type { WireValue } from '../../server/query-handler.js';
import { DUCKDB_MACROS } from '../../sql/parse/index.js';
import { duckErrorToSql } from './errors.js';
import { wireConverter, wireShape, type WireShape } from './wire-format.js';

export interface DuckColumn {
  readonly name: string;
  /** DuckDB's own spelling of the type, e.g. `DECIMAL(10,2)`. */
  readonly typeText: string;
  readonly shape: WireShape;
}

export interface DuckRowStream {
  readonly columns: readonly DuckColumn[];
  /** Batches of rows in MySQL text form, one DuckDB chunk (≤ 2048 rows) at a time. */
  batches(): AsyncGenerator<WireValue[][]>;
}

export interface DuckOptions {
  readonly memoryLimit: string;
  readonly threads: number;
  readonly tempDirectory: string;
}

export class DuckDatabase {
  private constructor(private readonly instance: DuckDBInstance) {}

  static async open(options: DuckOptions): Promise<DuckDatabase> {
    const settings: Record<string, string> = {
      // MySQL sorts NULLs first ascending and last descending.
      default_null_order: 'nulls_first_on_asc_last_on_desc',
      // MySQL's default collation compares text case- and accent-insensitively (=, ORDER BY, GROUP BY).
      default_collation: 'noaccent.nocase',
      temp_directory: options.tempDirectory,
      // Nothing may be fetched at run time (no network beyond registries).
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'true',
    };
    if (options.memoryLimit !== '') settings.memory_limit = options.memoryLimit;
    if (options.threads > 0) settings.threads = String(options.threads);
    const instance = await DuckDBInstance.create(':memory:', settings);
    // Data files are immutable, so their Parquet footers can be cached for good. The
    // setting exists only once the (built-in) parquet extension is loaded.
    const setup = await instance.connect();
    try {
      await setup.run('SET GLOBAL parquet_metadata_cache = true');
      // MySQL functions the printed SQL calls by name (SOUNDEX, CONV, ...).
      for (const macro of DUCKDB_MACROS) await setup.run(macro);
    } finally {
      setup.closeSync();
    }
    return new DuckDatabase(instance);
  }

  async connect(): Promise<DuckSession> {
    const conn = await this.instance.connect();
    const session = new DuckSession(conn);
    return session;
  }

  close(): void {
    this.instance.closeSync();
  }
}

export class DuckSession {
  constructor(private readonly conn: DuckDBConnection) {}

  /** Runs SQL for its effect. */
  async run(sql: string): Promise<void> {
    try {
      await this.conn.run(sql);
    } catch (err) {
      throw duckErrorToSql(err);
    }
  }

  /** Runs SQL and returns every row as plain JS values (for small internal queries). */
  async all(sql: string): Promise<Record<string, unknown>[]> {
    try {
      const reader = await this.conn.runAndReadAll(sql);
      return reader.getRowObjectsJS();
    } catch (err) {
      throw duckErrorToSql(err);
    }
  }

  /** Column names and DuckDB types of a query without running it to completion. */
  async describe(sql: string): Promise<DuckColumn[]> {
    try {
      const prepared = await this.conn.prepare(sql);
      return Array.from({ length: prepared.columnCount }, (_v, i) => {
        const type = prepared.columnType(i);
        return { name: prepared.columnName(i), typeText: type.toString(), shape: wireShape(type) };
      });
    } catch (err) {
      throw duckErrorToSql(err);
    }
  }

  /** Starts a streaming query; rows are produced only as batches() is pulled. */
  async stream(sql: string): Promise<DuckRowStream> {
    let result: DuckDBResult;
    try {
      result = await this.conn.stream(sql);
    } catch (err) {
      throw duckErrorToSql(err);
    }
    const types = result.columnTypes();
    const names = result.columnNames();
    const columns = names.map((name, i) => {
      const type = types[i];
      if (type === undefined) throw new Error(`no type for column ${i}`);
      return { name, typeText: type.toString(), shape: wireShape(type) };
    });
    const converters = types.map((t) => wireConverter(t));
    async function* batches(): AsyncGenerator<WireValue[][]> {
      for (;;) {
        let chunk;
        try {
          chunk = await result.fetchChunk();
        } catch (err) {
          throw duckErrorToSql(err);
        }
        if (chunk === null || chunk.rowCount === 0) return;
        const rowCount = chunk.rowCount;
        const rows: WireValue[][] = new Array<WireValue[]>(rowCount);
        for (let r = 0; r < rowCount; r++) rows[r] = new Array<WireValue>(converters.length);
        for (let c = 0; c < converters.length; c++) {
          const convert = converters[c] as (typeof converters)[number];
          const values = chunk.getColumnValues(c);
          for (let r = 0; r < rowCount; r++) (rows[r] as WireValue[])[c] = convert(values[r] ?? null);
        }
        yield rows;
      }
    }
    return { columns, batches };
  }

  /**
   * Appends rows to a temporary table whose first column is BIGINT and the others
   * VARCHAR. For bulk loads: a VALUES list of the same rows costs DuckDB ~50x more,
   * as every cell is a constant expression to parse and bind.
   */
  async appendToTemp(table: string, rows: readonly (readonly (string | null)[])[]): Promise<void> {
    try {
      const appender = await this.conn.createAppender(table, 'main', 'temp');
      try {
        for (const [r, row] of rows.entries()) {
          appender.appendBigInt(BigInt(r));
          for (const v of row) {
            if (v === null) appender.appendNull();
            else appender.appendVarchar(v);
          }
          appender.endRow();
        }
      } finally {
        appender.closeSync();
      }
    } catch (err) {
      throw duckErrorToSql(err);
    }
  }

  interrupt(): void {
    this.conn.interrupt();
  }

  close(): void {
    this.conn.closeSync();
  }
}

/** A SQL string literal in DuckDB syntax. */
export function duckString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A quoted identifier in DuckDB syntax. */
export function duckIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A DuckDB literal for a plain value. */
export function duckLiteral(value: null | string | number | bigint | boolean | Uint8Array): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return duckString(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'NULL';
    return Number.isInteger(value) ? String(value) : `CAST(${String(value)} AS DOUBLE)`;
  }
  return `from_hex('${Buffer.from(value).toString('hex')}')`;
}
