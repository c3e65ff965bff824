// Building results: OK packets, result sets from rows computed in the engine
// (SHOW and friends), and column metadata from DuckDB types.
import type { OkResult, ResultColumn, RowsResult, WireValue } from '../../server/query-handler.js';
import type { DuckColumn } from '../duckdb/duck-database.js';

export function ok(affectedRows: bigint | number = 0n, insertId: bigint = 0n, info = '', matchedRows?: bigint): OkResult {
  return { kind: 'ok', affectedRows: BigInt(affectedRows), insertId, info, ...(matchedRows === undefined ? {} : { matchedRows }) };
}

export function textColumn(name: string, opts: { table?: string; schema?: string; length?: number } = {}): ResultColumn {
  return {
    name,
    orgName: name,
    table: opts.table ?? '',
    orgTable: opts.table ?? '',
    schema: opts.schema ?? '',
    type: 'VAR_STRING',
    binary: false,
    unsigned: false,
    notNull: false,
    primaryKey: false,
    autoIncrement: false,
    length: opts.length ?? 256,
    decimals: 0,
  };
}

export function intColumn(name: string): ResultColumn {
  return { ...textColumn(name), type: 'LONGLONG', binary: true, length: 21 };
}

export function columnFromDuck(c: DuckColumn, table = ''): ResultColumn {
  return {
    name: c.name,
    orgName: c.name,
    table,
    orgTable: table,
    schema: '',
    type: c.shape.type,
    binary: c.shape.binary,
    unsigned: c.shape.unsigned,
    notNull: false,
    primaryKey: false,
    autoIncrement: false,
    length: c.shape.length,
    decimals: c.shape.decimals,
  };
}

export function staticRows(columns: readonly ResultColumn[], rows: readonly (readonly WireValue[])[]): RowsResult {
  let sent = rows.length === 0;
  const iterator: AsyncIterator<readonly (readonly WireValue[])[]> = {
    next: () => {
      if (sent) return Promise.resolve({ done: true, value: undefined });
      sent = true;
      return Promise.resolve({ done: false, value: rows });
    },
    return: () => {
      sent = true;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return { kind: 'rows', columns, rows: { [Symbol.asyncIterator]: () => iterator } };
}

/** MySQL LIKE (case-insensitive, % and _, backslash escapes) as a RegExp. */
export function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '\\' && i + 1 < pattern.length) {
      re += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export function wireText(v: unknown): WireValue {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}
