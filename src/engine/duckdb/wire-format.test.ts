import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatDecimal, formatDuration, wireConverter, wireShape } from './wire-format.js';

describe('formatting helpers', () => {
  it('prints decimals exactly, with their scale', () => {
    expect(formatDecimal(314n, 2)).toBe('3.14');
    expect(formatDecimal(-1n, 2)).toBe('-0.01');
    expect(formatDecimal(300n, 2)).toBe('3.00');
    expect(formatDecimal(12345678901234567891n, 0)).toBe('12345678901234567891');
  });

  it('prints durations as MySQL TIME', () => {
    expect(formatDuration(3_723_000_000n)).toBe('01:02:03');
    expect(formatDuration(-90_000_500_000n)).toBe('-25:00:00.500000');
  });
});

describe('DuckDB values to MySQL text', () => {
  it('converts every common type as MySQL prints it', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const r = await c.run(`SELECT true AS b, 9223372036854775807::BIGINT AS big, 18446744073709551615::UBIGINT AS ubig,
      12.30::DECIMAL(10,2) AS dec, 0.1::FLOAT AS f, 1e21::DOUBLE AS d, DATE '0099-01-02' AS day,
      TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, TIMESTAMP '2024-01-02 03:04:05' AS ts0, TIME '23:59:59' AS t,
      'x'::BLOB AS blob, [1, 2] AS list, {'a': 1} AS st, NULL::INTEGER AS n, INTERVAL 25 HOUR AS iv`);
    const chunk = await r.fetchChunk();
    if (chunk === null) throw new Error('no chunk');
    const types = r.columnTypes();
    const values = types.map((t, i) => wireConverter(t)(chunk.getColumnValues(i)[0] ?? null));
    expect(values.slice(0, 10)).toEqual([
      '1',
      '9223372036854775807',
      '18446744073709551615',
      '12.30',
      '0.1',
      '1e21',
      '0099-01-02',
      '2024-01-02 03:04:05.123456',
      '2024-01-02 03:04:05',
      '23:59:59',
    ]);
    expect(Buffer.from(values[10] as Uint8Array).toString()).toBe('x');
    expect(values.slice(11)).toEqual(['[1,2]', '{"a":1}', null, '25:00:00']);
    expect(types.map((t) => wireShape(t).type)).toEqual([
      'TINY', 'LONGLONG', 'LONGLONG', 'NEWDECIMAL', 'FLOAT', 'DOUBLE', 'DATE', 'DATETIME', 'DATETIME', 'TIME', 'BLOB', 'VAR_STRING', 'VAR_STRING', 'LONG', 'TIME',
    ]);
    expect(wireShape(types[2] as (typeof types)[number]).unsigned).toBe(true);
    c.closeSync();
    db.closeSync();
  });
});
