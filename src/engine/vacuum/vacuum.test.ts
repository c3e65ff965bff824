// The vacuum planner and executor on the local store, with an injected clock:
// which files are expired, orphan, kept or pinned, what the log records, and that
// every retained state still has all its files afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import { keys } from '../../storage/keys.js';
import { openLocalStore } from '../../storage/local/local-store.js';
import type { ObjectStore } from '../../storage/object-store.js';
import type { DatabaseEntry } from '../catalog/catalog.js';
import type { DatabaseLog } from '../catalog/database-log.js';
import type { DataFile, LogAction, TableMeta, TableState } from '../catalog/database-state.js';
import { NO_EVENTS } from '../engine-events.js';
import { Pins } from '../pins.js';
import { Mutex } from '../util/mutex.js';
import { FileCache } from '../../storage/file-cache.js';
import { Warehouse } from '../warehouse.js';
import { applyDropPlans, applyTablePlans } from './executor.js';
import { listObjects } from './objects.js';
import { planDropped, planTables } from './planner.js';
import type { VacuumCore } from './vacuum-core.js';
import { WorkRegistry } from '../../observability/progress.js';

const HOUR = 3_600_000;

let dir: string;
let store: ObjectStore;
/** Hours the test clock runs ahead of the system clock. */
let offsetHours = 0;
let core: VacuumCore;
let db: DatabaseEntry;
let log: DatabaseLog;
let fileNo = 0;

const clock = (): Date => new Date(Date.now() + offsetHours * HOUR);

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-vacuum-'));
  store = await openLocalStore(dir);
  offsetHours = 0;
  const files = new FileCache({ store, dir: path.join(dir, '.cache'), maxBytes: 1024 ** 3, logger: silentLogger });
  const warehouse = await Warehouse.open(store, silentLogger, { files, now: clock });
  await warehouse.catalog.createDatabase('d', 'u', false);
  db = await warehouse.database('d');
  log = await warehouse.log(db);
  const lock = new Mutex();
  core = { warehouse, store, pins: new Pins(), retention: { defaultHours: 10, orphanGraceMs: HOUR }, now: clock, tableLock: () => lock, logger: silentLogger, events: NO_EVENTS, work: new WorkRegistry() };
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const meta = (id: string, options: Record<string, string> = {}): TableMeta => ({ id, name: id, columns: [], indexes: [], options, createdAt: clock().toISOString() });

/** A data file of the table, stored (the bytes do not matter here). */
async function dataFile(tableId: string): Promise<DataFile> {
  const key = keys.dataFile(db.id, tableId, 'p0', `f${++fileNo}`);
  await store.put(key, new TextEncoder().encode(`file ${fileNo}`));
  return { key, partition: 'p0', rows: 1, bytes: 6, stats: {} };
}

/** Commits at `hours` on the test clock. */
async function commitAt(hours: number, ...actions: LogAction[]): Promise<number> {
  offsetHours = hours;
  return (await log.commit({ user: 'u', operation: 'TEST', actions: () => actions })).seq;
}

async function present(key: string): Promise<boolean> {
  return (await listObjects(store, key)).has(key);
}

function tableT(): TableState {
  const t = log.current().tables.t;
  if (t === undefined) throw new Error('no table t');
  return t;
}

async function planned(): Promise<Record<string, string>> {
  const [plan] = await planTables(core, db, log, [tableT()]);
  return Object.fromEntries((plan?.removals ?? []).map((r) => [r.object.key, r.reason]));
}

