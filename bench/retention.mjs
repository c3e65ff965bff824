// Retention ([F]): a time-travel read of a state 1,000 commits back next to a read of
// the current state (checkpoints every 20 commits should keep them close), and VACUUM
// TABLE of a table whose files have all expired, on a local and an S3 warehouse. Time
// passes by restarting the server with DUCKSAFE_CLOCK_OFFSET_SECONDS (its test clock).
//
//   BENCH_TT_COMMITS        commits between the past state and the current one (default 1000)
//   BENCH_TT_READS          reads of each kind; each past read is of a different snapshot (default 20)
//   BENCH_VACUUM_FILES      expired files of the local VACUUM (default 10000, a multiple of 100)
//   BENCH_VACUUM_FILES_S3   the same on the S3 warehouse (default 2000; 0 skips it)
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { silentLogger } from '../dist/src/logging/logger.js';
import { openLocalStore } from '../dist/src/storage/local/local-store.js';
import { createS3Bucket, deleteS3Bucket } from '../dist/src/storage/s3/s3-buckets.js';
import { openS3Store } from '../dist/src/storage/s3/s3-store.js';
import { s3Env, s3Server, startServer, stopServer } from './lib.mjs';

function integer(name, fallback, min) {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

const TT_COMMITS = integer('BENCH_TT_COMMITS', 1000, 1);
const TT_READS = integer('BENCH_TT_READS', 20, 1);
const VACUUM_FILES = integer('BENCH_VACUUM_FILES', 10_000, 100);
const VACUUM_FILES_S3 = integer('BENCH_VACUUM_FILES_S3', 2000, 0);
const PARTITIONS = 100;
for (const [name, n] of [
  ['BENCH_VACUUM_FILES', VACUUM_FILES],
  ['BENCH_VACUUM_FILES_S3', VACUUM_FILES_S3],
]) {
  if (n % PARTITIONS !== 0) throw new Error(`${name} must be a multiple of ${PARTITIONS}`);
}
/** Past the default retention of 168 hours. */
const LATER = { DUCKSAFE_CLOCK_OFFSET_SECONDS: String(200 * 3600) };
const QUIET = { DUCKSAFE_VACUUM_INTERVAL_SECONDS: '0' };

export const title = 'Retention: time travel 1,000 commits back, VACUUM of 10,000 expired files';
export const notes = `
- Time travel: one table takes ${TT_COMMITS.toLocaleString('en')}+ one-row autocommit INSERTs (background compaction on,
  as by default, so some commits are merges). "Current" is \`SELECT count(*), sum(v)\` of the
  newest state; "past" is the same with \`AT (SNAPSHOT => n)\` for n = newest - ${TT_COMMITS.toLocaleString('en')}, newest - ${TT_COMMITS + 1}, ...:
  each read is of a different state, so none is answered from the server's small cache of
  past states — each rebuilds its state from the nearest checkpoint (one every 20 commits)
  plus at most 19 log entries, and checks it against the retention period. Medians of
  ${TT_READS} reads each, after one warm-up read of the current state; each past count is
  checked against fuse_snapshot's row_count for that snapshot.
- VACUUM: a table \`PARTITION BY HASH(id) PARTITIONS ${PARTITIONS}\` gets INSERTs of ${PARTITIONS} rows (one per
  partition, so one file per partition per INSERT) until it has the stated number of files
  (compaction off), then TRUNCATE TABLE. The server restarts with its clock 200 hours later
  (default retention 168 hours), so every file has expired. DRY RUN is the planning alone
  (reading the log, one listing of the table's versions); VACUUM plans, records the new
  history horizon in the log, and removes every version of each file (16 at a time). For
  scale, the notes give the rate at which the same store implementation, called directly,
  deletes versions of 320 one-byte objects 16 at a time. The
  S3 server is the project's Ceph RGW test server on loopback unless DUCKSAFE_TEST_S3_ENDPOINT
  names another; S3 uses fewer files because writing them through the server takes long.`;

const connect = (port, database) => mysql.createConnection({ host: '127.0.0.1', port, user: 'root', ...(database === undefined ? {} : { database }), supportBigNumbers: true, bigNumberStrings: true });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const count = (n) => Math.round(n).toLocaleString('en');

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

async function timeTravel(tmp) {
  const warehouse = path.join(tmp, 'tt');
  const server = await startServer(warehouse, path.join(tmp, 'tt-cache'), QUIET);
  const c = await connect(server.port);
  try {
    await c.query('CREATE DATABASE tt');
    await c.query('USE tt');
    await c.query('CREATE TABLE t (id INT, v INT)');
    const loaded = await timed(async () => {
      for (let i = 0; i < TT_COMMITS + TT_READS + 10; i++) await c.query(`INSERT INTO t VALUES (${i}, ${i % 97})`);
    });
    const [history] = await c.query("SELECT snapshot_id, row_count FROM fuse_snapshot('tt', 't')");
    const rowsAt = new Map(history.map((h) => [Number(h.snapshot_id), String(h.row_count)]));
    const newest = Math.max(...rowsAt.keys());
    const read = async (sql) => (await c.query(sql))[0][0];
    await read('SELECT count(*) AS n, sum(v) AS s FROM t');
    const current = [];
    for (let i = 0; i < TT_READS; i++) current.push((await timed(() => read('SELECT count(*) AS n, sum(v) AS s FROM t'))).ms);
    const past = [];
    for (let i = 0; i < TT_READS; i++) {
      const seq = newest - TT_COMMITS - i;
      const r = await timed(() => read(`SELECT count(*) AS n, sum(v) AS s FROM t AT (SNAPSHOT => '${seq}')`));
      const expected = rowsAt.get(seq);
      if (expected !== undefined && String(r.value.n) !== expected) throw new Error(`snapshot ${seq}: ${r.value.n} rows, fuse_snapshot says ${expected}`);
      past.push(r.ms);
    }
    const target = newest - TT_COMMITS;
    const again = [];
    for (let i = 0; i < TT_READS; i++) again.push((await timed(() => read(`SELECT count(*) AS n FROM t AT (SNAPSHOT => '${target}')`))).ms);
    const [[files]] = await c.query(`SELECT (SELECT file_count FROM fuse_snapshot('tt', 't') WHERE snapshot_id = '${newest}') AS now, (SELECT file_count FROM fuse_snapshot('tt', 't') WHERE snapshot_id = '${target}') AS past`);
    const [cur, old] = [median(current), median(past)];
    return [
      [
        `Time travel: read a state ${count(TT_COMMITS)} commits back vs the current state (local)`,
        `${ms(old)} vs ${ms(cur)} (medians of ${TT_READS})`,
        `ratio ${(old / cur).toFixed(2)}`,
        `${count(newest)} commits in the log (loaded in ${ms(loaded.ms)}); the past state has ${files.past} files, the current ${files.now}; the same past state read again (state cached, only the scan): ${ms(median(again))}`,
      ],
    ];
  } finally {
    await c.end();
    await stopServer(server);
  }
}

/** Versions the store alone deletes per second, 16 at a time (as VACUUM removes them), for scale. */
async function storeDeleteRate(store) {
  const n = 320;
  try {
    const written = [];
    let next = 0;
    const parallel = async (fn) => Promise.all(Array.from({ length: 16 }, async () => { while (next < n) await fn(next++); }));
    await parallel(async (i) => written.push(await store.put(`delete-probe/p${i % 16}/f${i}.parquet`, new TextEncoder().encode('x'))));
    next = 0;
    const t = await timed(() => parallel(async (i) => store.deleteVersion(written[i].key, written[i].versionId ?? 'null')));
    return (n * 1000) / t.ms;
  } finally {
    await store.close();
  }
}

async function vacuumTable(where, warehouse, cacheDir, env, files, probe) {
  let server = await startServer(warehouse, cacheDir, { ...env, ...QUIET, DUCKSAFE_COMPACTION_MIN_FILES: '0' });
  let c = await connect(server.port);
  let load;
  try {
    await c.query('CREATE DATABASE vac');
    await c.query('USE vac');
    await c.query(`CREATE TABLE v (id INT, v INT) PARTITION BY HASH(id) PARTITIONS ${PARTITIONS}`);
    load = await timed(async () => {
      for (let k = 0; k < files / PARTITIONS; k++) {
        const values = Array.from({ length: PARTITIONS }, (_, p) => `(${k * PARTITIONS + p}, ${p})`).join(', ');
        await c.query(`INSERT INTO v VALUES ${values}`);
      }
    });
    await c.query('TRUNCATE TABLE v');
  } finally {
    await c.end();
    await stopServer(server);
  }
  server = await startServer(warehouse, cacheDir, { ...env, ...QUIET, ...LATER });
  c = await connect(server.port, 'vac');
  try {
    const plan = await timed(async () => (await c.query('VACUUM TABLE v DRY RUN'))[0]);
    if (plan.value.length !== files || plan.value.some((r) => r.reason !== 'expired')) {
      throw new Error(`DRY RUN listed ${plan.value.length} files, expected ${files} expired ones`);
    }
    const run = await timed(async () => (await c.query('VACUUM TABLE v'))[0][0]);
    if (String(run.value.files_removed) !== String(files)) throw new Error(`VACUUM removed ${run.value.files_removed} files, expected ${files}`);
    const again = (await c.query('VACUUM TABLE v DRY RUN'))[0];
    if (again.length !== 0) throw new Error(`${again.length} files left after VACUUM`);
    const mib = Number(run.value.bytes_removed) / 1024 / 1024;
    const alone = await storeDeleteRate(await probe());
    return [
      `VACUUM TABLE of ${count(files)} expired files, ${where} warehouse`,
      `${ms(run.ms)} (DRY RUN: ${ms(plan.ms)})`,
      `${count((files * 1000) / run.ms)} files/s`,
      `${mib.toFixed(1)} MiB freed, every version removed; the store alone deletes ${count(alone)} versions/s 16 at a time; writing the files took ${ms(load.ms)} (${files / PARTITIONS} INSERTs)`,
    ];
  } finally {
    await c.end();
    await stopServer(server);
  }
}

/** Returns table rows: [benchmark, measured, rate, notes]. */
export async function run() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-bench-retention-'));
  let s3;
  const rows = [];
  try {
    if (VACUUM_FILES_S3 > 0) {
      s3 = await s3Server();
      console.log(`retention: ${s3.describe}`);
    }
    rows.push(...(await timeTravel(tmp)));
    rows.push(await vacuumTable('local', path.join(tmp, 'vac'), path.join(tmp, 'vac-cache'), {}, VACUUM_FILES, () => openLocalStore(path.join(tmp, 'probe'), { logger: silentLogger })));
    if (s3 !== undefined) {
      const bucket = `ducksafe-bench-${randomUUID().slice(0, 13)}`;
      await createS3Bucket(s3.settings, bucket, { versioning: true });
      try {
        const { endpoint, region, accessKeyId, secretAccessKey } = s3.settings;
        const probe = () => openS3Store({ url: `s3://${bucket}/probe`, endpoint, region, credentials: { source: 'static', accessKeyId, secretAccessKey }, logger: silentLogger });
        rows.push(await vacuumTable('S3', `s3://${bucket}/warehouse`, path.join(tmp, 'vac-s3-cache'), s3Env(s3.settings), VACUUM_FILES_S3, probe));
      } finally {
        await deleteS3Bucket(s3.settings, bucket);
      }
    }
  } finally {
    if (s3 !== undefined) await s3.stop();
    await rm(tmp, { recursive: true, force: true });
  }
  return rows;
}
