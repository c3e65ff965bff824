// DuckDB result types and values -> MySQL column definitions and text-form cells.
// A converter is chosen once per column, then applied to every value in it.
import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBTimeValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { WireType, WireValue } from '../../server/query-handler.js';

export interface WireShape {
  readonly type: WireType;
  readonly binary: boolean;
  readonly unsigned: boolean;
  readonly length: number;
  readonly decimals: number;
}

const text = (length: number): WireShape => ({ type: 'VAR_STRING', binary: false, unsigned: false, length, decimals: 0 });
const num = (type: WireType, length: number, unsigned = false, decimals = 0): WireShape => ({
  type,
  binary: true,
  unsigned,
  length,
  decimals,
});

export function wireShape(type: DuckDBType): WireShape {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return num('TINY', 1);
    case DuckDBTypeId.TINYINT:
      return num('TINY', 4);
    case DuckDBTypeId.UTINYINT:
      return num('TINY', 3, true);
    case DuckDBTypeId.SMALLINT:
      return num('SHORT', 6);
    case DuckDBTypeId.USMALLINT:
      return num('SHORT', 5, true);
    case DuckDBTypeId.INTEGER:
      return num('LONG', 11);
    case DuckDBTypeId.UINTEGER:
      return num('LONG', 10, true);
    case DuckDBTypeId.BIGINT:
      return num('LONGLONG', 20);
    case DuckDBTypeId.UBIGINT:
      return num('LONGLONG', 20, true);
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return num('NEWDECIMAL', 41, type.typeId === DuckDBTypeId.UHUGEINT);
    case DuckDBTypeId.DECIMAL: {
      return num('NEWDECIMAL', type.width + (type.scale > 0 ? 2 : 1), false, type.scale);
    }
    case DuckDBTypeId.FLOAT:
      return num('FLOAT', 12, false, 31);
    case DuckDBTypeId.DOUBLE:
      return num('DOUBLE', 22, false, 31);
    case DuckDBTypeId.DATE:
      return num('DATE', 10);
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.INTERVAL:
      return num('TIME', 17, false, 6);
    case DuckDBTypeId.TIMESTAMP_S:
      return num('DATETIME', 19);
    case DuckDBTypeId.TIMESTAMP_MS:
      return num('DATETIME', 23, false, 3);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return num('DATETIME', 26, false, 6);
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.BIT:
      return { type: 'BLOB', binary: true, unsigned: false, length: 65535, decimals: 0 };
    case DuckDBTypeId.SQLNULL:
      return { type: 'NULL', binary: true, unsigned: false, length: 0, decimals: 0 };
    case DuckDBTypeId.VARCHAR:
      return type.alias === 'JSON' ? { type: 'JSON', binary: false, unsigned: false, length: 4294967295, decimals: 0 } : text(262140);
    default:
      return text(262140);
  }
}

type Converter = (v: DuckDBValue) => WireValue;

const pad2 = (n: number): string => (n < 10 ? '0' : '') + String(n);

