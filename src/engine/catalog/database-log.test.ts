import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../storage/local/local-store.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { keys } from '../../storage/keys.js';
import { silentLogger } from '../../logging/logger.js';
import { CHECKPOINT_INTERVAL, DatabaseLog } from './database-log.js';
import { applyEntry, emptyDatabaseState, formatOf, liveTables, type DataFile, type TableMeta } from './database-state.js';

const meta = (id: string, name: string): TableMeta => ({
  id,
  name,
  columns: [],
  indexes: [],
  options: {},
  createdAt: '2026-01-01T00:00:00.000Z',
});
const file = (n: number): DataFile => ({ key: `db/d1/t1/p0/f${n}.parquet`, partition: 'p0', rows: n, bytes: n * 10, stats: {} });

let dir: string;
let store: ObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-log-'));
  store = await openLocalStore(dir);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('applyEntry', () => {
  it('derives files, row counts and drops from actions', () => {
    let s = emptyDatabaseState();
    s = applyEntry(s, { format: 1, seq: 1, timestamp: 't1', user: 'u', operation: 'CREATE TABLE', actions: [{ kind: 'createTable', table: meta('t1', 'a'), autoIncrement: '1' }] });
    s = applyEntry(s, { format: 1, seq: 2, timestamp: 't2', user: 'u', operation: 'INSERT', actions: [{ kind: 'addFiles', tableId: 't1', files: [file(3), file(4)], autoIncrement: '8' }] });
    s = applyEntry(s, { format: 1, seq: 3, timestamp: 't3', user: 'u', operation: 'DELETE', actions: [{ kind: 'removeFiles', tableId: 't1', keys: [file(3).key] }] });
    expect(s.tables.t1).toMatchObject({ rowCount: 4, bytes: 40, autoIncrement: '8', changedSeq: 3 });
    s = applyEntry(s, { format: 1, seq: 4, timestamp: 't4', user: 'u', operation: 'DROP TABLE', actions: [{ kind: 'dropTable', tableId: 't1' }] });
    expect(liveTables(s).size).toBe(0);
    expect(s.tables.t1?.dropped).toEqual({ seq: 4, at: 't4' });
  });

  it('refuses entries that do not follow or do not fit', () => {
    const s = emptyDatabaseState();
    expect(() => applyEntry(s, { format: 1, seq: 2, timestamp: 't', user: 'u', operation: 'x', actions: [] })).toThrow(/does not follow/);
    expect(() => applyEntry(s, { format: 1, seq: 1, timestamp: 't', user: 'u', operation: 'x', actions: [{ kind: 'dropTable', tableId: 'nope' }] })).toThrow(/unknown table/);
    expect(() => applyEntry(s, { format: 99, seq: 1, timestamp: 't', user: 'u', operation: 'x', actions: [] })).toThrow(/newer than this server/);
  });
});

