// A crash (kill -9) at any point of a write leaves each table at its previous or its
// new state, never between, never unreadable.
//
// Workers write through their own connections to rows (and tables) only they touch,
// one statement at a time, so the effect of each statement is known in advance. The
// model holds what the acknowledged statements imply. The server is killed at a random
// moment of a burst of writes and restarted on the same warehouse; the tables must then
// equal the model with each statement that was in flight at the kill applied wholly or
// not at all — never partly, and nothing that was never sent.
import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';
import {
  closeQuietly,
  connectWorkload,
  describeError,
  diffRows,
  isConnectionLost,
  readIdValues,
  retryDeadlock,
  seededRandom,
  testSeed,
  type Random,
  type Rows,
} from '../helpers/workload.js';

const DB = 'crash';
const DATA_WORKERS = 4;
/** S3 restarts and reads take seconds each: fewer kills keep that run near a minute. */
const KILLS = { local: 8, s3: 6 } as const;
const KILL_AFTER_MS = { min: 300, max: 1500 } as const;
/** Data worker w owns the ids in [(w + 1) * ID_SPAN, (w + 2) * ID_SPAN) of every base table. */
const ID_SPAN = 1_000_000;
/** `ledger` has no key (inserts commit without the table lock); `kv` has a primary key. */
const BASE_TABLES = ['ledger', 'kv'] as const;
const DDL_PREFIX = 'd_';
const DEADLOCK_ATTEMPTS = 20;
/** How long a kill aimed at a commit waits for one before it gives up aiming. */
const COMMIT_WAIT_MS = 5_000;
/** A commit-log object's name (storage/keys.ts); the local store keeps keys as paths. */
const LOG_ENTRY = /^\d{20}\.json$/;

/** Table name -> rows; a table exists exactly when it has an entry. */
type State = Map<string, Rows>;

interface Op {
  readonly worker: number;
  readonly sql: string;
  /** The whole effect of the statement on a model. */
  readonly apply: (state: State) => void;
}

interface Worker {
  readonly index: number;
  next(model: State): Op;
}

interface Stats {
  acknowledged: number;
  inFlightApplied: number;
  inFlightNotApplied: number;
  deadlockRetries: number;
  /** Kills sent the moment a commit-log object appeared (local warehouses only). */
  killsAtCommit: number;
  /** Time spent restarting the server after kills, and verifying. */
  restartMs: number;
  verifyMs: number;
}

function rowsOf(state: State, table: string): Rows {
  const rows = state.get(table);
  if (rows === undefined) throw new Error(`the model has no table ${table}`);
  return rows;
}

function cloneState(state: State): State {
  return new Map([...state].map(([table, rows]) => [table, new Map(rows)]));
}

function sameState(a: State, b: State): boolean {
  if (a.size !== b.size) return false;
  for (const [table, rows] of a) {
    const other = b.get(table);
    if (other?.size !== rows.size) return false;
    for (const [id, v] of rows) if (other.get(id) !== v) return false;
  }
  return true;
}

function valuesList(ids: readonly number[], row: (id: number) => string): string {
  return ids.map((id) => `(${row(id)})`).join(', ');
}

