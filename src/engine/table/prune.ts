// Skipping data files by their min/max statistics. A file is skipped only when
// its statistics prove that no row in it can satisfy a WHERE bound; whenever a
// comparison is not certain (text under a case-insensitive collation, a value of
// another type, a file without statistics) the file is kept.
import type { ColumnBound, SqlValue } from '../../sql/statement.js';
import { fileFields, tableFields, type ColumnStats, type DataFile, type TableMeta } from '../catalog/database-state.js';

type Order = (a: string, b: SqlValue) => number | undefined;

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT|UHUGEINT)$/;
const APPROXIMATE = /^(FLOAT|DOUBLE|DECIMAL\(\d+,\d+\))$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{1,6})?)?$/;

/** A comparison of a statistic (DuckDB's text form) with a bound value, or undefined when unsure. */
function orderFor(duckType: string): Order | undefined {
  if (INTEGER.test(duckType)) {
    return (stat, value) => {
      let v: bigint;
      if (typeof value === 'bigint') v = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
      else return undefined;
      const s = BigInt(stat);
      return s < v ? -1 : s > v ? 1 : 0;
    };
  }
  if (APPROXIMATE.test(duckType)) {
    return (stat, value) => {
      const v = typeof value === 'number' ? value : typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
      const s = Number(stat);
      // Beyond 15 significant digits text and double disagree; stay safe.
      if (v === undefined || !Number.isFinite(s) || stat.replace(/[-.]/g, '').replace(/^0+/, '').length > 15) return undefined;
      return s < v ? -1 : s > v ? 1 : 0;
    };
  }
  if (duckType === 'DATE' || duckType.startsWith('TIMESTAMP')) {
    const isDate = duckType === 'DATE';
    return (stat, value) => {
      if (typeof value !== 'string' || !(isDate ? DATE_TEXT : TIMESTAMP_TEXT).test(value)) return undefined;
      // A date compared with a timestamp is its midnight; the texts then compare as the values do.
      const v = !isDate && DATE_TEXT.test(value) ? `${value} 00:00:00` : value;
      const s = !isDate && DATE_TEXT.test(stat) ? `${stat} 00:00:00` : stat;
      return s < v ? -1 : s > v ? 1 : 0;
    };
  }
  return undefined;
}

/** True when the file certainly holds no row passing the bound. */
function excludes(stats: ColumnStats | undefined, rows: number, bound: ColumnBound, order: Order | undefined): boolean {
  if (stats === undefined) return false;
  if (bound.op === 'isNull') return stats.nulls === 0;
  // Only NULLs: no comparison can be true.
  if (stats.nulls === rows) return true;
  if (order === undefined || stats.min === undefined || stats.max === undefined) return false;
  const { min, max } = stats;
  const outside = (v: SqlValue, op: '=' | '<' | '<=' | '>' | '>='): boolean => {
    const lo = order(min, v);
    const hi = order(max, v);
    if (lo === undefined || hi === undefined) return false;
    switch (op) {
      case '=':
        return lo > 0 || hi < 0;
      case '<':
        return lo >= 0;
      case '<=':
        return lo > 0;
      case '>':
        return hi <= 0;
      case '>=':
        return hi < 0;
      default: {
        const never: never = op;
        return never;
      }
    }
  };
  if (bound.op === 'in') return bound.values.every((v) => outside(v, '='));
  const value = bound.values[0];
  return value !== undefined && outside(value, bound.op);
}

/** The files that may hold rows passing every bound (bounds of other references are ignored by the caller). */
export function pruneFiles(meta: TableMeta, files: readonly DataFile[], bounds: readonly ColumnBound[]): DataFile[] {
  if (bounds.length === 0) return [...files];
  const current = tableFields(meta);
  const checks = bounds.flatMap((b) => {
    const i = meta.columns.findIndex((c) => c.name.toLowerCase() === b.column.toLowerCase());
    const column = meta.columns[i];
    const field = current[i];
    return column === undefined || field === undefined ? [] : [{ bound: b, field, order: orderFor(column.type.duck) }];
  });
  if (checks.length === 0) return [...files];
  return files.filter((f) => {
    const fields = fileFields(meta, f);
    return !checks.some((c) => {
      const inFile = fields.find((ff) => ff.id === c.field.id);
      // Statistics count only when the file stored the column with the type it has now.
      if (inFile === undefined || (inFile.type ?? c.field.type) !== c.field.type) return false;
      return excludes(f.stats[inFile.name], f.rows, c.bound, c.order);
    });
  });
}
