// 32 connections mix inserts, updates, deletes and reads on shared tables for a fixed
// time; the final contents must equal what the acknowledged statements imply.
//
// Every connection increments one shared counter row (a lost update shows as a final
// count below the acknowledged increments) and one of its own, and inserts, updates
// and deletes rows in its own id range of shared tables. While running, its reads must
// see its own acknowledged writes exactly, the shared counter between what was
// acknowledged before the read and what had been sent by its end, and every other
// connection's multi-row inserts whole.
//
// The same runs with the connections spread over two servers sharing one warehouse,
// where writers race across processes and the losers must get 1213.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';
import {
  closeQuietly,
  connectWorkload,
  describeError,
  diffRows,
  readIdValues,
  retryDeadlock,
  seededRandom,
  testSeed,
  type Random,
  type Rows,
} from '../helpers/workload.js';

const DB = 'conc';
const CONNECTIONS = 32;
/** S3 commits take several round trips each: a shorter run keeps the suite's time bounded. */
const RUN_MS = { local: 10_000, s3: 5_000 } as const;
/** Bounds each connection's loop even if statements became unexpectedly fast. */
const MAX_STATEMENTS_PER_CONNECTION = 2_000;
const SHARED_COUNTER = 1;
/** Connection c's own counter row and the start of its item id range. */
const ownCounter = (c: number): number => 1000 + c;
const ID_SPAN = 1_000_000;
const DEADLOCK_ATTEMPTS = 50;

const OPS = ['sharedIncrement', 'ownIncrement', 'insertItems', 'updateItems', 'deleteItems', 'insertEvents', 'touchEvents', 'read'] as const;
type OpKind = (typeof OPS)[number];
/** Relative frequencies: the shared counter is the contended row of the lost-update check. */
const WEIGHTS: Readonly<Record<OpKind, number>> = {
  sharedIncrement: 25,
  ownIncrement: 10,
  insertItems: 18,
  updateItems: 10,
  deleteItems: 7,
  insertEvents: 10,
  touchEvents: 6,
  read: 20,
};

function pickOp(random: Random): OpKind {
  const total = OPS.reduce((sum, op) => sum + WEIGHTS[op], 0);
  let roll = random.next() * total;
  for (const op of OPS) {
    roll -= WEIGHTS[op];
    if (roll < 0) return op;
  }
  return 'read';
}

/** What one connection's acknowledged statements imply. */
interface ConnectionModel {
  readonly index: number;
  /** Its rows of `items`: id -> v. */
  readonly items: Rows;
  ownIncrements: number;
  /** Its rows of `events`: seq numbers 1..n, and each row's `hits`. */
  readonly eventHits: number[];
  /** Rows of `events` it sent, acknowledged or not. */
  eventsSent: number;
  nextId: number;
}

/** Shared across connections: the bounds a read of the shared counter must fall within. */
interface SharedCounter {
  acknowledged: number;
  sent: number;
  /** The most increments that were sent and not yet acknowledged at one time. */
  mostInFlight: number;
}

interface Tally {
  readonly statements: Record<OpKind, number>;
  /** Summed latency per kind, retries included. */
  readonly millis: Record<OpKind, number>;
  deadlockRetries: number;
  readonly unexpected: string[];
  readonly violations: string[];
}

function sqlList(values: readonly number[]): string {
  return values.join(', ');
}

async function rowsOf(conn: Connection, sql: string): Promise<unknown[][]> {
  const [rows] = await conn.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return rows as unknown as unknown[][];
}

async function scalar(conn: Connection, sql: string): Promise<number> {
  const [row] = await rowsOf(conn, sql);
  return Number(row?.[0]);
}

async function write(conn: Connection, sql: string, tally: Tally): Promise<ResultSetHeader> {
  const [result] = await retryDeadlock(() => conn.query<ResultSetHeader>(sql), {
    maxAttempts: DEADLOCK_ATTEMPTS,
    onRetry: () => {
      tally.deadlockRetries++;
    },
  });
  return result;
}

interface Workload {
  readonly models: readonly ConnectionModel[];
  readonly shared: SharedCounter;
  readonly nextTag: () => number;
  readonly tally: Tally;
}