/** Inserts, multi-row updates and deletes, upserts and replaces on the rows it owns. */
function dataWorker(index: number, random: Random, nextTag: () => number): Worker {
  let nextId = (index + 1) * ID_SPAN;
  const fresh = (count: number): number[] => Array.from({ length: count }, () => nextId++);
  const owns = (id: number): boolean => Math.floor(id / ID_SPAN) === index + 1;
  const setAll = (table: string, ids: readonly number[], tag: number) => (state: State) => {
    const rows = rowsOf(state, table);
    for (const id of ids) rows.set(id, tag);
  };
  return {
    index,
    next(model: State): Op {
      const table = random.pick(BASE_TABLES);
      const live = [...rowsOf(model, table).keys()].filter(owns);
      const tag = nextTag();
      const roll = random.next();
      if (live.length === 0 || roll < 0.4) {
        const ids = fresh(table === 'ledger' ? random.int(1, 12) : random.int(1, 3));
        const sql =
          table === 'ledger'
            ? `INSERT INTO ledger (id, w, v) VALUES ${valuesList(ids, (id) => `${id}, ${index}, ${tag}`)}`
            : `INSERT INTO kv (id, v) VALUES ${valuesList(ids, (id) => `${id}, ${tag}`)}`;
        return { worker: index, sql, apply: setAll(table, ids, tag) };
      }
      if (roll < 0.65) {
        const ids = random.sample(live, random.int(1, 4));
        return { worker: index, sql: `UPDATE ${table} SET v = ${tag} WHERE id IN (${ids.join(', ')})`, apply: setAll(table, ids, tag) };
      }
      if (roll < 0.8 || table === 'ledger') {
        const ids = random.sample(live, random.int(1, 3));
        return {
          worker: index,
          sql: `DELETE FROM ${table} WHERE id IN (${ids.join(', ')})`,
          apply: (state) => {
            const rows = rowsOf(state, table);
            for (const id of ids) rows.delete(id);
          },
        };
      }
      const existing = random.pick(live);
      if (roll < 0.9) {
        const ids = [existing, ...fresh(1)];
        return {
          worker: index,
          sql: `INSERT INTO kv (id, v) VALUES ${valuesList(ids, (id) => `${id}, ${tag}`)} ON DUPLICATE KEY UPDATE v = VALUES(v)`,
          apply: setAll('kv', ids, tag),
        };
      }
      return { worker: index, sql: `REPLACE INTO kv (id, v) VALUES (${existing}, ${tag})`, apply: setAll('kv', [existing], tag) };
    },
  };
}

/** Creates, fills and drops tables of its own, so catalog commits crash too. */
function ddlWorker(index: number, random: Random, nextTag: () => number): Worker {
  let nextTable = 1;
  let nextId = 1;
  return {
    index,
    next(model: State): Op {
      const mine = [...model.keys()].filter((t) => t.startsWith(DDL_PREFIX));
      const roll = random.next();
      if (mine.length === 0 || roll < 0.2) {
        const table = `${DDL_PREFIX}${nextTable++}`;
        return { worker: index, sql: `CREATE TABLE ${table} (id INT PRIMARY KEY, v INT)`, apply: (state) => void state.set(table, new Map()) };
      }
      const table = random.pick(mine);
      if (roll < 0.75 || mine.length < 2) {
        const id = nextId++;
        const tag = nextTag();
        return { worker: index, sql: `INSERT INTO ${table} (id, v) VALUES (${id}, ${tag})`, apply: (state) => void rowsOf(state, table).set(id, tag) };
      }
      return { worker: index, sql: `DROP TABLE ${table}`, apply: (state) => void state.delete(table) };
    },
  };
}

async function readState(conn: Connection): Promise<{ state: State; problems: string[] }> {
  const [tables] = await conn.query<RowDataPacket[]>({ sql: `SHOW TABLES FROM ${DB}`, rowsAsArray: true });
  const state: State = new Map();
  const problems: string[] = [];
  for (const [name] of tables as unknown as [string][]) {
    const { rows, duplicates } = await readIdValues(conn, `${DB}.${name}`);
    if (duplicates.length > 0) problems.push(`${name}: ids seen twice: ${duplicates.slice(0, 10).join(', ')}`);
    state.set(name, rows);
  }
  return { state, problems };
}

/** Every state the model allows: each in-flight statement applied or not (they touch disjoint rows). */
function allowedStates(model: State, inFlight: readonly Op[]): { applied: number; state: State }[] {
  const out: { applied: number; state: State }[] = [];
  for (let mask = 0; mask < 1 << inFlight.length; mask++) {
    const state = cloneState(model);
    let applied = 0;
    inFlight.forEach((op, i) => {
      if ((mask & (1 << i)) === 0) return;
      op.apply(state);
      applied++;
    });
    out.push({ applied, state });
  }
  return out;
}

function mismatch(model: State, actual: State, inFlight: readonly Op[]): string {
  const lines = inFlight.length === 0 ? ['nothing was in flight'] : ['in flight:', ...inFlight.map((op) => `  worker ${op.worker}: ${op.sql}`)];
  lines.push('differences from the acknowledged state:');
  for (const table of new Set([...model.keys(), ...actual.keys()])) {
    const expected = model.get(table);
    const got = actual.get(table);
    if (expected === undefined) lines.push(`  ${table}: exists, but was never acknowledged`);
    else if (got === undefined) lines.push(`  ${table}: missing`);
    else for (const d of diffRows(expected, got)) lines.push(`  ${table} ${d}`);
  }
  return lines.join('\n');
}

