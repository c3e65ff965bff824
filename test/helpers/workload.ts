// What suites that drive the server with streams of statements share: a seeded random
// source (a failing run prints its seed and can be replayed with DUCKSAFE_TEST_SEED),
// telling a lost connection from a statement error, retrying ER_LOCK_DEADLOCK the way
// MySQL clients do, and reading a table into a model-comparable form.
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';

export const ER_LOCK_DEADLOCK = 1213;

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items (fewer when there are fewer), in random order. */
  sample<T>(items: readonly T[], count: number): T[];
}

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    sample<T>(items: readonly T[], count: number): T[] {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy.slice(0, count);
    },
  };
}

/** DUCKSAFE_TEST_SEED when set, else a fresh seed; printed so a failure can be replayed. */
export function testSeed(suite: string): number {
  const given = process.env.DUCKSAFE_TEST_SEED;
  const seed = given !== undefined && given !== '' ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  console.log(`[${suite}] seed ${seed} (replay with DUCKSAFE_TEST_SEED=${seed})`);
  return seed;
}

interface DriverError {
  readonly errno?: number;
  readonly code?: string;
  readonly fatal?: boolean;
  readonly message?: string;
}

function driverError(err: unknown): DriverError {
  return typeof err === 'object' && err !== null ? err : {};
}

/** The server's errno for a statement error; undefined for anything else. */
export function serverErrno(err: unknown): number | undefined {
  const e = driverError(err);
  return e.fatal === true ? undefined : e.errno;
}

/**
 * The connection is gone (the server died, or the socket closed): a statement that
 * fails this way may or may not have been committed.
 */
export function isConnectionLost(err: unknown): boolean {
  return driverError(err).fatal === true;
}

export function describeError(err: unknown): string {
  const e = driverError(err);
  return `${e.code ?? 'error'}${e.errno === undefined ? '' : ` ${e.errno}`}: ${e.message ?? String(err)}`;
}

export interface DeadlockRetry {
  /** Attempts before the 1213 is given up on and thrown. */
  readonly maxAttempts: number;
  /** Called for every 1213 that is retried. */
  readonly onRetry?: () => void;
}

/** Runs `statement`, running it again while it fails with ER_LOCK_DEADLOCK. */
export async function retryDeadlock<T>(statement: () => Promise<T>, options: DeadlockRetry): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (err) {
      if (serverErrno(err) !== ER_LOCK_DEADLOCK || attempt >= options.maxAttempts) throw err;
      options.onRetry?.();
      // A short random pause keeps retrying writers of one table from colliding again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * attempt)));
    }
  }
}

export interface WorkloadConnection {
  readonly conn: Connection;
  /** The error that closed the connection while it had no statement running, if any. */
  readonly idleError: () => unknown;
}

/**
 * A mysql2 connection that survives the server dying while it is idle: without an
 * 'error' listener, mysql2 throws that error out of the event loop.
 */
export async function connectWorkload(port: number, database?: string): Promise<WorkloadConnection> {
  const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', ...(database === undefined ? {} : { database }) });
  let idle: unknown;
  conn.on('error', (err: unknown) => {
    idle = err;
  });
  return { conn, idleError: () => idle };
}

/** Closes a connection whose server may already be gone. */
export async function closeQuietly(conn: Connection): Promise<void> {
  await conn.end().catch(() => conn.destroy());
}

/** Integer id -> integer value, as the suites' models keep a table. */
export type Rows = Map<number, number>;

export interface ReadTable {
  readonly rows: Rows;
  /** Ids that appeared more than once. */
  readonly duplicates: number[];
}

export interface ReadIdValuesOptions {
  readonly idColumn?: string;
  readonly valueColumn?: string;
  /** A WHERE condition, as SQL. */
  readonly where?: string;
}

/** Reads `SELECT <id>, <value> FROM <table>` into a map, noting ids seen twice. */
export async function readIdValues(conn: Connection, table: string, options: ReadIdValuesOptions = {}): Promise<ReadTable> {
  const { idColumn = 'id', valueColumn = 'v', where } = options;
  const sql = `SELECT \`${idColumn}\`, \`${valueColumn}\` FROM ${table}${where === undefined ? '' : ` WHERE ${where}`}`;
  const [result] = await conn.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  const rows: Rows = new Map();
  const duplicates: number[] = [];
  for (const row of result as unknown as [number, number][]) {
    const [id, value] = row;
    if (rows.has(id)) duplicates.push(id);
    rows.set(id, value);
  }
  return { rows, duplicates };
}

/** Up to `limit` differences between two tables' rows, for failure messages. */
export function diffRows(expected: Rows, actual: Rows, limit = 20): string[] {
  const out: string[] = [];
  for (const [id, v] of expected) {
    if (!actual.has(id)) out.push(`id ${id}: missing (expected v=${v})`);
    else if (actual.get(id) !== v) out.push(`id ${id}: v=${String(actual.get(id))}, expected v=${v}`);
  }
  for (const [id, v] of actual) if (!expected.has(id)) out.push(`id ${id}: unexpected row (v=${v})`);
  return out.length > limit ? [...out.slice(0, limit), `... ${out.length - limit} more`] : out;
}