/** Every owner's events, read by anyone, are 1..n with n between what it had acknowledged and sent. */
async function checkAllEvents(conn: Connection, w: Workload, check: (ok: boolean, what: string) => void): Promise<void> {
  const acknowledged = w.models.map((m) => m.eventHits.length);
  const rows = await rowsOf(conn, 'SELECT owner, count(*), count(DISTINCT seq), max(seq) FROM events GROUP BY owner');
  const seen = new Map(rows.map((r) => [Number(r[0]), r.slice(1).map(Number)]));
  for (const m of w.models) {
    const [count = 0, distinct = 0, max = 0] = seen.get(m.index) ?? [];
    const low = acknowledged[m.index] ?? 0;
    check(
      count === distinct && count === max && count >= low && count <= m.eventsSent,
      `owner ${m.index}'s events read as count ${count}, distinct ${distinct}, max ${max}: not 1..n with n in [${low}, ${m.eventsSent}]`,
    );
  }
}

/** Runs one statement of kind `op`; false when there was nothing to run it on (no own rows yet). */
async function runOne(op: OpKind, conn: Connection, m: ConnectionModel, random: Random, w: Workload): Promise<boolean> {
  const { shared, nextTag, tally } = w;
  const c = m.index;
  const mine = (): number[] => [...m.items.keys()];
  const check = (ok: boolean, what: string): void => {
    if (!ok) tally.violations.push(`connection ${c}: ${what}`);
  };
  switch (op) {
    case 'sharedIncrement': {
      shared.sent++;
      shared.mostInFlight = Math.max(shared.mostInFlight, shared.sent - shared.acknowledged);
      const r = await write(conn, `UPDATE counters SET n = n + 1 WHERE id = ${SHARED_COUNTER}`, tally);
      check(r.affectedRows === 1, `the shared increment matched ${r.affectedRows} rows`);
      shared.acknowledged++;
      return true;
    }
    case 'ownIncrement': {
      const r = await write(conn, `UPDATE counters SET n = n + 1 WHERE id = ${ownCounter(c)}`, tally);
      check(r.affectedRows === 1, `its own increment matched ${r.affectedRows} rows`);
      m.ownIncrements++;
      return true;
    }
    case 'insertItems': {
      const tag = nextTag();
      const ids = Array.from({ length: random.int(1, 5) }, () => m.nextId++);
      const r = await write(conn, `INSERT INTO items (id, owner, v) VALUES ${ids.map((id) => `(${id}, ${c}, ${tag})`).join(', ')}`, tally);
      check(r.affectedRows === ids.length, `an insert of ${ids.length} rows affected ${r.affectedRows}`);
      for (const id of ids) m.items.set(id, tag);
      return true;
    }
    case 'updateItems': {
      const ids = random.sample(mine(), random.int(1, 3));
      if (ids.length === 0) return false;
      const tag = nextTag();
      const r = await write(conn, `UPDATE items SET v = ${tag} WHERE id IN (${sqlList(ids)})`, tally);
      check(r.affectedRows === ids.length, `an update of ${ids.length} own rows matched ${r.affectedRows}`);
      for (const id of ids) m.items.set(id, tag);
      return true;
    }
    case 'deleteItems': {
      const ids = random.sample(mine(), random.int(1, 2));
      if (ids.length === 0) return false;
      const r = await write(conn, `DELETE FROM items WHERE id IN (${sqlList(ids)})`, tally);
      check(r.affectedRows === ids.length, `a delete of ${ids.length} own rows affected ${r.affectedRows}`);
      for (const id of ids) m.items.delete(id);
      return true;
    }
    case 'insertEvents': {
      const count = random.int(1, 3);
      const seqs = Array.from({ length: count }, (_, i) => m.eventHits.length + 1 + i);
      m.eventsSent += count;
      await write(conn, `INSERT INTO events (owner, seq) VALUES ${seqs.map((s) => `(${c}, ${s})`).join(', ')}`, tally);
      for (let i = 0; i < count; i++) m.eventHits.push(0);
      return true;
    }
    case 'touchEvents': {
      // UPDATEs of the keyless table race with its INSERTs, which the server commits without the table's lock.
      const seqs = random.sample(
        m.eventHits.map((_, i) => i + 1),
        random.int(1, 3),
      );
      if (seqs.length === 0) return false;
      const r = await write(conn, `UPDATE events SET hits = hits + 1 WHERE owner = ${c} AND seq IN (${sqlList(seqs)})`, tally);
      check(r.affectedRows === seqs.length, `an update of ${seqs.length} own events matched ${r.affectedRows}`);
      for (const seq of seqs) m.eventHits[seq - 1] = (m.eventHits[seq - 1] ?? 0) + 1;
      return true;
    }
    case 'read': {
      const lower = shared.acknowledged;
      const kind = random.int(0, 4);
      if (kind === 0) {
        const got = await readIdValues(conn, 'items', { where: `owner = ${c}` });
        const diff = diffRows(m.items, got.rows, 5);
        check(diff.length === 0 && got.duplicates.length === 0, `its own items read back wrong: ${[...diff, ...got.duplicates.map((d) => `id ${d} twice`)].join('; ')}`);
      } else if (kind === 1) {
        const n = await scalar(conn, `SELECT n FROM counters WHERE id = ${ownCounter(c)}`);
        check(n === m.ownIncrements, `its own counter read ${n} after ${m.ownIncrements} acknowledged increments`);
      } else if (kind === 2) {
        const n = await scalar(conn, `SELECT n FROM counters WHERE id = ${SHARED_COUNTER}`);
        const upper = shared.sent;
        check(n >= lower && n <= upper, `the shared counter read ${n}, outside [${lower}, ${upper}] (acknowledged before, sent by the end of the read)`);
      } else if (kind === 3) {
        const n = await scalar(conn, `SELECT count(*) FROM events WHERE owner = ${c}`);
        check(n === m.eventHits.length, `its events counted ${n} after ${m.eventHits.length} acknowledged`);
      } else {
        await checkAllEvents(conn, w, check);
      }
      return true;
    }
    default: {
      const never: never = op;
      throw new Error(`unknown op ${String(never)}`);
    }
  }
}