/** Reads every table back and requires the model (with any in-flight statements); adopts the state found. */
async function verify(port: number, model: State, inFlight: readonly Op[], stats: Stats, label: string): Promise<void> {
  const { conn } = await connectWorkload(port);
  try {
    const { state: actual, problems } = await readState(conn);
    expect(problems, label).toEqual([]);
    const match = allowedStates(model, inFlight).find((c) => sameState(c.state, actual));
    expect(match, `${label}: the tables are not a state the acknowledged statements allow\n${mismatch(model, actual, inFlight)}`).toBeDefined();
    if (match === undefined) return;
    stats.inFlightApplied += match.applied;
    stats.inFlightNotApplied += inFlight.length - match.applied;
    model.clear();
    for (const [table, rows] of match.state) model.set(table, rows);
    // The aggregate path (no row values shipped) must agree with the rows too.
    for (const [table, rows] of model) {
      const [agg] = await conn.query<RowDataPacket[]>({ sql: `SELECT count(*), count(DISTINCT id), sum(v) FROM ${DB}.${table}`, rowsAsArray: true });
      const [count, distinct, sum] = (agg as unknown as [unknown, unknown, unknown][])[0] ?? [];
      const expectedSum = [...rows.values()].reduce((a, b) => a + b, 0);
      expect([Number(count), Number(distinct), Number(sum ?? 0)], `${label}: count(*), count(DISTINCT id), sum(v) of ${table}`).toEqual([rows.size, rows.size, expectedSum]);
    }
  } finally {
    await closeQuietly(conn);
  }
}

/**
 * Resolves when a new commit-log object appears in a local warehouse (the catalog's or a
 * database's), or after `timeoutMs` with false. A kill sent then lands between a commit and
 * its acknowledgement, or in the checkpoint written after it: windows too narrow for a
 * kill at a random moment to hit often.
 */
async function commitSeen(warehouseDir: string, timeoutMs: number): Promise<boolean> {
  const dbs = await readdir(path.join(warehouseDir, 'db'));
  const dirs = [path.join(warehouseDir, '_catalog', 'log'), ...dbs.map((db) => path.join(warehouseDir, 'db', db, '_log'))];
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<boolean>((resolve, reject) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      for (const dir of dirs) {
        const watcher = watch(dir, (_event, file) => {
          if (file !== null && LOG_ENTRY.test(file)) resolve(true);
        });
        watcher.on('error', reject);
        watchers.push(watcher);
      }
    });
  } finally {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  }
}

/**
 * Runs every worker until the server is killed `killAfterMs` in (or, with `atCommit`, at
 * the first commit after that); returns the statements left in flight.
 */
async function burst(server: ServerProcess, model: State, workers: readonly Worker[], killAfterMs: number, atCommit: boolean, stats: Stats): Promise<Op[]> {
  const conns = await Promise.all(workers.map(() => connectWorkload(server.port, DB)));
  const inFlight = new Map<number, Op>();
  const unexpected: string[] = [];
  const run = async (worker: Worker, conn: Connection): Promise<void> => {
    for (;;) {
      const op = worker.next(model);
      inFlight.set(worker.index, op);
      try {
        await retryDeadlock(() => conn.query(op.sql), {
          maxAttempts: DEADLOCK_ATTEMPTS,
          onRetry: () => {
            stats.deadlockRetries++;
          },
        });
      } catch (err) {
        // The statement stays in flight: it may or may not have committed before the kill.
        if (isConnectionLost(err)) return;
        inFlight.delete(worker.index);
        unexpected.push(`${op.sql}: ${describeError(err)}`);
        continue;
      }
      op.apply(model);
      inFlight.delete(worker.index);
      stats.acknowledged++;
    }
  };
  const runs = workers.map((w, i) => {
    const c = conns[i];
    if (c === undefined) throw new Error('a worker without a connection');
    return run(w, c.conn);
  });
  await new Promise((resolve) => setTimeout(resolve, killAfterMs));
  if (atCommit && (await commitSeen(server.warehouse, COMMIT_WAIT_MS))) stats.killsAtCommit++;
  await server.kill();
  await Promise.all(runs);
  await Promise.all(conns.map((c) => closeQuietly(c.conn)));
  expect(unexpected, 'statements that failed with an error other than a lost connection').toEqual([]);
  return [...inFlight.values()];
}

