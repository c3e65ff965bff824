// The table-engine benchmarks ([C]): point lookups by primary key next to MariaDB on the
// same data, UPDATE of 1 % of a large table against a full rewrite, and small autocommit
// INSERTs on a local and an S3 warehouse. The server is the built one (dist/), on a
// temporary local warehouse; MariaDB is Debian's mariadb-server started by
// bench/mariadb.mjs (installed with apt-get when missing). The S3 warehouse is a
// versioned bucket on DUCKSAFE_TEST_S3_ENDPOINT (+ _ACCESS_KEY, _SECRET_KEY) when set,
// otherwise on the project's S3 test server (scripts/s3-test-server.sh) started for the run.
//
//   BENCH_LOOKUP_ROWS       rows of the point-lookup table, loaded into both servers (default 1000000)
//   BENCH_LOOKUP_SECONDS    measured seconds of each lookup run; there are 8 runs: 2 servers x
//                           (prepared, plain) x (1, 16 connections) (default 4)
//   BENCH_UPDATE_ROWS       rows of the UPDATE table (default 10000000)
//   BENCH_UPDATE_FILE_ROWS  rows per INSERT statement while loading it, i.e. per data file (default 1000000)
//   BENCH_SMALL_INSERTS     one-row autocommit INSERTs on the local warehouse (default 300)
//   BENCH_SMALL_INSERTS_S3  the same on the S3 warehouse (default 100; a commit there takes
//                           a few hundred ms on the test server)
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { silentLogger } from '../dist/src/logging/logger.js';
import { openLocalStore } from '../dist/src/storage/local/local-store.js';
import { isStorageError } from '../dist/src/storage/object-store.js';
import { createS3Bucket, deleteS3Bucket } from '../dist/src/storage/s3/s3-buckets.js';
import { openS3Store } from '../dist/src/storage/s3/s3-store.js';
import { startMariaDB } from './mariadb.mjs';
import { count, ms, percentile, perSecond, randomIds, s3Env, s3Server, secs, startServer, stopServer, timed } from './lib.mjs';

const MIB = 1024 * 1024;

