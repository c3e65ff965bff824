// What an operator relies on: the HTTP admin port (/healthz, /readyz, /metrics
// with values that move as statements run), the slow query log with query ids,
// and a graceful shutdown that lets a running statement finish — or, once the
// grace period is over, stops it with a clean error — and exits 0.
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { removeDir, startServer, tempDir, type ServerProcess } from '../helpers/server-process.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await removeDir(d);
});

async function server(args: string[]): Promise<ServerProcess> {
  const dir = await tempDir('ops');
  dirs.push(dir);
  return startServer({ warehouse: dir, args });
}

function adminPort(s: ServerProcess): number {
  const line = s.logs.find((l) => l.msg === 'admin HTTP port is listening');
  if (line === undefined) throw new Error('the server did not log its admin port');
  return Number(line.port);
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

/** The value of one series in a Prometheus text body (0 when absent). */
function sample(body: string, series: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function connect(port: number) {
  return mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
}

/** Rows for a three-way self join that keeps DuckDB busy for at least `minMs`. */
async function slowJoin(c: mysql.Connection, minMs: number): Promise<{ sql: string; expected: number }> {
  await c.query('CREATE DATABASE IF NOT EXISTS busy');
  await c.query('CREATE TABLE IF NOT EXISTS busy.n (x INT)');
  let rows = 0;
  for (let size = 200; ; size *= 2) {
    const values = Array.from({ length: size - rows }, (_, i) => `(${rows + i})`).join(',');
    await c.query(`INSERT INTO busy.n VALUES ${values}`);
    rows = size;
    const sql = 'SELECT COUNT(*) AS k FROM busy.n a, busy.n b, busy.n c WHERE (a.x * 7 + b.x * 3 + c.x) % 1000 = 17';
    const started = Date.now();
    const [r] = await c.query<RowDataPacket[]>(sql);
    if (Date.now() - started >= minMs || size >= 6400) return { sql, expected: Number(r[0]?.k) };
  }
}

describe('the HTTP admin port', () => {
  it('answers /healthz and /readyz, and /metrics moves as statements run', async () => {
    const s = await server(['--admin-port', '0', '--slow-query-ms', '0']);
    const port = adminPort(s);
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect(await get(port, '/readyz')).toEqual({ status: 200, body: 'ready\n' });
    expect((await get(port, '/nowhere')).status).toBe(404);

    const before = (await get(port, '/metrics')).body;
    expect(before).toContain('# TYPE ducksafe_statements_total counter');
    const c = await connect(s.port);
    await c.query('CREATE DATABASE m');
    await c.query('CREATE TABLE m.t (a INT)');
    await c.query('INSERT INTO m.t VALUES (1), (2), (3)');
    await c.query('SELECT * FROM m.t');
    await c.query('SELECT 1');
    await expect(c.query('SELECT * FROM m.nope')).rejects.toMatchObject({ errno: 1146 });
    const after = (await get(port, '/metrics')).body;
    await c.end();

    expect(sample(after, 'ducksafe_statements_total{kind="select",outcome="ok"}') - sample(before, 'ducksafe_statements_total{kind="select",outcome="ok"}')).toBe(2);
    expect(sample(after, 'ducksafe_statements_total{kind="select",outcome="error"}')).toBe(1);
    expect(sample(after, 'ducksafe_statements_total{kind="insert",outcome="ok"}')).toBe(1);
    expect(sample(after, 'ducksafe_statement_duration_seconds_count{kind="select"}')).toBe(3);
    expect(sample(after, 'ducksafe_storage_written_bytes_total')).toBeGreaterThan(sample(before, 'ducksafe_storage_written_bytes_total'));
    expect(sample(after, 'ducksafe_connections_total')).toBe(1);
    expect(sample(after, 'ducksafe_connections')).toBe(1);

    // --slow-query-ms 0 logs every statement, each with its own query id.
    const slow = s.logs.filter((l) => l.msg === 'slow statement');
    expect(slow.map((l) => l.sql)).toEqual(expect.arrayContaining(['SELECT * FROM m.t', 'SELECT 1']));
    expect(new Set(slow.map((l) => l.queryId)).size).toBe(slow.length);
    const failed = s.logs.find((l) => l.msg === 'statement failed' && l.errno === 1146);
    expect(failed?.queryId).toEqual(slow.find((l) => l.sql === 'SELECT * FROM m.nope')?.queryId);
    expect(await s.stop()).toBe(0);
  });

  it('is off unless asked for', async () => {
    const s = await server([]);
    expect(s.logs.some((l) => l.msg === 'admin HTTP port is listening')).toBe(false);
    expect(await s.stop()).toBe(0);
  });
});

describe('graceful shutdown', () => {
  it('lets a running statement finish, refuses new connections, and exits 0', async () => {
    const s = await server(['--shutdown-grace-seconds', '60']);
    const c = await connect(s.port);
    const { sql, expected } = await slowJoin(c, 800);
    const idle = await connect(s.port);
    const running = c.query<RowDataPacket[]>(sql);
    await new Promise((r) => setTimeout(r, 200));
    const exited = s.stop();
    const [rows] = await running;
    expect(Number(rows[0]?.k)).toBe(expected);
    expect(await exited).toBe(0);
    await expect(connect(s.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(idle.query('SELECT 1')).rejects.toThrow();
    c.destroy();
    idle.destroy();
  });

  it('stops a statement still running when the grace period ends, with error 1053', async () => {
    const s = await server(['--shutdown-grace-seconds', '0']);
    const c = await connect(s.port);
    const { sql } = await slowJoin(c, 800);
    const running = c.query(sql);
    await new Promise((r) => setTimeout(r, 200));
    const exited = s.stop();
    await expect(running).rejects.toMatchObject({ errno: 1053, sqlState: '08S01' });
    expect(await exited).toBe(0);
    c.destroy();
  });
});
