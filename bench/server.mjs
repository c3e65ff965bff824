// The server benchmarks ([A]): the real server on a temporary local warehouse,
// measured through mysql2.
//
//   BENCH_STREAM_ROWS   rows for the streaming runs (default "1000000,5000000")
//   BENCH_AGG_ROWS      rows of the aggregate table (default 10000000)
//   BENCH_INSERTS       1,000-row INSERT statements (default 200)
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DuckDBInstance } from '@duckdb/node-api';
import { startServer, stopServer } from './lib.mjs';

const STREAM_ROWS = (process.env.BENCH_STREAM_ROWS ?? '1000000,5000000').split(',').map(Number);
const AGG_ROWS = Number(process.env.BENCH_AGG_ROWS ?? 10_000_000);
const INSERTS = Number(process.env.BENCH_INSERTS ?? 200);

async function peakRssMiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const connect = (port, database) =>
  mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });

async function timed(fn) {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function parquetFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.parquet') && !entry.parentPath.includes('.versions') && !entry.parentPath.includes('.cache')) {
      out.push(path.join(entry.parentPath, entry.name));
    }
  }
  return out;
}

export const title = 'Server: streaming, bulk insert, aggregate';
export const notes = `
- Streaming: the server's peak RSS must stay flat as the row count grows (rows are
  pulled from DuckDB one chunk at a time and written with socket backpressure).
- The aggregate ratio compares the whole path (parse, translate, scan the table's
  Parquet files, send the result) with DuckDB alone on the same files.
`;

/** Returns table rows: [benchmark, measured, rate, notes]. */
export async function run() {
  const warehouse = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-bench-'));
  const results = [];
  try {
    let server = await startServer(warehouse);
    let c = await connect(server.port);
    await c.query('CREATE DATABASE bench');
    await c.query('USE bench');
    await c.query('CREATE TABLE k (n INT)');
    await c.query('INSERT INTO k WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < 999) SELECT n FROM s');

    // 1. Bulk insert with 1,000-row INSERT statements.
    await c.query('CREATE TABLE ins (id BIGINT, a INT, b DOUBLE, c VARCHAR(32), d DATETIME)');
    const values = Array.from({ length: 1000 }, (_v, i) => `(${i}, ${i % 97}, ${i / 7}, 'name-${i}', '2024-01-01 00:00:00')`).join(', ');
    const ins = await timed(async () => {
      for (let i = 0; i < INSERTS; i++) await c.query(`INSERT INTO ins VALUES ${values}`);
    });
    results.push(['Bulk insert, 1,000-row INSERT statements', `${INSERTS} statements`, `${Math.round((INSERTS * 1000) / ins.seconds).toLocaleString('en')} rows/s`, `${(INSERTS / ins.seconds).toFixed(1)} statements/s`]);

    // 2. Streaming a 5-column result to a mysql2 client, fresh server per size.
    const maxRows = Math.max(...STREAM_ROWS);
    await c.query('CREATE TABLE wide (id BIGINT, qty INT, price DOUBLE, label VARCHAR(32), at DATETIME)');
    await c.query(
      `INSERT INTO wide SELECT a.n * 1000000 + b.n * 1000 + c.n, b.n, a.n / 3, CONCAT('label-', c.n), '2024-05-06 07:08:09' FROM k a, k b, k c LIMIT ${maxRows}`,
    );
    await c.end();
    for (const rows of STREAM_ROWS) {
      await stopServer(server);
      server = await startServer(warehouse);
      const base = await peakRssMiB(server.child.pid);
      const sc = await connect(server.port, 'bench');
      const run = await timed(
        () =>
          new Promise((resolve, reject) => {
            let n = 0;
            sc.connection
              .query(`SELECT id, qty, price, label, at FROM wide LIMIT ${rows}`)
              .stream()
              .on('data', () => n++)
              .on('end', () => resolve(n))
              .on('error', reject);
          }),
      );
      await sc.end();
      const peak = await peakRssMiB(server.child.pid);
      results.push([
        `Stream ${rows.toLocaleString('en')} rows x 5 columns to mysql2`,
        `${run.value.toLocaleString('en')} rows in ${run.seconds.toFixed(2)} s`,
        `${Math.round(run.value / run.seconds).toLocaleString('en')} rows/s`,
        `server peak RSS ${peak.toFixed(0)} MiB (${base.toFixed(0)} MiB after start)`,
      ]);
    }

    // 3. The same aggregate through ducksafe and through DuckDB on the same Parquet files.
    c = await connect(server.port, 'bench');
    await c.query('CREATE TABLE facts (id BIGINT, grp INT, amount DOUBLE)');
    await c.query(`INSERT INTO facts SELECT a.n * 1000000 + b.n * 1000 + c.n, (a.n * 7 + c.n) % 100, b.n * 1.5 FROM k a, k b, k c LIMIT ${AGG_ROWS}`);
    const aggSql = 'SELECT grp, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean FROM facts GROUP BY grp ORDER BY grp';
    await c.query(aggSql); // warm: file cache and OS page cache
    const viaServer = await timed(() => c.query(aggSql));
    await c.end();
    const files = await parquetFiles(warehouse);
    const duck = await DuckDBInstance.create(':memory:');
    const dc = await duck.connect();
    // Only the facts files: the table with 3 columns and AGG_ROWS rows.
    const factFiles = [];
    for (const f of files) {
      const r = await dc.runAndReadAll(`SELECT count(*) AS n FROM parquet_schema('${f}') WHERE name = 'grp'`);
      if (Number(r.getRowObjectsJS()[0].n) > 0) factFiles.push(f);
    }
    const list = factFiles.map((f) => `'${f}'`).join(', ');
    const directSql = `SELECT grp, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean FROM read_parquet([${list}]) GROUP BY grp ORDER BY grp`;
    await dc.runAndReadAll(directSql);
    const direct = await timed(() => dc.runAndReadAll(directSql));
    dc.closeSync();
    duck.closeSync();
    results.push([
      `GROUP BY over ${AGG_ROWS.toLocaleString('en')} rows: ducksafe vs DuckDB on the same files`,
      `${(viaServer.seconds * 1000).toFixed(0)} ms vs ${(direct.seconds * 1000).toFixed(0)} ms`,
      `ratio ${(viaServer.seconds / direct.seconds).toFixed(2)}`,
      'warm cache, 100 groups, result over mysql2',
    ]);
    await stopServer(server);
  } finally {
    await rm(warehouse, { recursive: true, force: true });
  }

  return results;
}