async function verifyFinal(conn: Connection, models: readonly ConnectionModel[], shared: SharedCounter, label: string): Promise<void> {
  const counters = await readIdValues(conn, 'counters', { valueColumn: 'n' });
  const expectedCounters: Rows = new Map([[SHARED_COUNTER, shared.acknowledged], ...models.map((m): [number, number] => [ownCounter(m.index), m.ownIncrements])]);
  expect(counters.duplicates, `${label}: counters ids seen twice`).toEqual([]);
  expect(counters.rows.get(SHARED_COUNTER), `${label}: the shared counter equals the acknowledged increments (a lower value is a lost update)`).toBe(shared.acknowledged);
  expect(diffRows(expectedCounters, counters.rows), `${label}: counters`).toEqual([]);

  const items = await readIdValues(conn, 'items');
  const expectedItems: Rows = new Map(models.flatMap((m) => [...m.items]));
  expect(items.duplicates, `${label}: items ids seen twice`).toEqual([]);
  expect(diffRows(expectedItems, items.rows), `${label}: items`).toEqual([]);
  const owners = await rowsOf(conn, 'SELECT id, owner FROM items');
  const misplaced = owners.filter(([id, owner]) => Math.floor(Number(id) / ID_SPAN) !== Number(owner) + 1);
  expect(misplaced, `${label}: items whose owner column does not match their id range`).toEqual([]);

  const events = await rowsOf(conn, 'SELECT owner, seq, hits FROM events ORDER BY owner, seq');
  const expectedEvents = models.flatMap((m) => m.eventHits.map((hits, i) => [m.index, i + 1, hits]));
  expect(
    events.map((r) => r.map(Number)),
    `${label}: events (owner, seq, hits)`,
  ).toEqual(expectedEvents);
  expect(await scalar(conn, 'SELECT count(*) FROM items'), `${label}: count(*) of items`).toBe(expectedItems.size);
}

async function createSchema(port: number): Promise<void> {
  const { conn } = await connectWorkload(port);
  await conn.query(`CREATE DATABASE ${DB}`);
  await conn.query(`USE ${DB}`);
  await conn.query('CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL)');
  await conn.query('CREATE TABLE items (id INT PRIMARY KEY, owner INT NOT NULL, v INT NOT NULL)');
  await conn.query('CREATE TABLE events (owner INT NOT NULL, seq INT NOT NULL, hits INT NOT NULL DEFAULT 0)');
  const counterRows = [SHARED_COUNTER, ...Array.from({ length: CONNECTIONS }, (_, c) => ownCounter(c))];
  await conn.query(`INSERT INTO counters (id, n) VALUES ${counterRows.map((id) => `(${id}, 0)`).join(', ')}`);
  await closeQuietly(conn);
}

