import { describe, expect, it } from 'vitest';
import { parseColumnType } from '../../sql/parse/index.js';
import type { ColumnDef, SelectOutputs } from '../../sql/statement.js';
import type { WireType } from '../../server/query-handler.js';
import type { DuckColumn } from '../duckdb/duck-database.js';
import type { TableMeta } from '../catalog/database-state.js';
import { describeResult, withFraction, wireOf, type SourceTable } from './result-columns.js';

function def(name: string, type: string, extra: Partial<ColumnDef> = {}): ColumnDef {
  return { name, type: parseColumnType(type), notNull: false, autoIncrement: false, onUpdateCurrentTimestamp: false, ...extra };
}

function duck(name: string, type: WireType, binary = true): DuckColumn {
  return { name, typeText: type, shape: { type, binary, unsigned: false, length: 10, decimals: 0 } };
}

const meta: TableMeta = {
  id: 't1',
  name: 'items',
  columns: [
    def('id', 'int', { autoIncrement: true }),
    def('code', 'char(5)', { notNull: true }),
    def('raw', 'binary(4)'),
    def('at', 'datetime(3)'),
    def('yr', 'year'),
  ],
  indexes: [{ kind: 'primary', columns: ['id'] }],
  options: {},
  createdAt: '2026-01-01T00:00:00Z',
};
const source: SourceTable = { db: 'shop', alias: 'i', meta };
const sources = new Map([[1, source]]);
const star: SelectOutputs = { items: [{ kind: 'star', refIds: [1] }], outerRefIds: [] };
const duckColumns = [duck('id', 'LONG'), duck('code', 'VAR_STRING', false), duck('raw', 'BLOB'), duck('at', 'DATETIME'), duck('yr', 'SHORT')];

describe('wireOf', () => {
  it('describes declared types as MySQL does', () => {
    expect(wireOf(parseColumnType('mediumint unsigned'))).toEqual({ type: 'INT24', binary: true, length: 8, decimals: 0 });
    expect(wireOf(parseColumnType('tinyint(1)'))).toMatchObject({ type: 'TINY', length: 1 });
    expect(wireOf(parseColumnType('decimal(12,4)'))).toEqual({ type: 'NEWDECIMAL', binary: true, length: 14, decimals: 4 });
    expect(wireOf(parseColumnType('text'))).toEqual({ type: 'BLOB', binary: false, length: 65535, decimals: 0 });
    expect(wireOf(parseColumnType('varbinary(16)'))).toEqual({ type: 'VAR_STRING', binary: true, length: 16, decimals: 0 });
    expect(wireOf(parseColumnType('time(2)'))).toEqual({ type: 'TIME', binary: true, length: 13, decimals: 2 });
    expect(wireOf(parseColumnType('timestamp'))).toEqual({ type: 'TIMESTAMP', binary: true, length: 19, decimals: 0, unsigned: true });
    expect(wireOf(parseColumnType("enum('small','large')"))).toEqual({ type: 'STRING', binary: false, length: 5, decimals: 0 });
    expect(wireOf(parseColumnType('json'))).toBeUndefined();
  });
});

describe('withFraction', () => {
  it('prints exactly the declared fractional digits', () => {
    expect(withFraction('2024-01-02 03:04:05', 3)).toBe('2024-01-02 03:04:05.000');
    expect(withFraction('2024-01-02 03:04:05.123456', 3)).toBe('2024-01-02 03:04:05.123');
    expect(withFraction('12:00:00.5', 0)).toBe('12:00:00');
  });
});

describe('describeResult', () => {
  it('describes a star over a table by its declared columns, with names, keys and flags', () => {
    const { columns } = describeResult(duckColumns, star, sources);
    expect(columns.map((c) => [c.name, c.type, c.length, c.notNull, c.primaryKey, c.autoIncrement, c.unsigned])).toEqual([
      ['id', 'LONG', 11, true, true, true, false],
      ['code', 'STRING', 5, true, false, false, false],
      ['raw', 'STRING', 4, false, false, false, false],
      ['at', 'DATETIME', 23, false, false, false, false],
      ['yr', 'YEAR', 4, false, false, false, true],
    ]);
    expect(columns[0]).toMatchObject({ table: 'i', orgTable: 'items', schema: 'shop', orgName: 'id' });
  });

  it('returns values as MySQL does: CHAR trimmed, BINARY padded, declared fractional digits', () => {
    const { adjust } = describeResult(duckColumns, star, sources);
    expect(adjust?.(['1', 'ab  ', Uint8Array.of(7), '2024-01-02 03:04:05', '2024'])).toEqual(['1', 'ab', Uint8Array.of(7, 0, 0, 0), '2024-01-02 03:04:05.000', '2024']);
  });

  it('makes outer-joined columns nullable, COUNT NOT NULL, and leaves expressions as DuckDB typed them', () => {
    const outputs: SelectOutputs = {
      items: [{ kind: 'column', refIds: [1], column: 'CODE' }, { kind: 'count' }, { kind: 'expression' }],
      outerRefIds: [1],
    };
    const { columns } = describeResult([duck('code', 'VAR_STRING', false), duck('n', 'LONGLONG'), duck('x', 'DOUBLE')], outputs, sources);
    expect(columns.map((c) => [c.type, c.notNull, c.length])).toEqual([
      ['STRING', false, 5],
      ['LONGLONG', true, 21],
      ['DOUBLE', false, 10],
    ]);
  });

  it('falls back to DuckDB types when the select list does not match the result', () => {
    const { columns, adjust } = describeResult(duckColumns.slice(0, 2), star, sources);
    expect(columns.map((c) => c.type)).toEqual(['LONG', 'VAR_STRING']);
    expect(adjust).toBeUndefined();
    expect(describeResult(duckColumns, { items: [{ kind: 'star', refIds: [2] }], outerRefIds: [] }, sources).columns[1]?.type).toBe('VAR_STRING');
  });
});
