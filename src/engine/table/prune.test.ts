import { describe, expect, it } from 'vitest';
import type { ColumnBound } from '../../sql/statement.js';
import type { DataFile, TableMeta } from '../catalog/database-state.js';
import { pruneFiles } from './prune.js';

const col = (name: string, duck: string) => ({
  name,
  type: { base: 'INT' as const, unsigned: false, mysql: duck.toLowerCase(), duck },
  notNull: false,
  autoIncrement: false,
  onUpdateCurrentTimestamp: false,
});
const meta: TableMeta = {
  id: 't',
  name: 't',
  columns: [col('id', 'BIGINT'), col('at', 'TIMESTAMP'), col('price', 'DOUBLE'), col('name', 'VARCHAR')],
  indexes: [],
  options: {},
  createdAt: '',
};
const file = (key: string, id: [string, string], at: [string, string], nulls = 0, rows = 10): DataFile => ({
  key,
  partition: 'p0',
  rows,
  bytes: 1,
  stats: {
    id: { min: id[0], max: id[1], nulls },
    at: { min: at[0], max: at[1], nulls: 0 },
    price: { min: '1.5', max: '9.25', nulls: 0 },
    name: { min: 'A', max: 'z', nulls: 0 },
  },
});
const files = [
  file('a', ['1', '100'], ['2024-01-01 00:00:00', '2024-01-31 23:59:59']),
  file('b', ['101', '200'], ['2024-02-01 00:00:00', '2024-02-29 12:00:00.5']),
  file('c', ['201', '300'], ['2024-03-01 00:00:00', '2024-03-31 00:00:00'], 3),
];
const b = (column: string, op: ColumnBound['op'], ...values: ColumnBound['values'][number][]): ColumnBound => ({ refId: 1, column, op, values });
const kept = (...bounds: ColumnBound[]): string[] => pruneFiles(meta, files, bounds).map((f) => f.key);

describe('pruneFiles', () => {
  it('skips files whose integer range cannot match', () => {
    expect(kept(b('id', '=', 150))).toEqual(['b']);
    expect(kept(b('ID', '=', 150n))).toEqual(['b']);
    expect(kept(b('id', '<', 101))).toEqual(['a']);
    expect(kept(b('id', '<=', 101))).toEqual(['a', 'b']);
    expect(kept(b('id', '>', 200))).toEqual(['c']);
    expect(kept(b('id', '>=', 200))).toEqual(['b', 'c']);
    expect(kept(b('id', 'in', 5, 250))).toEqual(['a', 'c']);
    expect(kept(b('id', '>=', 50), b('id', '<=', 120))).toEqual(['a', 'b']);
    expect(kept(b('id', '=', 1000))).toEqual([]);
  });

  it('compares dates with timestamps as their midnight', () => {
    expect(kept(b('at', '=', '2024-02-01'))).toEqual(['b']);
    expect(kept(b('at', '>', '2024-02-29 12:00:00'))).toEqual(['b', 'c']);
    expect(kept(b('at', '>', '2024-02-29 12:00:00.5'))).toEqual(['c']);
    expect(kept(b('at', '<', '2024-01-01'))).toEqual([]);
  });

  it('prunes IS NULL by null counts', () => {
    expect(kept(b('id', 'isNull'))).toEqual(['c']);
  });

  it('keeps every file when unsure', () => {
    // Text compares case-insensitively: byte-ordered statistics prove nothing.
    expect(kept(b('name', '=', 'zz'))).toEqual(['a', 'b', 'c']);
    // A value of another type than the column's.
    expect(kept(b('id', '=', 'x'))).toEqual(['a', 'b', 'c']);
    expect(kept(b('id', '=', 1.5))).toEqual(['a', 'b', 'c']);
    expect(kept(b('at', '=', 'March 1st'))).toEqual(['a', 'b', 'c']);
    // Unknown columns and no bounds.
    expect(kept(b('nope', '=', 1))).toEqual(['a', 'b', 'c']);
    expect(kept()).toEqual(['a', 'b', 'c']);
  });

  it('prunes doubles and ignores statistics written under another type', () => {
    expect(kept(b('price', '>', 10))).toEqual([]);
    const retyped = pruneFiles({ ...meta, fields: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }] }, [{ ...files[0]!, fields: [{ id: 1, name: 'id', type: 'VARCHAR' }] }], [b('id', '=', 999)]);
    expect(retyped).toHaveLength(1);
  });
});
