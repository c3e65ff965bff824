// Result column definitions for columns read straight from a table: MySQL describes
// them by the table's declared column (CHAR(10) is STRING of 10 characters, YEAR is
// YEAR, MEDIUMINT is INT24, TEXT is BLOB with a text collation, NOT NULL, PRI_KEY and
// AUTO_INCREMENT flags, table and schema names), not by the type DuckDB stores them
// in. Connector/J builds ResultSetMetaData from exactly these fields. The values are
// adjusted the way MySQL returns them: CHAR without trailing spaces, BINARY(n)
// zero-padded to n bytes, temporal values with as many fractional digits as declared.
import type { ColumnDef, ColumnType, SelectOutputs } from '../../sql/statement.js';
import type { ResultColumn, WireType, WireValue } from '../../server/query-handler.js';
import type { DuckColumn } from '../duckdb/duck-database.js';
import type { TableMeta } from '../catalog/database-state.js';
import { nameKey } from '../catalog/catalog.js';
import { columnFromDuck } from './results.js';

/** A base table a query reads, as the result columns need it. */
export interface SourceTable {
  readonly db: string;
  /** The name the query gives it (its alias, or its name). */
  readonly alias: string;
  readonly meta: TableMeta;
}

export interface Origin {
  readonly source: SourceTable;
  readonly def: ColumnDef;
  /** On the NULL-extended side of an outer join. */
  readonly outer: boolean;
}

type Adjust = (value: WireValue) => WireValue;

/** A result column and where it comes from: a table column, a COUNT, or neither. */
export type Traced = Origin | 'count' | null;

export interface DescribedResult {
  readonly columns: readonly ResultColumn[];
  /** Rewrites a row's values as MySQL returns them; absent when none needs it. */
  readonly adjust?: (row: WireValue[]) => WireValue[];
}

const NUMERIC_WIRE: ReadonlySet<WireType> = new Set(['TINY', 'SHORT', 'LONG', 'INT24', 'LONGLONG', 'YEAR', 'NEWDECIMAL', 'DECIMAL', 'FLOAT', 'DOUBLE']);

const INTEGER_WIRE = { TINYINT: ['TINY', 4, 3], SMALLINT: ['SHORT', 6, 5], MEDIUMINT: ['INT24', 9, 8], INT: ['LONG', 11, 10], BIGINT: ['LONGLONG', 20, 20] } as const;

const BLOB_LENGTH = { TINY: 255, MEDIUM: 16_777_215, LONG: 4_294_967_295, PLAIN: 65_535 } as const;

interface WireOf {
  readonly type: WireType;
  readonly binary: boolean;
  readonly length: number;
  readonly decimals: number;
  readonly unsigned?: boolean;
}

function blobLength(base: string): number {
  if (base.startsWith('TINY')) return BLOB_LENGTH.TINY;
  if (base.startsWith('MEDIUM')) return BLOB_LENGTH.MEDIUM;
  if (base.startsWith('LONG')) return BLOB_LENGTH.LONG;
  return BLOB_LENGTH.PLAIN;
}

function temporalLength(width: number, fsp: number): number {
  return fsp > 0 ? width + 1 + fsp : width;
}

/** How MySQL describes a column of this declared type; undefined where DuckDB's description stands. */
export function wireOf(t: ColumnType): WireOf | undefined {
  switch (t.base) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INT':
    case 'BIGINT': {
      const [type, signedWidth, unsignedWidth] = INTEGER_WIRE[t.base];
      const boolean = t.base === 'TINYINT' && t.length === 1;
      return { type, binary: true, length: boolean ? 1 : t.unsigned ? unsignedWidth : signedWidth, decimals: 0 };
    }
    case 'BOOLEAN':
      return { type: 'TINY', binary: true, length: 1, decimals: 0 };
    case 'DECIMAL': {
      const precision = t.length ?? 10;
      const scale = t.scale ?? 0;
      return { type: 'NEWDECIMAL', binary: true, length: precision + (scale > 0 ? 1 : 0) + (t.unsigned ? 0 : 1), decimals: scale };
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const fixed = t.length !== undefined && t.scale !== undefined;
      const length = fixed ? (t.length ?? 0) + 2 : t.base === 'FLOAT' ? 12 : 22;
      return { type: t.base, binary: true, length, decimals: fixed ? (t.scale ?? 0) : 31 };
    }
    case 'CHAR':
      return { type: 'STRING', binary: false, length: t.length ?? 1, decimals: 0 };
    case 'VARCHAR':
      return { type: 'VAR_STRING', binary: false, length: t.length ?? 1, decimals: 0 };
    case 'BINARY':
      return { type: 'STRING', binary: true, length: t.length ?? 1, decimals: 0 };
    case 'VARBINARY':
      return { type: 'VAR_STRING', binary: true, length: t.length ?? 1, decimals: 0 };
    case 'TINYTEXT':
    case 'TEXT':
    case 'MEDIUMTEXT':
    case 'LONGTEXT':
      return { type: 'BLOB', binary: false, length: blobLength(t.base), decimals: 0 };
    case 'TINYBLOB':
    case 'BLOB':
    case 'MEDIUMBLOB':
    case 'LONGBLOB':
      return { type: 'BLOB', binary: true, length: blobLength(t.base), decimals: 0 };
    case 'DATE':
      return { type: 'DATE', binary: true, length: 10, decimals: 0 };
    case 'TIME':
      return { type: 'TIME', binary: true, length: temporalLength(10, t.fsp ?? 0), decimals: t.fsp ?? 0 };
    case 'DATETIME':
      return { type: 'DATETIME', binary: true, length: temporalLength(19, t.fsp ?? 0), decimals: t.fsp ?? 0 };
    // MySQL flags TIMESTAMP and YEAR columns UNSIGNED (and ZEROFILL).
    case 'TIMESTAMP':
      return { type: 'TIMESTAMP', binary: true, length: temporalLength(19, t.fsp ?? 0), decimals: t.fsp ?? 0, unsigned: true };
    case 'YEAR':
      return { type: 'YEAR', binary: true, length: 4, decimals: 0, unsigned: true };
    case 'ENUM':
    case 'SET': {
      const values = t.values ?? [];
      const length = t.base === 'ENUM' ? Math.max(0, ...values.map((v) => [...v].length)) : values.reduce((n, v) => n + [...v].length, Math.max(0, values.length - 1));
      return { type: 'STRING', binary: false, length, decimals: 0 };
    }
    case 'BIT':
    case 'JSON':
      return undefined;
  }
}

