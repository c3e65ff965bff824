// The client benchmarks ([G]): ducksafe and MariaDB side by side in one run, same machine,
// same data. Connect-and-first-query latency of the `mariadb` CLI (a process per
// connection, as a shell script uses it), of MariaDB Connector/J (one JVM, many
// DriverManager.getConnection) and of mysql2; then a BI dashboard's query mix sent by 16
// mysql2 connections at once over an orders fact table with customer and product
// dimensions. The server is the built one (dist/) on a temporary local warehouse; MariaDB
// is Debian's mariadb-server started by bench/mariadb.mjs.
//
//   BENCH_CONNECTS        connects per client and server for the latency runs (default 50;
//                         mysql2 makes 4x as many)
//   BENCH_ORDERS          rows of the orders fact table (default 1500000)
//   BENCH_MIX_SECONDS     measured seconds of the 16-connection mix on each server (default 30)
//   BENCH_MIX_CONNECTIONS connections running the mix (default 16)
import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { startMariaDB } from './mariadb.mjs';
import { count, ms, percentile, perSecond, randomIds, secs, startServer, stopServer, timed } from './lib.mjs';

function positiveInteger(name, fallback) {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

const CONNECTS = positiveInteger('BENCH_CONNECTS', 50);
const ORDERS = positiveInteger('BENCH_ORDERS', 1_500_000);
const MIX_SECONDS = positiveInteger('BENCH_MIX_SECONDS', 30);
const MIX_CONNECTIONS = positiveInteger('BENCH_MIX_CONNECTIONS', 16);
const CUSTOMERS = 50_000;
const PRODUCTS = 2_000;
const JAVA_WARMUP = 20;
const MYSQL2_CONNECTS = CONNECTS * 4;
// Rows per LOAD DATA statement: each is one commit, so one data file on ducksafe until OPTIMIZE.
const LOAD_CHUNK_ROWS = 250_000;
const CONNECTOR_J = '/usr/share/java/mariadb-java-client.jar';
const ALONE_RUNS = 3;
const LOOKUP_CHECKS = 20;
// The orders span 30 months; the mix filters on the last quarter, the last 90 days, a year.
const FIRST_DAY = Date.UTC(2024, 0, 1);
const DAYS = 912;
// The fact table (~100 MiB in InnoDB) and its indexes fit in memory on both sides.
const MARIADB_SETTINGS = ['--innodb-buffer-pool-size=1G'];
// As the Dockerfile runs ducksafe; the mix runs once more with Node's default of 4 for comparison.
const THREADPOOL = '64';
const DEFAULT_THREADPOOL = '4';
const DB = 'dash';

export const title = 'Clients: connect latency and a 16-connection dashboard mix vs MariaDB';
export const notes = `
- Both servers run on this machine at once, on loopback, with the client processes; MariaDB
  with its defaults except ${MARIADB_SETTINGS.join(' ')} (buffer pool larger than the data), ducksafe
  on a local warehouse with UV_THREADPOOL_SIZE=${THREADPOOL}, as the Dockerfile runs it; the mix runs once
  more on a ducksafe process with Node's default of ${DEFAULT_THREADPOOL} (same warehouse and cache, one warm-up
  round first): every running DuckDB query holds a libuv thread, and file accesses wait for one too. The ratio is always ducksafe / MariaDB in rate (queries or connects per
  second): below 1, ducksafe is slower.
- \`mariadb\` CLI: \`mariadb -h127.0.0.1 -P<port> -uroot -e 'select 1'\` spawned ${CONNECTS} times per server,
  the two servers alternating; wall time from spawn to exit, so process start, the handshake,
  the CLI's own \`select @@version_comment limit 1\`, the query and the exit are all in it.
- Connector/J (${path.basename(CONNECTOR_J)}, Debian's libmariadb-java, JDK 17): one JVM per server does
  ${JAVA_WARMUP} unmeasured then ${CONNECTS} measured \`DriverManager.getConnection\` + \`SELECT 1\` + \`close()\`;
  the JVM's start is not counted. The driver sends its own session setup queries at connect.
- mysql2: \`createConnection\` + \`query('SELECT 1')\` + \`end()\`, ${MYSQL2_CONNECTS} times per server after 10 unmeasured.
- Dashboard fixture, generated deterministically in a few seconds and loaded into both servers
  with LOAD DATA LOCAL INFILE (${count(LOAD_CHUNK_ROWS)}-row files; ducksafe then runs OPTIMIZE TABLE so the
  fact table is one file; MariaDB tables are InnoDB): \`orders\` (${count(ORDERS)} rows over 30 months:
  id PK, customer_id, product_id, ordered_at DATETIME, quantity, amount DECIMAL(12,2), status,
  channel; secondary keys on ordered_at, customer_id and product_id, which MariaDB uses and
  ducksafe records), \`customers\` (${count(CUSTOMERS)}: region, segment, signup date) and \`products\`
  (${count(PRODUCTS)}: name, category, price).
- The mix: the queries of one dashboard refresh (table below, one line per kind). Before timing,
  each kind is run on both servers and the rows compared value by value (as text); the suite
  fails on any difference. That check runs each kind ${ALONE_RUNS} times (the point lookup ${LOOKUP_CHECKS} times) on one
  connection per server (which also warms the caches): "alone" is the median of those, the query's own cost. Then
  ${MIX_CONNECTIONS} mysql2 connections per server (\`query()\`, text protocol) each loop over the mix from a
  different starting kind, one query at a time, for ${MIX_SECONDS} s (queries running at the deadline
  finish and count; the rate divides by the time until the last one ends). The point lookup
  takes a new id each time (the same seeded sequences on both servers). Latency is per query
  as the client sees it; queries/s counts all connections. The load generator and both
  servers share the machine's cores, so the 16-connection latencies are mostly queueing for CPU.
- Fixed after the first runs of this suite (2026-11-21, same machine, load average 8-11 from
  other work throughout, so compare within a run): LOAD DATA staged the file as a VALUES list
  of literals, which DuckDB binds cell by cell (100,000 orders with the dimensions took 32.8 s,
  about 4,600 rows/s, so this fixture would have taken minutes); it now appends the fields to a
  text table (the 1.5 million orders above). information_schema relations were VALUES lists too:
  a COLUMNS query took about 200 ms alone and 3.5 s (p50) in the mix; they are now one JSON text
  that DuckDB parses. YEARWEEK(d, 3) (and the other ISO week modes) printed MySQL's general
  calc_week expression: 784 ms alone, now DuckDB's week()/isoyear(). The mix's rows "with 4 libuv
  threads" show what the thread pool size changes.
- Not fixed (see the lines above): a point lookup is one DuckDB scan of the 122,880-row Parquet
  row group holding the id (DuckDB alone on such a file: 15 ms; 5.6 ms with 16,384-row groups,
  a storage layout choice with costs on S3), where InnoDB walks a B-tree. Connecting costs a
  DuckDB connection per session and a DuckDB round trip per statement, also for constants:
  Connector/J sends \`SET autocommit=1, sql_mode=concat(...)\` (two DuckDB evaluations) and
  \`SELECT @@max_allowed_packet, ...\` before the test's \`SELECT 1\`.
`;

// --- the fixture ----------------------------------------------------------------------------

const REGIONS = ['North', 'South', 'East', 'West', 'Central', 'Coast', 'Mountain', 'Islands'];
const SEGMENTS = ['consumer', 'small business', 'enterprise'];
const CATEGORIES = ['Kitchen', 'Garden', 'Office', 'Toys', 'Sports', 'Tools', 'Audio', 'Books', 'Bath', 'Lighting'];
const ADJECTIVES = ['Small', 'Large', 'Classic', 'Smart', 'Rustic', 'Compact', 'Deluxe', 'Eco', 'Heavy', 'Light'];
const MATERIALS = ['Steel', 'Wooden', 'Plastic', 'Cotton', 'Glass', 'Granite', 'Rubber', 'Copper', 'Bamboo', 'Leather'];
const NOUNS = ['Chair', 'Lamp', 'Bottle', 'Table', 'Knife', 'Bag', 'Clock', 'Shelf', 'Speaker', 'Mat', 'Pan', 'Ball', 'Pen', 'Box', 'Brush', 'Hat', 'Cup', 'Fan', 'Rack', 'Kit'];
const STATUSES = ['paid', 'paid', 'paid', 'shipped', 'shipped', 'shipped', 'shipped', 'refunded', 'cancelled'];
const CHANNELS = ['web', 'web', 'app', 'app', 'store', 'phone'];

const pad = (n, width = 2) => String(n).padStart(width, '0');
const day = (d) => {
  const t = new Date(FIRST_DAY + d * 86_400_000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
};
const money = (cents) => `${Math.floor(cents / 100)}.${pad(cents % 100)}`;

const SCHEMA = [
  `CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL, region VARCHAR(20) NOT NULL, segment VARCHAR(20) NOT NULL, signup_date DATE NOT NULL)`,
  `CREATE TABLE products (id INT NOT NULL PRIMARY KEY, name VARCHAR(60) NOT NULL, category VARCHAR(30) NOT NULL, price DECIMAL(10,2) NOT NULL)`,
  `CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, customer_id INT NOT NULL, product_id INT NOT NULL, ordered_at DATETIME NOT NULL, quantity INT NOT NULL, amount DECIMAL(12,2) NOT NULL, status VARCHAR(12) NOT NULL, channel VARCHAR(10) NOT NULL, KEY idx_ordered_at (ordered_at), KEY idx_customer (customer_id), KEY idx_product (product_id))`,
];

/** Writes the fixture as TSV files; returns [table, file] pairs in load order. */
async function writeFixture(dir) {
  const rnd = randomIds(20261121, 2 ** 31);
  const pick = (list) => list[rnd() % list.length];
  const files = [];
  const write = async (table, part, lines) => {
    const file = path.join(dir, `${table}-${part}.tsv`);
    await writeFile(file, lines.join('\n') + '\n');
    files.push([table, file]);
  };
  const customers = [];
  for (let id = 1; id <= CUSTOMERS; id++) {
    customers.push(`${id}\tCustomer ${pad(id, 5)}\t${pick(REGIONS)}\t${pick(SEGMENTS)}\t${day(rnd() % DAYS)}`);
  }
  await write('customers', 0, customers);
  const prices = [0];
  const products = [];
  for (let id = 1; id <= PRODUCTS; id++) {
    const price = 199 + (rnd() % 40_000);
    prices.push(price);
    products.push(`${id}\t${pick(ADJECTIVES)} ${pick(MATERIALS)} ${pick(NOUNS)} ${pad(id, 4)}\t${pick(CATEGORIES)}\t${money(price)}`);
  }
  await write('products', 0, products);
  let lines = [];
  for (let id = 1; id <= ORDERS; id++) {
    // Orders grow over time: later days get more of them.
    const d = Math.floor(DAYS * Math.sqrt((rnd() % 1_000_000) / 1_000_000));
    const seconds = rnd() % 86_400;
    const at = `${day(d)} ${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
    // A few customers and products sell far more than the rest, as in real shops.
    const customer = 1 + (rnd() % 4 === 0 ? rnd() % 500 : rnd() % CUSTOMERS);
    const product = 1 + (rnd() % 3 === 0 ? rnd() % 100 : rnd() % PRODUCTS);
    const quantity = 1 + (rnd() % 5 === 0 ? rnd() % 10 : 0);
    lines.push(`${id}\t${customer}\t${product}\t${at}\t${quantity}\t${money(quantity * prices[product])}\t${pick(STATUSES)}\t${pick(CHANNELS)}`);
    if (lines.length === LOAD_CHUNK_ROWS || id === ORDERS) {
      await write('orders', files.length, lines);
      lines = [];
    }
  }
  return files;
}

const sorted = (values) => [...values].sort((a, b) => a - b);

function connect(port, database, extra = {}) {
  return mysql.createConnection({
    host: '127.0.0.1',
    port,
    user: 'root',
    database,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    ...extra,
  });
}

async function loadFixture(port, files, optimize) {
  const c = await connect(port, undefined, { infileStreamFactory: (file) => createReadStream(file) });
  try {
    await c.query(`CREATE DATABASE ${DB}`);
    await c.query(`USE ${DB}`);
    for (const sql of SCHEMA) await c.query(sql);
    const load = await timed(async () => {
      for (const [table, file] of files) await c.query(`LOAD DATA LOCAL INFILE '${file}' INTO TABLE ${table}`);
    });
    const optimized = optimize ? await timed(() => c.query('OPTIMIZE TABLE orders')) : undefined;
    const [[check]] = await c.query('SELECT COUNT(*) AS n, SUM(amount) AS total FROM orders');
    if (String(check.n) !== String(ORDERS)) throw new Error(`orders holds ${check.n} rows after the load, expected ${ORDERS}`);
    return { seconds: load.seconds, optimizeSeconds: optimized?.seconds, total: String(check.total) };
  } finally {
    await c.end();
  }
}

// --- the dashboard mix ----------------------------------------------------------------------

const LAST_DAY = day(DAYS);
const QUARTER_START = day(DAYS - 91);
const NINETY_DAYS = day(DAYS - 90);
const YEAR_START = day(DAYS - 365);

/** The query kinds of one dashboard refresh; `sql(i)` is the i-th query of that kind. */
const MIX = [
  {
    kind: 'revenue by day, last quarter (DATE_FORMAT)',
    sql: () =>
      `SELECT DATE_FORMAT(ordered_at, '%Y-%m-%d') AS day, COUNT(*) AS orders, SUM(amount) AS revenue FROM orders WHERE ordered_at >= '${QUARTER_START}' AND ordered_at < '${LAST_DAY}' GROUP BY DATE_FORMAT(ordered_at, '%Y-%m-%d') ORDER BY day`,
  },
  {
    kind: 'revenue by week, last year (YEARWEEK)',
    sql: () =>
      `SELECT YEARWEEK(ordered_at, 3) AS week, COUNT(*) AS orders, SUM(amount) AS revenue FROM orders WHERE ordered_at >= '${YEAR_START}' GROUP BY YEARWEEK(ordered_at, 3) ORDER BY week`,
  },
  {
    kind: 'revenue by month, all time',
    sql: () => `SELECT DATE_FORMAT(ordered_at, '%Y-%m') AS month, COUNT(*) AS orders, SUM(amount) AS revenue FROM orders GROUP BY DATE_FORMAT(ordered_at, '%Y-%m') ORDER BY month`,
  },
  {
    kind: 'top 10 products, last 90 days (join)',
    sql: () =>
      `SELECT p.id, p.name, p.category, SUM(o.quantity) AS units, SUM(o.amount) AS revenue FROM orders o JOIN products p ON p.id = o.product_id WHERE o.ordered_at >= '${NINETY_DAYS}' AND o.status <> 'cancelled' GROUP BY p.id, p.name, p.category ORDER BY revenue DESC, p.id LIMIT 10`,
  },
  {
    kind: 'COUNT(DISTINCT customer) by region (join)',
    sql: () =>
      `SELECT c.region, COUNT(DISTINCT o.customer_id) AS customers, COUNT(*) AS orders, SUM(o.amount) AS revenue FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.ordered_at >= '${YEAR_START}' GROUP BY c.region ORDER BY c.region`,
  },
  {
    kind: 'status by channel, filtered date range',
    sql: () =>
      `SELECT channel, status, COUNT(*) AS orders, SUM(amount) AS revenue FROM orders WHERE ordered_at BETWEEN '2025-06-01 00:00:00' AND '2025-06-30 23:59:59' AND channel IN ('web', 'app') GROUP BY channel, status ORDER BY channel, status`,
  },
  {
    kind: 'monthly revenue with running total and LAG (window)',
    sql: () =>
      `SELECT month, revenue, SUM(revenue) OVER (ORDER BY month) AS running, revenue - LAG(revenue) OVER (ORDER BY month) AS change_from_previous FROM (SELECT DATE_FORMAT(ordered_at, '%Y-%m') AS month, SUM(amount) AS revenue FROM orders WHERE ordered_at >= '${YEAR_START}' GROUP BY DATE_FORMAT(ordered_at, '%Y-%m')) m ORDER BY month`,
  },
  {
    kind: 'order by primary key (point lookup)',
    sql: (i) => `SELECT id, customer_id, product_id, ordered_at, quantity, amount, status, channel FROM orders WHERE id = ${1 + i}`,
    ids: true,
  },
  {
    kind: "product name LIKE '%Steel%' (join)",
    sql: () =>
      `SELECT p.category, COUNT(*) AS orders, SUM(o.amount) AS revenue FROM orders o JOIN products p ON p.id = o.product_id WHERE p.name LIKE '%Steel%' AND o.ordered_at >= '${YEAR_START}' GROUP BY p.category ORDER BY p.category`,
  },
  {
    kind: 'metadata: SHOW FULL TABLES',
    sql: () => `SHOW FULL TABLES FROM ${DB}`,
  },
  {
    kind: 'metadata: information_schema.COLUMNS',
    sql: () =>
      `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, IS_NULLABLE, COLUMN_KEY, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${DB}' ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  },
];

/** Rows as arrays of text (NULL stays null), with the column names first. */
async function resultText(c, sql) {
  const [rows, fields] = await c.query({ sql, rowsAsArray: true });
  return [fields.map((f) => f.name), ...rows.map((r) => r.map((v) => (v === null ? null : String(v))))];
}

/** Runs a query and returns its rows as text and the time it took (ms). */
async function timedResult(c, sql) {
  const t0 = performance.now();
  const rows = await resultText(c, sql);
  return { rows, ms: performance.now() - t0 };
}

/**
 * Fails unless both servers answer every kind of the mix with the same rows. Each kind
 * runs ALONE_RUNS times on one connection (the point lookup LOOKUP_CHECKS times, a new id each time),
 * which also warms both servers' caches; returns the median time of each kind alone (ms).
 */
async function checkSameResults(ours, theirs) {
  const next = randomIds(7, ORDERS);
  const alone = [];
  for (const q of MIX) {
    const times = [[], []];
    for (let n = 0; n < (q.ids ? LOOKUP_CHECKS : ALONE_RUNS); n++) {
      const sql = q.sql(next());
      const a = await timedResult(ours, sql);
      const b = await timedResult(theirs, sql);
      times[0].push(a.ms);
      times[1].push(b.ms);
      if (a.rows.length < 2) throw new Error(`'${q.kind}' returned no rows: ${sql}`);
      if (JSON.stringify(a.rows) !== JSON.stringify(b.rows)) {
        const at = a.rows.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(b.rows[i]));
        const row = at === -1 ? a.rows.length : at;
        throw new Error(
          `'${q.kind}' differs (${a.rows.length - 1} vs ${b.rows.length - 1} rows; first difference at row ${row}: ducksafe ${JSON.stringify(a.rows[row])}, MariaDB ${JSON.stringify(b.rows[row])}): ${sql}`,
        );
      }
    }
    alone.push(times.map((t) => percentile(sorted(t), 50)));
  }
  return alone;
}

/** MIX_CONNECTIONS clients looping over the mix for MIX_SECONDS; latencies (ms) by kind. */
async function mixRun(port) {
  const clients = await Promise.all(Array.from({ length: MIX_CONNECTIONS }, () => connect(port, DB)));
  try {
    const latencies = MIX.map(() => []);
    const loop = async (c, index, until) => {
      const next = randomIds(500 + index, ORDERS);
      for (let i = 0; performance.now() < until; i++) {
        const k = (index + i) % MIX.length;
        const t0 = performance.now();
        await c.query(MIX[k].sql(next()));
        latencies[k].push(performance.now() - t0);
      }
    };
    const started = performance.now();
    await Promise.all(clients.map((c, i) => loop(c, i, started + MIX_SECONDS * 1000)));
    // Queries running at the deadline finish and count: elapsed runs until the last one ends.
    const elapsed = (performance.now() - started) / 1000;
    const queries = latencies.reduce((n, l) => n + l.length, 0);
    for (const l of latencies) l.sort((x, y) => x - y);
    return { queries, qps: queries / elapsed, elapsed, latencies };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** One round of the mix on one connection: a restarted server's DuckDB caches are empty. */
async function warmUp(port) {
  const c = await connect(port, DB);
  try {
    for (const q of MIX) await c.query(q.sql(0));
  } finally {
    await c.end();
  }
}

// --- connect latency ------------------------------------------------------------------------

function execTimed(file, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(file, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      const elapsed = performance.now() - t0;
      if (err !== null) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${String(stderr).trim()}`));
      else resolve({ elapsed, stdout });
    });
  });
}

/** Per-run wall times (ms) of the mariadb CLI, the two servers alternating. */
async function cliConnects(ports) {
  const times = ports.map(() => []);
  for (let i = 0; i < CONNECTS + 2; i++) {
    for (const [s, port] of ports.entries()) {
      const r = await execTimed('mariadb', ['-h127.0.0.1', `-P${port}`, '-uroot', '--skip-ssl', '-N', '-e', 'select 1']);
      if (r.stdout.trim() !== '1') throw new Error(`mariadb -e 'select 1' printed ${JSON.stringify(r.stdout)}`);
      // The first two runs of each warm the page cache for the CLI's binary.
      if (i >= 2) times[s].push(r.elapsed);
    }
  }
  return times;
}

const JAVA_SOURCE = `
import java.sql.*;

public class ConnectLatency {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int warmup = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    for (int i = 0; i < warmup + runs; i++) {
      long t0 = System.nanoTime();
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
        if (!r.next() || r.getInt(1) != 1) throw new IllegalStateException("SELECT 1 did not return 1");
      }
      long t = System.nanoTime() - t0;
      if (i >= warmup) System.out.println(t);
    }
  }
}
`;

async function compileJava(dir) {
  const javaDir = path.join(dir, 'java');
  await mkdir(javaDir, { recursive: true });
  await writeFile(path.join(javaDir, 'ConnectLatency.java'), JAVA_SOURCE);
  await execTimed('javac', ['-d', javaDir, path.join(javaDir, 'ConnectLatency.java')]);
  return javaDir;
}

/** Per-connect times (ms) of Connector/J in one JVM. */
async function javaConnects(javaDir, port) {
  const url = `jdbc:mariadb://127.0.0.1:${port}/?user=root&password=`;
  const r = await execTimed('java', ['-cp', `${javaDir}:${CONNECTOR_J}`, 'ConnectLatency', url, String(JAVA_WARMUP), String(CONNECTS)]);
  const times = r.stdout.trim().split('\n').map((line) => Number(line) / 1e6);
  if (times.length !== CONNECTS || times.some((t) => !Number.isFinite(t))) throw new Error(`ConnectLatency printed ${JSON.stringify(r.stdout.slice(0, 500))}`);
  return times;
}

/** Per-connect times (ms) of mysql2: connect, SELECT 1, end. */
async function mysql2Connects(port) {
  const times = [];
  for (let i = 0; i < MYSQL2_CONNECTS + 10; i++) {
    const t0 = performance.now();
    const c = await connect(port);
    const [[row]] = await c.query('SELECT 1 AS one');
    await c.end();
    if (i >= 10) times.push(performance.now() - t0);
    if (String(row.one) !== '1') throw new Error(`SELECT 1 returned ${JSON.stringify(row)}`);
  }
  return times;
}

const p = (values, q) => percentile(sorted(values), q) / 1000;
const ratio = (ours, theirs) => (ours / theirs).toPrecision(2);

function connectRow(client, ours, theirs) {
  const oursMedian = p(ours, 50);
  const theirsMedian = p(theirs, 50);
  return [
    `Connect + SELECT 1, ${client}: ducksafe vs MariaDB`,
    `p50 ${ms(oursMedian)} / p95 ${ms(p(ours, 95))} vs p50 ${ms(theirsMedian)} / p95 ${ms(p(theirs, 95))}`,
    `${perSecond(1 / oursMedian)} vs ${perSecond(1 / theirsMedian)} connects/s at p50, ratio ${ratio(theirsMedian, oursMedian)}`,
    `${count(ours.length)} connects each`,
  ];
}

// --- the suite --------------------------------------------------------------------------------

async function parquetFileCount(dir) {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.parquet') && !entry.parentPath.split(path.sep).includes('.versions')) n += 1;
  }
  return n;
}

/** Returns table rows: [benchmark, measured, rate, notes]. */
export async function run() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-bench-clients-'));
  let mariadb;
  let server;
  const rows = [];
  try {
    mariadb = await startMariaDB({ settings: MARIADB_SETTINGS, say: (line) => console.log(`clients: ${line}`) });
    const warehouse = path.join(tmp, 'warehouse');
    const cacheDir = path.join(tmp, 'cache');
    server = await startServer(warehouse, cacheDir, { UV_THREADPOOL_SIZE: THREADPOOL });
    const load = (os.loadavg()[0] ?? 0).toFixed(2);
    console.log(`clients: ducksafe on port ${server.port}; load average ${load} before the connect runs`);

    const [cliOurs, cliTheirs] = await cliConnects([server.port, mariadb.port]);
    rows.push(connectRow("`mariadb -e 'select 1'` (process per connect)", cliOurs, cliTheirs));
    const hasJava = existsSync(CONNECTOR_J) && (await execTimed('javac', ['-version']).then(() => true, () => false));
    if (hasJava) {
      const javaDir = await compileJava(tmp);
      rows.push(connectRow('Connector/J getConnection (one JVM)', await javaConnects(javaDir, server.port), await javaConnects(javaDir, mariadb.port)));
    } else {
      rows.push(['Connect + SELECT 1, Connector/J', 'not measured', '', `needs javac and ${CONNECTOR_J} (Debian: default-jdk-headless, libmariadb-java)`]);
    }
    rows.push(connectRow('mysql2 (raw handshake)', await mysql2Connects(server.port), await mysql2Connects(mariadb.port)));

    const fixtureDir = path.join(tmp, 'fixture');
    await mkdir(fixtureDir);
    const generated = await timed(() => writeFixture(fixtureDir));
    const files = generated.value;
    const ours = await loadFixture(server.port, files, true);
    const theirs = await loadFixture(mariadb.port, files, false);
    if (ours.total !== theirs.total) throw new Error(`SUM(amount) of orders: ducksafe ${ours.total}, MariaDB ${theirs.total}`);
    rows.push([
      `Dashboard fixture: ${count(ORDERS)} orders, ${count(CUSTOMERS)} customers, ${count(PRODUCTS)} products; load ducksafe vs MariaDB`,
      `${secs(ours.seconds)} + OPTIMIZE ${secs(ours.optimizeSeconds)} vs ${secs(theirs.seconds)}`,
      `${count(ORDERS / (ours.seconds + ours.optimizeSeconds))} vs ${count(ORDERS / theirs.seconds)} rows/s`,
      `generated in ${secs(generated.seconds)}; ${files.length} LOAD DATA LOCAL INFILE each; ducksafe holds ${await parquetFileCount(warehouse)} current Parquet files; MariaDB ${mariadb.version}`,
    ]);

    const a = await connect(server.port, DB);
    const b = await connect(mariadb.port, DB);
    let alone;
    try {
      alone = await checkSameResults(a, b);
    } finally {
      await a.end();
      await b.end();
    }
    const mixLoad = (os.loadavg()[0] ?? 0).toFixed(2);
    const oursMix = await mixRun(server.port);
    const theirsMix = await mixRun(mariadb.port);
    // The same warehouse and cache, served by a process with libuv's default thread pool.
    await stopServer(server);
    server = await startServer(warehouse, cacheDir, { UV_THREADPOOL_SIZE: DEFAULT_THREADPOOL });
    await warmUp(server.port);
    const defaultMix = await mixRun(server.port);
    rows.push([
      `Dashboard mix, ${MIX_CONNECTIONS} connections, all ${MIX.length} kinds: ducksafe vs MariaDB`,
      `${count(oursMix.queries)} queries in ${secs(oursMix.elapsed)} vs ${count(theirsMix.queries)} in ${secs(theirsMix.elapsed)}`,
      `${perSecond(oursMix.qps)} vs ${perSecond(theirsMix.qps)} queries/s, ratio ${ratio(oursMix.qps, theirsMix.qps)}`,
      `load average ${mixLoad} (1 min) before the runs; ducksafe with UV_THREADPOOL_SIZE=${DEFAULT_THREADPOOL} (Node's default): ${perSecond(defaultMix.qps)} queries/s`,
    ]);
    for (const [k, q] of MIX.entries()) {
      const x = oursMix.latencies[k];
      const y = theirsMix.latencies[k];
      const d = defaultMix.latencies[k];
      const [aloneOurs, aloneTheirs] = alone[k];
      rows.push([
        `- ${q.kind}`,
        `alone ${ms(aloneOurs / 1000)} vs ${ms(aloneTheirs / 1000)}; in the mix p50 ${ms(percentile(x, 50) / 1000)} / p95 ${ms(percentile(x, 95) / 1000)} vs p50 ${ms(percentile(y, 50) / 1000)} / p95 ${ms(percentile(y, 95) / 1000)}`,
        `ratio ${ratio(aloneTheirs, aloneOurs)} alone, ${ratio(percentile(y, 50), percentile(x, 50))} in the mix (p50)`,
        `${count(x.length)} vs ${count(y.length)} queries in the mix; with ${DEFAULT_THREADPOOL} libuv threads: p50 ${ms(percentile(d, 50) / 1000)} / p95 ${ms(percentile(d, 95) / 1000)}`,
      ]);
    }
  } finally {
    if (server !== undefined) await stopServer(server);
    if (mariadb !== undefined) await mariadb.stop();
    await rm(tmp, { recursive: true, force: true });
  }
  return rows;
}