function positiveInteger(name, fallback) {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

const LOOKUP_ROWS = positiveInteger('BENCH_LOOKUP_ROWS', 1_000_000);
const LOOKUP_SECONDS = positiveInteger('BENCH_LOOKUP_SECONDS', 4);
const UPDATE_ROWS = positiveInteger('BENCH_UPDATE_ROWS', 10_000_000);
const UPDATE_FILE_ROWS = positiveInteger('BENCH_UPDATE_FILE_ROWS', 1_000_000);
const SMALL_INSERTS = positiveInteger('BENCH_SMALL_INSERTS', 300);
const SMALL_INSERTS_S3 = positiveInteger('BENCH_SMALL_INSERTS_S3', 100);
const STORE_SAMPLES = 20;
// The row generator crosses a 1,000-row table three times.
const MAX_ROWS = 1_000_000_000;
for (const [name, rows] of [
  ['BENCH_LOOKUP_ROWS', LOOKUP_ROWS],
  ['BENCH_UPDATE_ROWS', UPDATE_ROWS],
]) {
  if (rows > MAX_ROWS) throw new Error(`${name} must be at most ${MAX_ROWS}`);
}
// The UPDATEs change 1 % of the rows and the check after them sums id % 1000.
if (UPDATE_ROWS % 1000 !== 0) throw new Error('BENCH_UPDATE_ROWS must be a multiple of 1000');

const LOOKUP_CONNECTIONS = [1, 16];
const WARMUP_MS = 500;
// MariaDB's defaults except a buffer pool large enough to hold the lookup table, so both
// servers answer from memory (ducksafe from its file cache and the OS page cache).
const MARIADB_SETTINGS = ['--innodb-buffer-pool-size=1G'];

export const title = 'Table engine: point lookups vs MariaDB, UPDATE of 1 %, small INSERTs';
export const notes = `
- Data: every table is filled by the same INSERT ... SELECT on both servers (a 1,000-row
  table crossed with itself three times): \`id\` BIGINT PRIMARY KEY from 0, \`grp\` = id %
  1000, \`amount\` DOUBLE, \`label\` = MD5(id) (32 hex characters, so the Parquet files do not
  shrink to nothing). Before the lookups the suite checks that both servers hold the same rows
  (count, sums, min/max) and return identical rows for 200 ids.
- Point lookups: \`SELECT id, grp, amount, label FROM pk WHERE id = ?\` with uniformly random
  ids (the same seeded sequence per connection on both servers), through mysql2: "prepared"
  is \`execute()\` (COM_STMT_PREPARE once per connection, then COM_STMT_EXECUTE), "plain" is
  \`query()\` with the id in the text. Each run has ${WARMUP_MS} ms of warm-up, then ${LOOKUP_SECONDS} s in which every
  connection sends its next query as soon as the previous answer arrives; latency is per
  query as the client sees it, queries/s is all connections together. The load generator,
  ducksafe and MariaDB share the machine's cores, so the 16-connection figures are bound by
  the CPU count as much as by either server. MariaDB runs with its defaults except
  ${MARIADB_SETTINGS.join(' ')} (the table fits in memory on both sides). The ratio is
  ducksafe / MariaDB in queries/s.
- UPDATE: the table is loaded by INSERT ... SELECT statements of ${UPDATE_FILE_ROWS.toLocaleString('en')} rows each
  (BENCH_UPDATE_FILE_ROWS), so it has one data file per statement. "Contiguous" changes one id range (1 % of
  the rows), "scattered" changes \`WHERE id % 100 = 7\`. Bytes written are the sizes of the
  Parquet files that appear in the warehouse directory during the statement (its
  \`.versions\` store excluded). The full rewrite is \`INSERT INTO copy SELECT * FROM table\`
  into a new table with the same definition: what any engine without partial rewrites
  pays to change one row in every file.
- Small INSERTs: one connection, \`execute('INSERT INTO events VALUES (?, ?, ?)')\` in
  autocommit mode, each acknowledged only after its commit is durable in the warehouse.
  "First/last 10 %" show whether the rate changes as the table's file count and commit
  log grow. For scale, the notes give medians of ${STORE_SAMPLES} calls made straight through
  the same store implementation on the same storage: a conditional 1 KiB put
  (\`put(key, body, { ifNoneMatch: true })\`, how a commit creates its log entry) and a read
  of a key that does not exist (what a writer sees when it reads the log's next sequence
  number to learn that nobody has taken it). The S3 server is the project's Ceph RGW test
  server on loopback (memstore OSD) unless DUCKSAFE_TEST_S3_ENDPOINT names another.
`;

// --- helpers -------------------------------------------------------------------------------

const mib = (bytes) => `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 2 : 0)} MiB`;

const connect = (port, database) =>
  mysql.createConnection({ host: '127.0.0.1', port, user: 'root', ...(database === undefined ? {} : { database }), supportBigNumbers: true, bigNumberStrings: true });

// --- data -------------------------------------------------------------------------------------

const K_TABLE = `CREATE TABLE k (n INT NOT NULL)`;
const K_ROWS = `INSERT INTO k VALUES ${Array.from({ length: 1000 }, (_v, i) => `(${i})`).join(', ')}`;
const TABLE_COLUMNS = '(id BIGINT NOT NULL PRIMARY KEY, grp INT NOT NULL, amount DOUBLE NOT NULL, label VARCHAR(40) NOT NULL)';

/** Rows with ids in [from, to): the same statement, and so the same rows, on both servers. */
function fillSql(table, from, to) {
  const lo = Math.floor(from / 1_000_000);
  const hi = Math.ceil(to / 1_000_000);
  return (
    `INSERT INTO ${table} (id, grp, amount, label) SELECT id, id % 1000, (id * 37 % 10007) * 0.25, MD5(id) ` +
    `FROM (SELECT a.n * 1000000 + b.n * 1000 + c.n AS id FROM k a, k b, k c WHERE a.n >= ${lo} AND a.n < ${hi}) s WHERE id >= ${from} AND id < ${to}`
  );
}

const SUMMARY_SQL = 'SELECT COUNT(*) AS n, SUM(id) AS ids, SUM(grp) AS grps, SUM(amount) AS amounts, MIN(label) AS lo, MAX(label) AS hi FROM pk';
const LOOKUP_SQL = 'SELECT id, grp, amount, label FROM pk WHERE id = ?';

async function loadLookupTable(c) {
  await c.query('CREATE DATABASE bench');
  await c.query('USE bench');
  await c.query(K_TABLE);
  await c.query(K_ROWS);
  await c.query(`CREATE TABLE pk ${TABLE_COLUMNS}`);
  return timed(() => c.query(fillSql('pk', 0, LOOKUP_ROWS)));
}

/** Fails unless both servers hold the same rows. */
async function checkSameData(ours, theirs) {
  const [[a]] = await ours.query(SUMMARY_SQL);
  const [[b]] = await theirs.query(SUMMARY_SQL);
  const norm = (r) => JSON.stringify([r.n, r.ids, r.grps, Number(r.amounts), r.lo, r.hi].map(String));
  if (norm(a) !== norm(b)) throw new Error(`the lookup tables differ: ducksafe ${norm(a)}, MariaDB ${norm(b)}`);
  const next = randomIds(99, LOOKUP_ROWS);
  for (let i = 0; i < 200; i++) {
    const id = next();
    const [x] = await ours.execute(LOOKUP_SQL, [id]);
    const [y] = await theirs.execute(LOOKUP_SQL, [id]);
    if (x.length !== 1 || JSON.stringify(x) !== JSON.stringify(y)) throw new Error(`id ${id}: ducksafe ${JSON.stringify(x)}, MariaDB ${JSON.stringify(y)}`);
  }
}

// --- 1. point lookups -------------------------------------------------------------------------

/** One run: `connections` clients sending lookups back to back for LOOKUP_SECONDS. */
async function lookupRun(port, connections, prepared) {
  const clients = await Promise.all(Array.from({ length: connections }, () => connect(port, 'bench')));
  try {
    const one = async (c, id) => {
      const [rows] = prepared ? await c.execute(LOOKUP_SQL, [id]) : await c.query(`SELECT id, grp, amount, label FROM pk WHERE id = ${id}`);
      if (rows.length !== 1 || String(rows[0].id) !== String(id)) throw new Error(`lookup of id ${id} returned ${JSON.stringify(rows)}`);
    };
    const loop = async (c, seed, until, latencies) => {
      const next = randomIds(seed, LOOKUP_ROWS);
      while (performance.now() < until) {
        const t0 = performance.now();
        await one(c, next());
        latencies?.push(performance.now() - t0);
      }
    };
    const warmUntil = performance.now() + WARMUP_MS;
    await Promise.all(clients.map((c, i) => loop(c, 1000 + i, warmUntil)));
    const latencies = clients.map(() => []);
    const started = performance.now();
    const until = started + LOOKUP_SECONDS * 1000;
    await Promise.all(clients.map((c, i) => loop(c, i + 1, until, latencies[i])));
    const elapsed = (performance.now() - started) / 1000;
    const all = latencies.flat().sort((a, b) => a - b);
    return { queries: all.length, qps: all.length / elapsed, p50: percentile(all, 50) / 1000, p99: percentile(all, 99) / 1000 };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

async function pointLookups(ours, mariadb) {
  const rows = [];
  for (const connections of LOOKUP_CONNECTIONS) {
    for (const prepared of [true, false]) {
      const a = await lookupRun(ours.port, connections, prepared);
      const b = await lookupRun(mariadb.port, connections, prepared);
      rows.push([
        `Point lookup by PK, ${connections} connection${connections === 1 ? '' : 's'}, ${prepared ? 'prepared (execute)' : 'plain (query)'}: ducksafe vs MariaDB`,
        `p50 ${ms(a.p50)} / p99 ${ms(a.p99)} vs p50 ${ms(b.p50)} / p99 ${ms(b.p99)}`,
        `${perSecond(a.qps)} vs ${perSecond(b.qps)} queries/s, ratio ${(a.qps / b.qps).toPrecision(2)}`,
        `${count(LOOKUP_ROWS)} rows; ${count(a.queries)} vs ${count(b.queries)} queries in ${LOOKUP_SECONDS} s`,
      ]);
    }
  }
  return rows;
}

// --- 2. UPDATE of 1 % -------------------------------------------------------------------------

/** Sizes of the Parquet files in a local warehouse, by path, without the version store. */
async function parquetSizes(warehouse) {
  const sizes = new Map();
  for (const entry of await readdir(warehouse, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.parquet')) continue;
    const rel = path.relative(warehouse, entry.parentPath);
    if (rel.split(path.sep).includes('.versions')) continue;
    const file = path.join(entry.parentPath, entry.name);
    sizes.set(file, (await stat(file)).size);
  }
  return sizes;
}

/** Runs a statement and returns its time, OK packet, and the Parquet files it wrote. */
async function measureWrite(c, warehouse, sql) {
  const before = await parquetSizes(warehouse);
  const run = await timed(() => c.query(sql));
  let bytes = 0;
  let files = 0;
  for (const [file, size] of await parquetSizes(warehouse)) {
    if (before.has(file)) continue;
    bytes += size;
    files += 1;
  }
  return { seconds: run.seconds, ok: run.value[0], bytes, files };
}

async function updates(c, warehouse) {
  await c.query(`CREATE TABLE upd ${TABLE_COLUMNS}`);
  let loadSeconds = 0;
  let tableBytes = 0;
  let tableFiles = 0;
  for (let from = 0; from < UPDATE_ROWS; from += UPDATE_FILE_ROWS) {
    const w = await measureWrite(c, warehouse, fillSql('upd', from, Math.min(UPDATE_ROWS, from + UPDATE_FILE_ROWS)));
    loadSeconds += w.seconds;
    tableBytes += w.bytes;
    tableFiles += w.files;
  }
  const onePercent = UPDATE_ROWS / 100;
  // A range in the middle of the table, inside one load statement's ids when it fits.
  const rangeStart = Math.floor(UPDATE_ROWS / 2 / UPDATE_FILE_ROWS) * UPDATE_FILE_ROWS;
  const contiguous = await measureWrite(c, warehouse, `UPDATE upd SET grp = grp + 1, amount = amount + 1 WHERE id >= ${rangeStart} AND id < ${rangeStart + onePercent}`);
  const scattered = await measureWrite(c, warehouse, 'UPDATE upd SET grp = grp + 1, amount = amount + 1 WHERE id % 100 = 7');
  await c.query(`CREATE TABLE upd_copy ${TABLE_COLUMNS}`);
  const rewrite = await measureWrite(c, warehouse, 'INSERT INTO upd_copy SELECT * FROM upd');
  for (const [label, w] of [
    ['contiguous', contiguous],
    ['scattered', scattered],
  ]) {
    if (w.ok.affectedRows !== onePercent) throw new Error(`the ${label} UPDATE changed ${w.ok.affectedRows} rows, expected ${onePercent}`);
  }
  if (rewrite.ok.affectedRows !== UPDATE_ROWS) throw new Error(`the full rewrite inserted ${rewrite.ok.affectedRows} rows, expected ${UPDATE_ROWS}`);
  const [[check]] = await c.query(`SELECT COUNT(*) AS n, SUM(grp) AS g FROM upd`);
  const expectedGrp = BigInt(UPDATE_ROWS / 1000) * 499500n + 2n * BigInt(onePercent);
  if (String(check.n) !== String(UPDATE_ROWS) || String(check.g) !== String(expectedGrp)) {
    throw new Error(`after the UPDATEs: ${JSON.stringify(check)}, expected ${UPDATE_ROWS} rows and SUM(grp) ${expectedGrp}`);
  }

  const vsRewrite = (w) =>
    `${(w.bytes / rewrite.bytes).toFixed(w.bytes < rewrite.bytes / 10 ? 3 : 2)}x the bytes, ${(w.seconds / rewrite.seconds).toFixed(2)}x the time of the full rewrite`;
  const rows = [
    [
      `Load the UPDATE table: ${count(UPDATE_ROWS)} rows`,
      `${secs(loadSeconds)}, ${mib(tableBytes)} in ${tableFiles} files`,
      `${count(UPDATE_ROWS / loadSeconds)} rows/s`,
      `INSERT ... SELECT of ${count(UPDATE_FILE_ROWS)} rows per statement, PRIMARY KEY checked`,
    ],
    [
      `UPDATE 1 % (${count(onePercent)} rows), contiguous id range`,
      `${secs(contiguous.seconds)}, ${mib(contiguous.bytes)} written in ${contiguous.files} file${contiguous.files === 1 ? '' : 's'}`,
      vsRewrite(contiguous),
      `${count(UPDATE_FILE_ROWS)}-row files: only the files holding the range are rewritten`,
    ],
    [
      `UPDATE 1 % (${count(onePercent)} rows), scattered: WHERE id % 100 = 7`,
      `${secs(scattered.seconds)}, ${mib(scattered.bytes)} written in ${scattered.files} file${scattered.files === 1 ? '' : 's'}`,
      vsRewrite(scattered),
      'every file holds matching rows, so every file is rewritten',
    ],
    [
      `Full rewrite: INSERT INTO copy SELECT * of ${count(UPDATE_ROWS)} rows`,
      `${secs(rewrite.seconds)}, ${mib(rewrite.bytes)} written in ${rewrite.files} file${rewrite.files === 1 ? '' : 's'}`,
      `${count(UPDATE_ROWS / rewrite.seconds)} rows/s`,
      `the table is ${mib(tableBytes)} of Parquet before the UPDATEs`,
    ],
  ];
  await c.query('DROP TABLE upd_copy');
  await c.query('DROP TABLE upd');
  return rows;
}

// --- 3. small autocommit INSERTs --------------------------------------------------------------

/**
 * Median latencies (s) of two calls every commit makes, straight to a store (closed
 * afterwards): a conditional 1 KiB put, and a read of a key that does not exist (how a
 * writer learns that the next log sequence number is free). They put the commit rate in
 * proportion: how many store round trips one commit costs.
 */
async function storeLatency(store) {
  const body = new Uint8Array(1024).fill(42);
  const put = [];
  const missing = [];
  try {
    for (let i = 0; i < STORE_SAMPLES; i++) {
      let t0 = performance.now();
      await store.put(`store-probe/${i}.json`, body, { ifNoneMatch: true });
      put.push(performance.now() - t0);
      t0 = performance.now();
      const found = await store.get(`store-probe/missing-${i}.json`).then(
        () => true,
        (err) => {
          if (!isStorageError(err, 'NotFound')) throw err;
          return false;
        },
      );
      missing.push(performance.now() - t0);
      if (found) throw new Error('the store returned an object that was never written');
    }
  } finally {
    await store.close();
  }
  const median = (values) => percentile(values.sort((a, b) => a - b), 50) / 1000;
  return { put: median(put), missing: median(missing) };
}

async function smallInserts(port, where, inserts, storeSeconds) {
  const c = await connect(port);
  try {
    await c.query('CREATE DATABASE small');
    await c.query('USE small');
    await c.query('CREATE TABLE events (id BIGINT NOT NULL PRIMARY KEY, kind INT NOT NULL, note VARCHAR(40))');
    const latencies = [];
    const started = performance.now();
    for (let i = 0; i < inserts; i++) {
      const t0 = performance.now();
      const [ok] = await c.execute('INSERT INTO events VALUES (?, ?, ?)', [i, i % 7, `event ${i}`]);
      latencies.push(performance.now() - t0);
      if (ok.affectedRows !== 1) throw new Error(`INSERT ${i} affected ${ok.affectedRows} rows`);
    }
    const seconds = (performance.now() - started) / 1000;
    const [[check]] = await c.query('SELECT COUNT(*) AS n FROM events');
    if (String(check.n) !== String(inserts)) throw new Error(`events holds ${check.n} rows after ${inserts} INSERTs`);
    const tenth = Math.max(1, Math.floor(inserts / 10));
    const rateOf = (part) => (part.length * 1000) / part.reduce((a, b) => a + b, 0);
    const sorted = [...latencies].sort((a, b) => a - b);
    return [
      `Small autocommit INSERTs (1 row each), ${where} warehouse`,
      `${count(inserts)} commits in ${secs(seconds)}; p50 ${ms(percentile(sorted, 50) / 1000)} / p99 ${ms(percentile(sorted, 99) / 1000)}`,
      `${perSecond(inserts / seconds)} commits/s`,
      `first 10 %: ${perSecond(rateOf(latencies.slice(0, tenth)))}/s, last 10 %: ${perSecond(rateOf(latencies.slice(-tenth)))}/s; the store alone: conditional 1 KiB put ${ms(storeSeconds.put)}, read of a missing key ${ms(storeSeconds.missing)}`,
    ];
  } finally {
    await c.end();
  }
}

async function smallInsertsOnS3(settings, tmp) {
  const bucket = `ducksafe-bench-${randomUUID().slice(0, 13)}`;
  await createS3Bucket(settings, bucket, { versioning: true });
  let server;
  try {
    const probe = await openS3Store({
      url: `s3://${bucket}/probe`,
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: { source: 'static', accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      logger: silentLogger,
    });
    const storeSeconds = await storeLatency(probe);
    server = await startServer(`s3://${bucket}/warehouse`, await mkdtemp(path.join(tmp, 'cache-s3-')), s3Env(settings));
    return await smallInserts(server.port, 'S3', SMALL_INSERTS_S3, storeSeconds);
  } finally {
    if (server !== undefined) await stopServer(server);
    await deleteS3Bucket(settings, bucket);
  }
}

// --- the suite --------------------------------------------------------------------------------

/** Returns table rows: [benchmark, measured, rate, notes]. */
export async function run() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-bench-engine-'));
  const warehouse = path.join(tmp, 'warehouse');
  await mkdir(warehouse);
  let s3;
  let mariadb;
  let server;
  const rows = [];
  try {
    // S3 first: a missing S3 server fails the suite before the long runs, not after.
    s3 = await s3Server();
    console.log(`engine: ${s3.describe}`);
    mariadb = await startMariaDB({ settings: MARIADB_SETTINGS, say: (line) => console.log(`engine: ${line}`) });
    server = await startServer(warehouse, path.join(tmp, 'cache'));

    const ours = await connect(server.port);
    const theirs = await connect(mariadb.port);
    try {
      const loadOurs = await loadLookupTable(ours);
      const loadTheirs = await loadLookupTable(theirs);
      rows.push([
        `Load the lookup table: ${count(LOOKUP_ROWS)} rows, ducksafe vs MariaDB`,
        `${secs(loadOurs.seconds)} vs ${secs(loadTheirs.seconds)}`,
        `${count(LOOKUP_ROWS / loadOurs.seconds)} vs ${count(LOOKUP_ROWS / loadTheirs.seconds)} rows/s`,
        `one INSERT ... SELECT on each; MariaDB ${mariadb.version}${mariadb.installed ? ' (mariadb-server installed by this run)' : ''}`,
      ]);
      await checkSameData(ours, theirs);
    } finally {
      await ours.end();
      await theirs.end();
    }
    rows.push(...(await pointLookups(server, mariadb)));
    await mariadb.stop();
    mariadb = undefined;

    const c = await connect(server.port, 'bench');
    try {
      rows.push(...(await updates(c, warehouse)));
    } finally {
      await c.end();
    }
    const storeSeconds = await storeLatency(await openLocalStore(path.join(tmp, 'store-probe'), { logger: silentLogger }));
    rows.push(await smallInserts(server.port, 'local', SMALL_INSERTS, storeSeconds));
    await stopServer(server);
    server = undefined;

    rows.push(await smallInsertsOnS3(s3.settings, tmp));
  } finally {
    if (server !== undefined) await stopServer(server);
    if (mariadb !== undefined) await mariadb.stop();
    if (s3 !== undefined) await s3.stop();
    await rm(tmp, { recursive: true, force: true });
  }
  return rows;
}