interface Run {
  readonly workload: Workload;
  readonly seconds: number;
}

/** CONNECTIONS connections, spread over `ports` in turn, each running its own stream until `runMs` is up. */
async function runWorkload(ports: readonly number[], runMs: number, seed: number): Promise<Run> {
  const models: ConnectionModel[] = Array.from({ length: CONNECTIONS }, (_, index) => ({
    index,
    items: new Map(),
    ownIncrements: 0,
    eventHits: [],
    eventsSent: 0,
    nextId: (index + 1) * ID_SPAN,
  }));
  const tally: Tally = {
    statements: Object.fromEntries(OPS.map((op) => [op, 0])) as Record<OpKind, number>,
    millis: Object.fromEntries(OPS.map((op) => [op, 0])) as Record<OpKind, number>,
    deadlockRetries: 0,
    unexpected: [],
    violations: [],
  };
  let tag = 0;
  const workload: Workload = { models, shared: { acknowledged: 0, sent: 0, mostInFlight: 0 }, nextTag: () => ++tag, tally };
  const conns = await Promise.all(models.map((m) => connectWorkload(ports[m.index % ports.length] ?? 0, DB)));
  const started = Date.now();
  const deadline = started + runMs;
  try {
    await Promise.all(
      models.map(async (m, i) => {
        const random = seededRandom(seed + i);
        const conn = conns[i]?.conn;
        if (conn === undefined) throw new Error('a connection is missing');
        for (let n = 0; n < MAX_STATEMENTS_PER_CONNECTION && Date.now() < deadline; n++) {
          const op = pickOp(random);
          const sent = Date.now();
          try {
            if (!(await runOne(op, conn, m, random, workload))) continue;
            tally.statements[op]++;
            tally.millis[op] += Date.now() - sent;
          } catch (err) {
            tally.unexpected.push(`connection ${m.index} ${op}: ${describeError(err)}`);
            // A statement whose outcome is unknown makes the model unusable from here on.
            return;
          }
        }
      }),
    );
  } finally {
    await Promise.all(conns.map((c) => closeQuietly(c.conn)));
  }
  return { workload, seconds: (Date.now() - started) / 1000 };
}

function expectCleanRun({ workload }: Run): void {
  expect(workload.tally.unexpected, 'statements that failed (other than retried deadlocks)').toEqual([]);
  expect(workload.tally.violations, 'reads that contradicted acknowledged writes').toEqual([]);
  expect(workload.shared.mostInFlight, 'increments of the shared counter that were in flight at once').toBeGreaterThan(1);
}

function report(label: string, { workload, seconds }: Run): void {
  const { tally, shared } = workload;
  const total = OPS.reduce((sum, op) => sum + tally.statements[op], 0);
  const writes = total - tally.statements.read;
  console.log(
    `[${label}] ${CONNECTIONS} connections for ${seconds.toFixed(1)} s: ${total} statements (${(total / seconds).toFixed(0)}/s), ` +
      `${writes} writes (${(writes / seconds).toFixed(0)}/s), ${tally.statements.read} reads; ` +
      `${shared.acknowledged} shared increments (up to ${shared.mostInFlight} in flight at once); ${tally.deadlockRetries} deadlock retries; ` +
      `count and mean latency per kind: ${OPS.map((op) => `${op}=${tally.statements[op]}/${Math.round(tally.millis[op] / Math.max(1, tally.statements[op]))}ms`).join(' ')}`,
  );
}

async function verifyOn(port: number, run: Run, label: string): Promise<void> {
  const { conn } = await connectWorkload(port, DB);
  try {
    await verifyFinal(conn, run.workload.models, run.workload.shared, label);
  } finally {
    await closeQuietly(conn);
  }
}

describe.each(warehouseKinds('concurrency e2e'))(`${CONNECTIONS} connections on a %s warehouse`, (kind) => {
  let warehouse: Warehouse | undefined;
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.kill();
    await warehouse?.remove();
  });

  it(
    'ends with exactly what the acknowledged statements imply, with no lost update',
    async () => {
      const seed = testSeed(`concurrency ${kind}`);
      warehouse = await createWarehouse(kind);
      server = await warehouse.start();
      await createSchema(server.port);
      const run = await runWorkload([server.port], RUN_MS[kind], seed);
      report(`concurrency ${kind}`, run);
      expectCleanRun(run);
      await verifyOn(server.port, run, 'at the end of the run');

      // What was acknowledged is also what a fresh server reads from the warehouse.
      expect(await server.stop()).toBe(0);
      server = await warehouse.start();
      await verifyOn(server.port, run, 'after a restart');
      expect(await server.stop()).toBe(0);
    },
    120_000,
  );
});