function adjustFor(t: ColumnType): Adjust | undefined {
  switch (t.base) {
    case 'CHAR': {
      // MySQL strips a CHAR value's trailing spaces when it is read (PAD_CHAR_TO_FULL_LENGTH is off).
      return (v) => (typeof v === 'string' ? v.replace(/ +$/, '') : v);
    }
    case 'BINARY': {
      const length = t.length ?? 1;
      return (v) => {
        if (!(v instanceof Uint8Array) || v.length >= length) return v;
        const padded = new Uint8Array(length);
        padded.set(v);
        return padded;
      };
    }
    case 'TIME':
    case 'DATETIME':
    case 'TIMESTAMP': {
      const fsp = t.fsp ?? 0;
      return (v) => (typeof v === 'string' ? withFraction(v, fsp) : v);
    }
    default:
      return undefined;
  }
}

/** A temporal text with exactly `digits` fractional digits, as MySQL prints a column of that precision. */
export function withFraction(text: string, digits: number): string {
  const dot = text.lastIndexOf('.');
  const whole = dot < 0 ? text : text.slice(0, dot);
  const fraction = dot < 0 ? '' : text.slice(dot + 1);
  return digits === 0 ? whole : `${whole}.${fraction.padEnd(digits, '0').slice(0, digits)}`;
}

function isPrimaryKey(meta: TableMeta, column: string): boolean {
  return meta.indexes.some((i) => i.kind === 'primary' && i.columns.some((c) => nameKey(c) === nameKey(column)));
}

function describe(duck: DuckColumn, origin: Origin): ResultColumn {
  const { source, def } = origin;
  const base = columnFromDuck(duck);
  const primaryKey = isPrimaryKey(source.meta, def.name);
  const named: ResultColumn = {
    ...base,
    orgName: def.name,
    table: source.alias,
    orgTable: source.meta.name,
    schema: source.db,
    notNull: notNullIn(origin),
    primaryKey,
    autoIncrement: def.autoIncrement,
  };
  const wire = wireOf(def.type);
  // A value is encoded by its column's type: describe it as MySQL would only when the
  // value DuckDB returns is of the same kind (number or not).
  if (wire === undefined || NUMERIC_WIRE.has(wire.type) !== NUMERIC_WIRE.has(base.type)) return named;
  return { ...named, type: wire.type, binary: wire.binary, length: wire.length, decimals: wire.decimals, unsigned: wire.unsigned ?? def.type.unsigned };
}

/**
 * Where each result column comes from, in order; undefined when a `*` covers a view
 * or table function (how many columns it has is not known here). Callers check the
 * count against the columns the query returned.
 */
export function traceOutputs(outputs: SelectOutputs, sources: ReadonlyMap<number, SourceTable>): Traced[] | undefined {
  const outer = new Set(outputs.outerRefIds);
  const found: Traced[] = [];
  for (const item of outputs.items) {
    switch (item.kind) {
      case 'expression':
        found.push(null);
        break;
      case 'count':
        found.push('count');
        break;
      case 'column': {
        const matches: Origin[] = [];
        for (const refId of item.refIds) {
          const source = sources.get(refId);
          const def = source?.meta.columns.find((c) => nameKey(c.name) === nameKey(item.column));
          if (source !== undefined && def !== undefined) matches.push({ source, def, outer: outer.has(refId) });
        }
        found.push(matches.length === 1 ? (matches[0] ?? null) : null);
        break;
      }
      case 'star':
        for (const refId of item.refIds) {
          const source = sources.get(refId);
          if (source === undefined) return undefined;
          for (const def of source.meta.columns) found.push({ source, def, outer: outer.has(refId) });
        }
        break;
    }
  }
  return found;
}

/** Whether the column is NOT NULL in the result: declared so, or in the primary key, and not outer-joined. */
export function notNullIn(origin: Origin): boolean {
  return (origin.def.notNull || isPrimaryKey(origin.source.meta, origin.def.name)) && !origin.outer;
}

export function describeResult(duck: readonly DuckColumn[], outputs: SelectOutputs | undefined, sources: ReadonlyMap<number, SourceTable>): DescribedResult {
  const traced = outputs === undefined ? undefined : traceOutputs(outputs, sources);
  if (traced?.length !== duck.length) return { columns: duck.map((c) => columnFromDuck(c)) };
  const columns = duck.map((c, i) => {
    const origin = traced[i];
    if (origin === 'count') return { ...columnFromDuck(c), length: 21, notNull: true };
    return origin === null || origin === undefined ? columnFromDuck(c) : describe(c, origin);
  });
  const adjusts = traced.map((origin) => (origin === null || origin === undefined || origin === 'count' ? undefined : adjustFor(origin.def.type)));
  if (adjusts.every((a) => a === undefined)) return { columns };
  return {
    columns,
    adjust: (row) => row.map((v, i) => {
      const adjust = adjusts[i];
      return adjust === undefined ? v : adjust(v);
    }),
  };
}