describe('VACUUM TABLE planning', () => {
  it('finds exactly the files of states before the retention period, and orphans past the grace period', async () => {
    const f = [await dataFile('t'), await dataFile('t'), await dataFile('t'), await dataFile('t')];
    const [f1, f2, f3, f4] = f as [DataFile, DataFile, DataFile, DataFile];
    await commitAt(0, { kind: 'createTable', table: meta('t'), autoIncrement: '1' });
    await commitAt(1, { kind: 'addFiles', tableId: 't', files: [f1, f2] });
    await commitAt(2, { kind: 'removeFiles', tableId: 't', keys: [f1.key] }); // f1 leaves at hour 2
    const s4 = await commitAt(3, { kind: 'addFiles', tableId: 't', files: [f3] });
    await commitAt(20, { kind: 'removeFiles', tableId: 't', keys: [f2.key] }); // f2 leaves at hour 20
    const orphan = keys.dataFile(db.id, 't', 'p0', 'crashed-write');
    await store.put(orphan, new TextEncoder().encode('never committed'));
    void f4; // uploaded, never committed: an orphan as well

    // At hour 11.5 the cutoff is hour 1.5: the state of hour 1 (f1, f2) and later ones are kept.
    offsetHours = 11.5;
    expect(await planned()).toEqual({ [orphan]: 'orphan', [f4.key]: 'orphan' });
    // At hour 13.5 the cutoff (3.5) falls after commit s4: f1 only ever belonged to earlier states.
    offsetHours = 13.5;
    expect(await planned()).toEqual({ [f1.key]: 'expired', [orphan]: 'orphan', [f4.key]: 'orphan' });
    const [plan] = await planTables(core, db, log, [tableT()]);
    expect(plan?.expiredBefore).toBe(s4);
    // f2 is in the state current at the cutoff; f3 is current: both stay.
    expect(await planned()).not.toHaveProperty(f2.key);
    expect(await planned()).not.toHaveProperty(f3.key);
  });

  it('leaves orphans younger than the grace period and pinned files alone', async () => {
    const f1 = await dataFile('t');
    await commitAt(0, { kind: 'createTable', table: meta('t'), autoIncrement: '1' });
    await commitAt(1, { kind: 'addFiles', tableId: 't', files: [f1] });
    await commitAt(2, { kind: 'removeFiles', tableId: 't', keys: [f1.key] });
    const young = keys.dataFile(db.id, 't', 'p0', 'in-flight');
    offsetHours = 30;
    core = { ...core, retention: { defaultHours: 10, orphanGraceMs: 40 * HOUR } };
    await store.put(young, new TextEncoder().encode('about to be committed'));
    expect(await planned()).toEqual({ [f1.key]: 'expired' });
    const release = core.pins.pin([f1.key]);
    expect(await planned()).toEqual({});
    release();
    expect(await planned()).toEqual({ [f1.key]: 'expired' });
  });

  it('honours the per-table retention option over the default', async () => {
    const [f1] = [await dataFile('t')];
    await commitAt(0, { kind: 'createTable', table: meta('t', { data_retention_period_in_hours: '48' }), autoIncrement: '1' });
    await commitAt(1, { kind: 'addFiles', tableId: 't', files: [f1] });
    await commitAt(2, { kind: 'removeFiles', tableId: 't', keys: [f1.key] });
    offsetHours = 30; // past the default of 10 hours, within the table's 48
    expect(await planned()).toEqual({});
    offsetHours = 51;
    expect(await planned()).toEqual({ [f1.key]: 'expired' });
  });
});

describe('VACUUM TABLE', () => {
  it('removes every version of exactly the planned files, records the horizon, and keeps every retained state whole', async () => {
    const [f1, f2, f3] = [await dataFile('t'), await dataFile('t'), await dataFile('t')];
    await commitAt(0, { kind: 'createTable', table: meta('t'), autoIncrement: '1' });
    await commitAt(1, { kind: 'addFiles', tableId: 't', files: [f1, f2] });
    await commitAt(2, { kind: 'removeFiles', tableId: 't', keys: [f1.key] });
    const kept = await commitAt(3, { kind: 'addFiles', tableId: 't', files: [f3] });
    await commitAt(4, { kind: 'removeFiles', tableId: 't', keys: [f2.key] });
    offsetHours = 13.5;
    const plans = await planTables(core, db, log, [tableT()]);
    const done = await applyTablePlans({ core, user: 'u' }, plans);
    expect(done).toMatchObject({ expiredFiles: 1, orphanFiles: 0, bytes: 6 });
    expect(await present(f1.key)).toBe(false);
    expect((await listObjects(store, keys.tablePrefix(db.id, 't'))).has(f1.key)).toBe(false);
    expect(log.current().tables.t?.vacuumedBefore).toBe(kept);
    // Every state from the horizon on has all its files.
    for (let seq = kept; seq <= log.current().seq; seq++) {
      for (const f of (await log.stateAt(seq)).tables.t?.files ?? []) expect(await present(f.key), `${f.key} at ${seq}`).toBe(true);
    }
    expect(await planned()).toEqual({});
  });

  it('spares a file that a commit made after planning brought back', async () => {
    const [f1] = [await dataFile('t')];
    await commitAt(0, { kind: 'createTable', table: meta('t'), autoIncrement: '1' });
    await commitAt(1, { kind: 'addFiles', tableId: 't', files: [f1] });
    await commitAt(2, { kind: 'removeFiles', tableId: 't', keys: [f1.key] });
    await commitAt(3, { kind: 'alterTable', tableId: 't', table: meta('t') });
    offsetHours = 14;
    const plans = await planTables(core, db, log, [tableT()]);
    expect(plans[0]?.removals.map((r) => r.object.key)).toEqual([f1.key]);
    // As FLASHBACK does: the old file becomes current again.
    await commitAt(14, { kind: 'addFiles', tableId: 't', files: [f1] });
    expect(await applyTablePlans({ core, user: 'u' }, plans)).toMatchObject({ expiredFiles: 0 });
    expect(await present(f1.key)).toBe(true);
  });
});