function formatDate(days: number): string {
  const d = new Date(days * 86_400_000);
  const y = d.getUTCFullYear();
  const ys = y >= 0 && y < 10000 ? String(y).padStart(4, '0') : String(y);
  return `${ys}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function fraction(micros: bigint, digits: number): string {
  if (digits === 0) return '';
  const s = micros.toString().padStart(6, '0').slice(0, digits);
  return '.' + s;
}

/** MySQL DATETIME text; `digits` fractional digits, or -1 for "6 when non-zero". */
function formatTimestamp(micros: bigint, digits: number): string {
  let days = micros / 86_400_000_000n;
  let rest = micros % 86_400_000_000n;
  if (rest < 0n) {
    rest += 86_400_000_000n;
    days -= 1n;
  }
  const secs = Number(rest / 1_000_000n);
  const us = rest % 1_000_000n;
  const time = `${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}`;
  const frac = digits === -1 ? (us === 0n ? '' : fraction(us, 6)) : fraction(us, digits);
  return `${formatDate(Number(days))} ${time}${frac}`;
}

/** MySQL TIME text ('[-]HH:MM:SS[.ffffff]'), hours unbounded. */
export function formatDuration(micros: bigint): string {
  const neg = micros < 0n;
  const abs = neg ? -micros : micros;
  const totalSecs = abs / 1_000_000n;
  const us = abs % 1_000_000n;
  const h = totalSecs / 3600n;
  const m = Number((totalSecs / 60n) % 60n);
  const s = Number(totalSecs % 60n);
  const hs = h < 10n ? '0' + h.toString() : h.toString();
  return `${neg ? '-' : ''}${hs}:${pad2(m)}:${pad2(s)}${us === 0n ? '' : fraction(us, 6)}`;
}

export function formatDecimal(value: bigint, scale: number): string {
  if (scale === 0) return value.toString();
  const neg = value < 0n;
  const digits = (neg ? -value : value).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Shortest decimal text that reads back as the same float32, as MySQL prints FLOAT. */
function formatFloat(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return formatDouble(Number(s));
  }
  return formatDouble(v);
}

function formatDouble(v: number): string {
  if (Object.is(v, -0)) return '-0';
  return String(v).replace('e+', 'e');
}

/** Plain JSON-able form of a nested DuckDB value (containers as JSON, leaves as text). */
function plain(v: DuckDBValue): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(plain);
  if (v instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, plain(x)]));
  if (v instanceof DuckDBMapValue) return Object.fromEntries(v.entries.map((e) => [String(e.key), plain(e.value)]));
  return String(v);
}

function jsonText(v: DuckDBValue): string {
  return JSON.stringify(plain(v));
}

const asString: Converter = (v) => (v === null ? null : typeof v === 'string' ? v : String(v));

export function wireConverter(type: DuckDBType): Converter {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (v) => (v === null ? null : v === true ? '1' : '0');
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return (v) => (v === null ? null : String(v));
    case DuckDBTypeId.FLOAT:
      return (v) => (v === null ? null : formatFloat(v as number));
    case DuckDBTypeId.DOUBLE:
      return (v) => (v === null ? null : formatDouble(v as number));
    case DuckDBTypeId.DECIMAL:
      return (v) => (v === null ? null : formatDecimal((v as DuckDBDecimalValue).value, (v as DuckDBDecimalValue).scale));
    case DuckDBTypeId.DATE:
      return (v) => (v === null ? null : formatDate((v as DuckDBDateValue).days));
    case DuckDBTypeId.TIMESTAMP_S:
      return (v) => (v === null ? null : formatTimestamp((v as DuckDBTimestampSecondsValue).seconds * 1_000_000n, 0));
    case DuckDBTypeId.TIMESTAMP_MS:
      return (v) => (v === null ? null : formatTimestamp((v as DuckDBTimestampMillisecondsValue).millis * 1000n, 3));
    case DuckDBTypeId.TIMESTAMP:
      return (v) => (v === null ? null : formatTimestamp((v as DuckDBTimestampValue).micros, -1));
    case DuckDBTypeId.TIMESTAMP_NS:
      return (v) => (v === null ? null : formatTimestamp((v as DuckDBTimestampNanosecondsValue).nanos / 1000n, -1));
    case DuckDBTypeId.TIMESTAMP_TZ:
      // The connection's DuckDB TimeZone is the session zone; the engine casts
      // TIMESTAMPTZ results to local TIMESTAMP where it can, this is the fallback.
      return (v) => (v === null ? null : formatTimestamp((v as DuckDBTimestampTZValue).micros, -1));
    case DuckDBTypeId.TIME:
      return (v) => (v === null ? null : formatDuration((v as DuckDBTimeValue).micros));
    case DuckDBTypeId.INTERVAL:
      return (v) => {
        if (v === null) return null;
        const i = v as DuckDBIntervalValue;
        if (i.months !== 0) return i.toString();
        return formatDuration(BigInt(i.days) * 86_400_000_000n + i.micros);
      };
    case DuckDBTypeId.BLOB:
      return (v) => (v === null ? null : (v as DuckDBBlobValue).bytes);
    case DuckDBTypeId.VARCHAR:
      return asString;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return (v) => (v === null ? null : jsonText(v));
    default:
      return (v) => (v === null ? null : String(v));
  }
}