describe.each(warehouseKinds('crash-safety e2e'))('kill -9 during writes on a %s warehouse', (kind) => {
  let warehouse: Warehouse | undefined;
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.kill();
    await warehouse?.remove();
  });

  it(
    `keeps every acknowledged commit and nothing else across ${KILLS[kind]} kills`,
    async () => {
      const random = seededRandom(testSeed(`crash-safety ${kind}`));
      let tag = 0;
      const nextTag = (): number => ++tag;
      const stats: Stats = { acknowledged: 0, inFlightApplied: 0, inFlightNotApplied: 0, deadlockRetries: 0, killsAtCommit: 0, restartMs: 0, verifyMs: 0 };
      const workers: Worker[] = [...Array.from({ length: DATA_WORKERS }, (_, i) => dataWorker(i, random, nextTag)), ddlWorker(DATA_WORKERS, random, nextTag)];
      const model: State = new Map();

      warehouse = await createWarehouse(kind);
      server = await warehouse.start();
      const setup = await connectWorkload(server.port);
      await setup.conn.query(`CREATE DATABASE ${DB}`);
      await setup.conn.query(`CREATE TABLE ${DB}.ledger (id INT NOT NULL, w INT, v INT)`);
      await setup.conn.query(`CREATE TABLE ${DB}.kv (id INT PRIMARY KEY, v INT)`);
      await closeQuietly(setup.conn);
      for (const table of BASE_TABLES) model.set(table, new Map());

      const kills = KILLS[kind];
      for (let kill = 1; kill <= kills; kill++) {
        // Every other kill on a local warehouse is aimed at a commit; S3 gives no such signal.
        const atCommit = kind === 'local' && kill % 2 === 0;
        const inFlight = await burst(server, model, workers, random.int(KILL_AFTER_MS.min, KILL_AFTER_MS.max), atCommit, stats);
        const restarting = Date.now();
        server = await warehouse.start();
        const verifying = Date.now();
        stats.restartMs += verifying - restarting;
        await verify(server.port, model, inFlight, stats, `after kill ${kill}`);
        stats.verifyMs += Date.now() - verifying;
      }

      // The crashed writes left nothing in the way of new commits on any table.
      const { conn } = await connectWorkload(server.port, DB);
      for (const worker of workers) {
        for (let i = 0; i < 3; i++) {
          const op = worker.next(model);
          await retryDeadlock(() => conn.query(op.sql), { maxAttempts: DEADLOCK_ATTEMPTS });
          op.apply(model);
          stats.acknowledged++;
        }
      }
      await closeQuietly(conn);
      await verify(server.port, model, [], stats, 'after the last restart and more writes');

      // Every table reads whole with SELECT *, not only the columns the model tracks.
      const check = await connectWorkload(server.port, DB);
      for (const [table, rows] of model) {
        const [all] = await check.conn.query<RowDataPacket[]>(`SELECT * FROM ${table}`);
        expect(all.length, `SELECT * FROM ${table}`).toBe(rows.size);
      }
      await closeQuietly(check.conn);
      expect(await server.stop()).toBe(0);

      console.log(
        `[crash-safety ${kind}] ${kills} kills (${stats.killsAtCommit} at a commit); ${stats.acknowledged} acknowledged statements; in flight at a kill: ` +
          `${stats.inFlightApplied} committed, ${stats.inFlightNotApplied} not; ${stats.deadlockRetries} deadlock retries; ` +
          `restart ${Math.round(stats.restartMs / kills)} ms and verify ${Math.round(stats.verifyMs / kills)} ms on average; ` +
          `final tables: ${[...model].map(([t, r]) => `${t}=${r.size}`).join(' ')}`,
      );
      expect(stats.acknowledged).toBeGreaterThan(kills);
    },
    180_000,
  );
});