describe('VACUUM DROP TABLE', () => {
  it('purges tables dropped past their retention, keeps recent drops, and removes orphan table folders', async () => {
    const [old1, recent1] = [await dataFile('old'), await dataFile('recent')];
    await commitAt(0, { kind: 'createTable', table: meta('old'), autoIncrement: '1' }, { kind: 'createTable', table: meta('recent'), autoIncrement: '1' });
    await commitAt(1, { kind: 'addFiles', tableId: 'old', files: [old1] }, { kind: 'addFiles', tableId: 'recent', files: [recent1] });
    await commitAt(2, { kind: 'dropTable', tableId: 'old' });
    await commitAt(8, { kind: 'dropTable', tableId: 'recent' });
    const stray = keys.dataFile(db.id, 'neverCommitted', 'p0', 'x');
    await store.put(stray, new TextEncoder().encode('ctas that failed'));
    offsetHours = 13;
    const plans = await planDropped(core, db);
    expect(plans.map((p) => [p.kind, p.removals.map((r) => [r.object.key, r.reason])])).toEqual([
      ['table', [[old1.key, 'dropped']]],
      ['orphans', [[stray, 'orphan']]],
    ]);
    expect(await applyDropPlans({ core, user: 'u' }, plans)).toMatchObject({ tablesPurged: 1, droppedFiles: 1, orphanFiles: 1 });
    expect(log.current().tables.old?.purged).toBeDefined();
    expect(log.current().tables.old?.files).toEqual([]);
    expect(await present(old1.key)).toBe(false);
    expect(await present(stray)).toBe(false);
    expect(await present(recent1.key)).toBe(true);
    expect(await planDropped(core, db)).toEqual([]);
    // A file that something pinned while its table was purged stays behind; it goes as an orphan later.
    const leftover = keys.dataFile(db.id, 'old', 'p0', 'pinned-during-purge');
    await store.put(leftover, new TextEncoder().encode('x'));
    expect((await planDropped(core, db)).map((p) => [p.kind, p.removals.map((r) => r.reason)])).toEqual([['orphans', ['orphan']]]);
  });

  it('leaves a dropped table whose files are pinned for a later run', async () => {
    const f1 = await dataFile('old');
    await commitAt(0, { kind: 'createTable', table: meta('old'), autoIncrement: '1' });
    await commitAt(1, { kind: 'addFiles', tableId: 'old', files: [f1] });
    await commitAt(2, { kind: 'dropTable', tableId: 'old' });
    offsetHours = 13;
    const release = core.pins.pin([f1.key]);
    expect(await planDropped(core, db)).toEqual([]);
    release();
    const plans = await planDropped(core, db);
    expect(plans).toHaveLength(1);
    // Pinned between planning and purging (a backup started): nothing is purged.
    const again = core.pins.pin([f1.key]);
    expect(await applyDropPlans({ core, user: 'u' }, plans)).toMatchObject({ tablesPurged: 0 });
    expect(log.current().tables.old?.purged).toBeUndefined();
    again();
    expect(await applyDropPlans({ core, user: 'u' }, plans)).toMatchObject({ tablesPurged: 1, droppedFiles: 1 });
  });
});