// The local store enforces conditional creates, so several servers may share a local
// warehouse (the S3 test server does not: there the second server is refused the
// writer lease). Writers in different processes are not serialised by a lock: the one
// that loses a race must fail with 1213, never overwrite the other's commit.
describe('two servers sharing a local warehouse', () => {
  let warehouse: Warehouse | undefined;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    warehouse = await createWarehouse('local');
    servers.push(await warehouse.start(), await warehouse.start());
    await createSchema(servers[0]?.port ?? 0);
  });
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await warehouse?.remove();
  });

  it(
    'ends with exactly what the acknowledged statements imply, with no lost update',
    async () => {
      const seed = testSeed('concurrency two servers');
      const ports = servers.map((s) => s.port);
      const run = await runWorkload(ports, RUN_MS.local, seed);
      report('concurrency two local servers', run);
      expectCleanRun(run);
      for (const [i, port] of ports.entries()) await verifyOn(port, run, `on server ${i + 1} at the end of the run`);
    },
    120_000,
  );

  /** Runs one statement on each server at the same moment, retrying 1213; each outcome is the result or the error's code. */
  async function race(sql: (server: number) => string): Promise<(ResultSetHeader | string)[]> {
    const conns = await Promise.all(servers.map((s) => connectWorkload(s.port, DB)));
    try {
      return await Promise.all(
        conns.map((c, server) =>
          retryDeadlock(() => c.conn.query<ResultSetHeader>(sql(server)), { maxAttempts: DEADLOCK_ATTEMPTS }).then(
            ([result]) => result,
            (err: unknown) => describeError(err).split(':')[0] ?? 'error',
          ),
        ),
      );
    } finally {
      await Promise.all(conns.map((c) => closeQuietly(c.conn)));
    }
  }

  async function idsSeenTwice(table: string): Promise<unknown[][]> {
    const { conn } = await connectWorkload(servers[0]?.port ?? 0, DB);
    try {
      return await rowsOf(conn, `SELECT id, count(*) FROM ${table} GROUP BY id HAVING count(*) > 1 ORDER BY id`);
    } finally {
      await closeQuietly(conn);
    }
  }

  it(
    'lets exactly one of two servers insert a given primary key',
    async () => {
      const { conn } = await connectWorkload(servers[0]?.port ?? 0, DB);
      await conn.query('CREATE TABLE uniq (id INT PRIMARY KEY, server INT NOT NULL)');
      await closeQuietly(conn);
      const wrong: string[] = [];
      for (let id = 1; id <= 20; id++) {
        const outcomes = await race((server) => `INSERT INTO uniq (id, server) VALUES (${id}, ${server})`);
        const codes = outcomes.map((o) => (typeof o === 'string' ? o : 'ok')).sort();
        if (codes.join() !== 'ER_DUP_ENTRY 1062,ok') wrong.push(`id ${id}: ${codes.join(', ')}`);
      }
      expect(await idsSeenTwice('uniq'), 'ids present more than once').toEqual([]);
      expect(wrong, 'keys not inserted by exactly one server, the other getting 1062').toEqual([]);
    },
    60_000,
  );

  it(
    'gives AUTO_INCREMENT rows inserted through two servers distinct ids',
    async () => {
      const { conn } = await connectWorkload(servers[0]?.port ?? 0, DB);
      await conn.query('CREATE TABLE auto (id INT AUTO_INCREMENT PRIMARY KEY, server INT NOT NULL)');
      await closeQuietly(conn);
      const insertIds: number[] = [];
      const failures: string[] = [];
      for (let i = 0; i < 20; i++) {
        for (const o of await race((server) => `INSERT INTO auto (server) VALUES (${server})`)) {
          if (typeof o === 'string') failures.push(o);
          else insertIds.push(o.insertId);
        }
      }
      expect(failures, 'inserts that failed').toEqual([]);
      expect(await idsSeenTwice('auto'), 'ids present more than once').toEqual([]);
      expect(new Set(insertIds).size, 'distinct insert ids acknowledged').toBe(insertIds.length);
    },
    60_000,
  );
});