describe("VACUUM's actions", () => {
  it('record how far a table was vacuumed without changing it, and purge only dropped tables', () => {
    let s = emptyDatabaseState();
    s = applyEntry(s, { format: 1, seq: 1, timestamp: 't1', user: 'u', operation: 'CREATE TABLE', actions: [{ kind: 'createTable', table: meta('t1', 'a'), autoIncrement: '1' }] });
    s = applyEntry(s, { format: 1, seq: 2, timestamp: 't2', user: 'u', operation: 'INSERT', actions: [{ kind: 'addFiles', tableId: 't1', files: [file(1)] }] });
    s = applyEntry(s, { format: 2, seq: 3, timestamp: 't3', user: 'u', operation: 'VACUUM', actions: [{ kind: 'vacuumTable', tableId: 't1', beforeSeq: 2 }] });
    expect(s.tables.t1).toMatchObject({ vacuumedBefore: 2, changedSeq: 2, rowCount: 1 });
    expect(s.format).toBe(2);
    // A later, shorter record never moves it back.
    s = applyEntry(s, { format: 2, seq: 4, timestamp: 't4', user: 'u', operation: 'VACUUM', actions: [{ kind: 'vacuumTable', tableId: 't1', beforeSeq: 1 }] });
    expect(s.tables.t1?.vacuumedBefore).toBe(2);
    expect(() => applyEntry(s, { format: 2, seq: 5, timestamp: 't5', user: 'u', operation: 'VACUUM DROP', actions: [{ kind: 'purgeTable', tableId: 't1' }] })).toThrow(/not dropped/);
    s = applyEntry(s, { format: 1, seq: 5, timestamp: 't5', user: 'u', operation: 'DROP TABLE', actions: [{ kind: 'dropTable', tableId: 't1' }] });
    s = applyEntry(s, { format: 2, seq: 6, timestamp: 't6', user: 'u', operation: 'VACUUM DROP', actions: [{ kind: 'purgeTable', tableId: 't1' }] });
    expect(s.tables.t1).toMatchObject({ purged: { seq: 6, at: 't6' }, files: [], rowCount: 0 });
    expect(() => applyEntry(s, { format: 1, seq: 7, timestamp: 't7', user: 'u', operation: 'UNDROP', actions: [{ kind: 'undropTable', tableId: 't1', name: 'a' }] })).toThrow(/not dropped/);
  });

  it('need format 2; everything else is still written as format 1', () => {
    expect(formatOf([{ kind: 'dropTable', tableId: 'x' }])).toBe(1);
    expect(formatOf([{ kind: 'vacuumTable', tableId: 'x', beforeSeq: 1 }])).toBe(2);
    expect(formatOf([{ kind: 'purgeTable', tableId: 'x' }])).toBe(2);
  });
});

