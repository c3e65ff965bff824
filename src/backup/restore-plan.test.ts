import { describe, expect, it } from 'vitest';
import { isSqlError } from '../errors/registry.js';
import { applyEntry, emptyDatabaseState, liveTables, type DatabaseState, type LogAction, type TableMeta } from '../engine/catalog/database-state.js';
import type { ColumnDef } from '../sql/statement.js';
import type { ManifestTable } from './manifest.js';
import { planRestore, restoreActions, RestoreConflict, type PlanInput } from './restore-plan.js';
import { resolveRestoreScope } from './scope.js';

const column = (name: string, base: 'INT' | 'VARCHAR' = 'INT'): ColumnDef =>
  ({ name, type: { base, unsigned: false, mysql: base.toLowerCase(), duck: base === 'INT' ? 'INTEGER' : 'VARCHAR' }, notNull: false, autoIncrement: false, onUpdateCurrentTimestamp: false });

const partitioned = (id: string, name: string, partitionIds: string[]): TableMeta => ({
  id,
  name,
  columns: [column('id'), column('y')],
  indexes: [],
  options: {},
  partition: { kind: 'range', expression: 'y', columns: ['y'], partitions: [{ name: 'p1', values: [10] }, { name: 'p2', values: 'MAXVALUE' }] },
  partitionIds,
  createdAt: '2026-01-01T00:00:00.000Z',
});

const file = (key: string, partition: string, rows: number) => ({ key, partition, rows, bytes: rows * 10, stats: {} });

let seq = 0;
function commit(state: DatabaseState, actions: LogAction[]): DatabaseState {
  seq = state.seq + 1;
  return applyEntry(state, { format: 1, seq, timestamp: new Date(0).toISOString(), user: 'root', operation: 'TEST', actions });
}

// The snapshot: t (partitioned, one file per partition) and u (plain).
const backedUp: ManifestTable[] = [
  {
    name: 't',
    meta: partitioned('src-t', 't', ['pa', 'pb']),
    autoIncrement: '7',
    rows: 3,
    bytes: 30,
    files: [
      { object: 'data/db/s/src-t/pa/1.parquet', sha256: 'a'.repeat(64), size: 10, rows: 1, partition: 'pa', fields: [{ id: 1, name: 'id', type: 'INTEGER' }, { id: 2, name: 'y', type: 'INTEGER' }], stats: {}, source: 'db/s/src-t/pa/1.parquet' },
      { object: 'data/db/s/src-t/pb/2.parquet', sha256: 'b'.repeat(64), size: 20, rows: 2, partition: 'pb', fields: [{ id: 1, name: 'id', type: 'INTEGER' }, { id: 2, name: 'y', type: 'INTEGER' }], stats: {}, source: 'db/s/src-t/pb/2.parquet' },
    ],
  },
  {
    name: 'u',
    meta: { id: 'src-u', name: 'u', columns: [column('v', 'VARCHAR')], indexes: [], options: {}, createdAt: '2026-01-01T00:00:00.000Z' },
    autoIncrement: '1',
    rows: 1,
    bytes: 5,
    files: [{ object: 'data/db/s/src-u/p0/3.parquet', sha256: 'c'.repeat(64), size: 5, rows: 1, partition: 'p0', fields: [{ id: 1, name: 'v', type: 'VARCHAR' }], stats: {}, source: 'db/s/src-u/p0/3.parquet' }],
  },
];

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  dbName: 'shop',
  databaseId: 'target-db',
  selections: resolveRestoreScope(backedUp, { kind: 'all' }, 'snap'),
  forceReplace: false,
  cleanTables: false,
  now: new Date('2026-02-01T00:00:00Z'),
  ...over,
});

