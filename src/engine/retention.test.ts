import { describe, expect, it } from 'vitest';
import type { DatabaseState, TableState } from './catalog/database-state.js';
import { checkRetentionOption, databaseRetentionHours, dropExpired, retentionHours } from './retention.js';

const policy = { defaultHours: 168, orphanGraceMs: 0 };
const table = (id: string, options: Record<string, string>, purged = false): TableState => ({
  meta: { id, name: id, columns: [], indexes: [], options, createdAt: '' },
  files: [],
  autoIncrement: '1',
  rowCount: 0,
  bytes: 0,
  changedSeq: 1,
  changedAt: '',
  ...(purged ? { dropped: { seq: 2, at: '' }, purged: { seq: 3, at: '' } } : {}),
});

describe('retention settings', () => {
  it('accepts a positive whole number of hours and names the option otherwise', () => {
    expect(checkRetentionOption('240')).toBe(240);
    expect(checkRetentionOption('1')).toBe(1);
    for (const bad of ['0', '-1', '1.5', 'soon', '', '876001', '99999999']) {
      expect(() => checkRetentionOption(bad), bad).toThrow(expect.objectContaining({ errno: 1210, message: expect.stringContaining('data_retention_period_in_hours') }));
    }
  });

  it('takes the table option over the default', () => {
    expect(retentionHours(table('a', {}).meta, policy)).toBe(168);
    expect(retentionHours(table('a', { data_retention_period_in_hours: '2' }).meta, policy)).toBe(2);
  });

  it('keeps a dropped database as long as its longest-kept table', () => {
    const state = (tables: TableState[]): DatabaseState => ({ format: 1, seq: 1, timestamp: '', tables: Object.fromEntries(tables.map((t) => [t.meta.id, t])) });
    expect(databaseRetentionHours(state([]), policy)).toBe(168);
    expect(databaseRetentionHours(state([table('a', { data_retention_period_in_hours: '2' }), table('b', { data_retention_period_in_hours: '30' })]), policy)).toBe(30);
    expect(databaseRetentionHours(state([table('a', { data_retention_period_in_hours: '2' }), table('b', {}, true)]), policy)).toBe(2);
  });

  it('says when a drop is past its retention', () => {
    const at = '2026-01-01T00:00:00.000Z';
    expect(dropExpired(at, 24, new Date('2026-01-01T23:59:59.999Z'))).toBe(false);
    expect(dropExpired(at, 24, new Date('2026-01-02T00:00:00.000Z'))).toBe(true);
  });
});