describe('DatabaseLog', () => {
  it('keeps commit times in order when the clock goes back, and checkpoints what VACUUM recorded', async () => {
    let clock = Date.parse('2026-01-01T10:00:00Z');
    const log = await DatabaseLog.open(store, 'd1', silentLogger, () => new Date(clock));
    await log.commit({ user: 'u', operation: 'CREATE TABLE', actions: () => [{ kind: 'createTable', table: meta('t1', 'a'), autoIncrement: '1' }] });
    clock -= 3_600_000;
    const second = await log.commit({ user: 'u', operation: 'VACUUM', actions: () => [{ kind: 'vacuumTable', tableId: 't1', beforeSeq: 1 }] });
    expect(second).toMatchObject({ format: 2, timestamp: '2026-01-01T10:00:00.000Z' });
    for (let i = 3; i <= CHECKPOINT_INTERVAL + 2; i++) await log.commit({ user: 'u', operation: 'INSERT', actions: () => [{ kind: 'addFiles', tableId: 't1', files: [file(i)] }] });
    expect((await log.entry(3)).format).toBe(1);
    await store.delete(keys.databaseLogEntry('d1', 2));
    const reopened = await DatabaseLog.open(store, 'd1', silentLogger);
    expect(reopened.current().tables.t1?.vacuumedBefore).toBe(1);
    const seqs: number[] = [];
    // From the checkpoint on: the deleted entry is not needed.
    for await (const { entry } of reopened.history(CHECKPOINT_INTERVAL + 1)) seqs.push(entry.seq);
    expect(seqs).toEqual([CHECKPOINT_INTERVAL + 1, CHECKPOINT_INTERVAL + 2]);
  });

  it('commits, reopens from a checkpoint, and replays only the entries after it', async () => {
    const log = await DatabaseLog.open(store, 'd1', silentLogger);
    await log.commit({ user: 'u', operation: 'CREATE TABLE', actions: () => [{ kind: 'createTable', table: meta('t1', 'a'), autoIncrement: '1' }] });
    for (let i = 1; i < CHECKPOINT_INTERVAL + 5; i++) {
      await log.commit({ user: 'u', operation: 'INSERT', actions: () => [{ kind: 'addFiles', tableId: 't1', files: [file(i)] }] });
    }
    const expected = log.current();
    expect(expected.seq).toBe(CHECKPOINT_INTERVAL + 5);
    const hint = JSON.parse(Buffer.from(await store.get(keys.databaseCheckpointHint('d1'))).toString()) as { seq: number };
    expect(hint.seq).toBe(CHECKPOINT_INTERVAL);
    // Entries before the checkpoint are not needed to open the database.
    await store.delete(keys.databaseLogEntry('d1', 1));
    const reopened = await DatabaseLog.open(store, 'd1', silentLogger);
    expect(reopened.current()).toEqual(expected);
  });

  it('never lets two writers win the same sequence number', async () => {
    const a = await DatabaseLog.open(store, 'd1', silentLogger);
    const b = await DatabaseLog.open(store, 'd1', silentLogger);
    await a.commit({ user: 'u', operation: 'CREATE TABLE', actions: () => [{ kind: 'createTable', table: meta('t1', 'a'), autoIncrement: '1' }] });
    // b has not seen a's commit; its commit must land on seq 2, rebuilt on the newer state.
    let sawTable = false;
    const entry = await b.commit({
      user: 'u',
      operation: 'INSERT',
      actions: (state) => {
        sawTable = state.tables.t1 !== undefined;
        return sawTable ? [{ kind: 'addFiles', tableId: 't1', files: [file(1)] }] : [];
      },
    });
    expect(entry.seq).toBe(2);
    expect(sawTable).toBe(true);
    await a.refresh();
    expect(a.current().tables.t1?.rowCount).toBe(1);
  });

  it('never publishes an entry that does not apply', async () => {
    const log = await DatabaseLog.open(store, 'd1', silentLogger);
    await expect(log.commit({ user: 'u', operation: 'DROP', actions: () => [{ kind: 'dropTable', tableId: 'missing' }] })).rejects.toThrow(/unknown table/);
    const fresh = await DatabaseLog.open(store, 'd1', silentLogger);
    expect(fresh.current().seq).toBe(0);
  });

  it('rebuilds any past state across checkpoints and finds commits by time', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const log = await DatabaseLog.open(store, 'd1', silentLogger, () => new Date(clock));
    const seen = new Map<number, unknown>();
    await log.commit({ user: 'u', operation: 'CREATE TABLE', actions: () => [{ kind: 'createTable', table: meta('t1', 'a'), autoIncrement: '1' }] });
    seen.set(1, log.current());
    for (let i = 2; i <= CHECKPOINT_INTERVAL + 7; i++) {
      clock += 1000;
      await log.commit({ user: 'u', operation: 'INSERT', actions: () => [{ kind: 'addFiles', tableId: 't1', files: [file(i)] }] });
      seen.set(i, log.current());
    }
    const reopened = await DatabaseLog.open(store, 'd1', silentLogger);
    for (const seq of [1, 5, CHECKPOINT_INTERVAL - 1, CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL + 3, CHECKPOINT_INTERVAL + 7]) {
      expect(await reopened.stateAt(seq)).toEqual(seen.get(seq));
    }
    await expect(reopened.stateAt(CHECKPOINT_INTERVAL + 8)).rejects.toThrow(RangeError);
    // Commit i was made at 2026-01-01T00:00:(i-1)s.
    expect(await reopened.seqAt(new Date('2025-12-31T23:59:59Z'))).toBe(0);
    expect(await reopened.seqAt(new Date('2026-01-01T00:00:00Z'))).toBe(1);
    expect(await reopened.seqAt(new Date('2026-01-01T00:00:04.500Z'))).toBe(5);
    expect(await reopened.seqAt(new Date('2027-01-01T00:00:00Z'))).toBe(CHECKPOINT_INTERVAL + 7);
  });

  it('refuses to open a log whose newest entries were removed, rather than show an older state as the newest', async () => {
    const log = await DatabaseLog.open(store, 'd1', silentLogger);
    await log.commit({ user: 'u', operation: 'CREATE TABLE', actions: () => [{ kind: 'createTable', table: meta('t1', 'a'), autoIncrement: '1' }] });
    await log.commit({ user: 'u', operation: 'INSERT', actions: () => [{ kind: 'addFiles', tableId: 't1', files: [file(1)] }] });
    await store.delete(keys.databaseLogEntry('d1', 2));
    await expect(DatabaseLog.open(store, 'd1', silentLogger)).rejects.toMatchObject({ kind: 'NotFound', key: keys.databaseLogEntry('d1', 2) });
    // A log that never had a next entry opens as before.
    expect((await DatabaseLog.open(store, 'd2', silentLogger)).current().seq).toBe(0);
  });
});