describe('restore plans', () => {
  it('creates missing tables with new ids and keys, in one commit that applies', () => {
    const plan = planRestore(emptyDatabaseState(), input());
    expect(plan.targets.map((t) => [t.target, t.mode])).toEqual([['t', 'create'], ['u', 'create']]);
    const t = plan.targets[0];
    expect(t?.tableId).not.toBe('src-t');
    expect(t?.files.map((f) => f.file.key)).toEqual([expect.stringMatching(new RegExp(`^db/target-db/${t?.tableId ?? ''}/pa/`)), expect.stringMatching(/\/pb\//)]);
    expect(t?.files[0]?.file.sha256).toBe('a'.repeat(64));
    const after = commit(emptyDatabaseState(), restoreActions(emptyDatabaseState(), plan, 'shop'));
    const live = liveTables(after);
    expect(live.get('t')).toMatchObject({ rowCount: 3, autoIncrement: '7' });
    expect(live.get('u')?.rowCount).toBe(1);
  });

  it('replaces an existing table keeping its id, and refuses a different definition unless forced', () => {
    let state = commit(emptyDatabaseState(), [
      { kind: 'createTable', table: partitioned('mine', 't', ['pa', 'pb']), autoIncrement: '1' },
      { kind: 'addFiles', tableId: 'mine', files: [file('db/target-db/mine/pa/old.parquet', 'pa', 5)] },
      { kind: 'createTable', table: { id: 'other-u', name: 'u', columns: [column('different')], indexes: [], options: {}, createdAt: '2026-01-01T00:00:00.000Z' }, autoIncrement: '1' },
    ]);
    expect(() => planRestore(state, input())).toThrow(/Table 'shop.u' already exists with a definition different/);
    const plan = planRestore(state, input({ forceReplace: true }));
    expect(plan.targets.map((t) => [t.target, t.mode, t.tableId])).toEqual([['t', 'replace', 'mine'], ['u', 'replace', 'other-u']]);
    state = commit(state, restoreActions(state, plan, 'shop'));
    const t = state.tables.mine;
    expect(t?.files.map((f) => f.key)).not.toContain('db/target-db/mine/pa/old.parquet');
    expect(t).toMatchObject({ rowCount: 3, autoIncrement: '7' });
    expect(state.tables['other-u']?.meta.columns.map((c) => c.name)).toEqual(['v']);
  });

  it('restores some partitions into the target table\'s own partition ids, leaving the others', () => {
    let state = commit(emptyDatabaseState(), [
      { kind: 'createTable', table: partitioned('mine', 't', ['x1', 'x2']), autoIncrement: '1' },
      { kind: 'addFiles', tableId: 'mine', files: [file('db/target-db/mine/x1/old1.parquet', 'x1', 9), file('db/target-db/mine/x2/old2.parquet', 'x2', 4)] },
    ]);
    const selections = resolveRestoreScope(backedUp, { kind: 'on', tables: [{ table: 't', partitions: ['P2'] }] }, 'snap');
    const plan = planRestore(state, input({ selections }));
    expect(plan.targets[0]).toMatchObject({ mode: 'partitions', partitionIds: ['x2'] });
    expect(plan.targets[0]?.files.map((f) => f.file.partition)).toEqual(['x2']);
    state = commit(state, restoreActions(state, plan, 'shop'));
    expect(state.tables.mine?.files.map((f) => f.partition).sort()).toEqual(['x1', 'x2']);
    expect(state.tables.mine?.rowCount).toBe(9 + 2);
  });

  it('restores a snapshot of some partitions as just those partitions, whatever the ON list says', () => {
    const partial: ManifestTable[] = [{ ...backedUp[0]!, partitions: ['p2'], files: backedUp[0]!.files.filter((f) => f.partition === 'pb') }];
    const state = commit(emptyDatabaseState(), [
      { kind: 'createTable', table: partitioned('mine', 't', ['x1', 'x2']), autoIncrement: '1' },
      { kind: 'addFiles', tableId: 'mine', files: [file('db/target-db/mine/x1/keep.parquet', 'x1', 9)] },
    ]);
    const plan = planRestore(state, input({ selections: resolveRestoreScope(partial, { kind: 'all' }, 'snap') }));
    expect(plan.targets[0]).toMatchObject({ mode: 'partitions', partitionIds: ['x2'] });
    const after = commit(state, restoreActions(state, plan, 'shop'));
    expect(after.tables.mine?.files.map((f) => f.key)).toContain('db/target-db/mine/x1/keep.parquet');
  });

  it('drops the other tables with clean_tables, and notices a table created meanwhile', () => {
    const state = commit(emptyDatabaseState(), [{ kind: 'createTable', table: { id: 'extra', name: 'extra', columns: [column('a')], indexes: [], options: {}, createdAt: '' }, autoIncrement: '1' }]);
    const plan = planRestore(state, input({ cleanTables: true }));
    expect(plan.dropTableIds).toEqual(['extra']);
    const after = commit(state, restoreActions(state, plan, 'shop'));
    expect([...liveTables(after).keys()].sort()).toEqual(['t', 'u']);

    const fresh = planRestore(emptyDatabaseState(), input());
    const meanwhile = commit(emptyDatabaseState(), [{ kind: 'createTable', table: { id: 'x', name: 'T', columns: [column('a')], indexes: [], options: {}, createdAt: '' }, autoIncrement: '1' }]);
    expect(() => restoreActions(meanwhile, fresh, 'shop')).toThrow(RestoreConflict);
  });

  it('names what is not in the snapshot', () => {
    try {
      resolveRestoreScope(backedUp, { kind: 'on', tables: [{ table: 'zzz' }] }, 'snap');
      throw new Error('no error');
    } catch (err) {
      expect(isSqlError(err) && err.message).toBe("Table 'zzz' is not in snapshot 'snap' (it holds: t, u)");
    }
    expect(() => resolveRestoreScope(backedUp, { kind: 'on', tables: [{ table: 't', as: 'x' }, { table: 'u', as: 'X' }] }, 'snap')).toThrow(/Not unique table\/alias: 'X'/);
  });
});
