// The storage benchmarks ([B]): the S3 backend against plain AWS SDK calls on the same
// files, and a table of about 1 GiB read cold and warm through the server's file cache.
// Runs against DUCKSAFE_TEST_S3_ENDPOINT (+ _ACCESS_KEY, _SECRET_KEY) when set; otherwise
// it starts the project's S3 test server (scripts/s3-test-server.sh) in a temporary
// directory for the run and stops it at the end. Every bucket it creates is versioned
// and removed afterwards.
//
//   BENCH_S3_SIZES_MIB    file sizes for the throughput runs (default "8,256")
//   BENCH_S3_REPEATS      runs per size and direction, at least (default 3; small files run
//                         until ~128 MiB has moved, at most 15 times); the median is reported
//   BENCH_TABLE_MIB       Parquet bytes of the cold/warm table (default 1024)
//   BENCH_TABLE_CHUNK_MIB Parquet bytes written per INSERT statement, i.e. per data file (default 128)
//
// The built-in test server keeps every object version in a 4 GiB RAM-backed OSD, and the
// throughput objects are freed only by its garbage collector (30 s after the bucket goes):
// keep the throughput sizes × repeats × 2 plus BENCH_TABLE_MIB under about 3.5 GiB there.
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import mysql from 'mysql2/promise';
import { silentLogger } from '../dist/src/logging/logger.js';
import { listAll } from '../dist/src/storage/object-store.js';
import { createS3Bucket, deleteS3Bucket } from '../dist/src/storage/s3/s3-buckets.js';
import { DEFAULT_S3_TUNING, openS3Store } from '../dist/src/storage/s3/s3-store.js';
import { s3Env, s3Server, startServer, stopServer } from './lib.mjs';

const MIB = 1024 * 1024;

function positiveNumber(name, fallback) {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return value;
}

const SIZES_MIB = (process.env.BENCH_S3_SIZES_MIB ?? '8,256').split(',').map((s) => {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`BENCH_S3_SIZES_MIB: '${s}' is not a positive number`);
  return n;
});
const REPEATS = Math.round(positiveNumber('BENCH_S3_REPEATS', 3));
const TABLE_MIB = positiveNumber('BENCH_TABLE_MIB', 1024);
const CHUNK_MIB = positiveNumber('BENCH_TABLE_CHUNK_MIB', 128);

export const title = 'Storage: S3 throughput, cold and warm table reads';
export const notes = `
- Throughput: "ours" is the server's S3 backend (\`openS3Store\`, \`putFile\`/\`getFile\`:
  files above ${DEFAULT_S3_TUNING.multipartThreshold / MIB} MiB go up as a multipart upload of ${DEFAULT_S3_TUNING.partSize / MIB} MiB parts,
  ${DEFAULT_S3_TUNING.concurrency} in flight, then a HEAD reads the new version back; downloads are one streamed GET into a
  temporary file that is length-checked, flushed to disk and renamed). "plain" is one
  PutObject of the file stream and one GetObject piped into a file, on an S3Client with the
  same endpoint and checksum settings. Both run in the same process against the same
  versioned bucket, alternating, and each figure is the median of the repeats. The ratio
  is ours / plain in MiB/s: above 1, ours is faster.
- Table reads: the real server on an S3 warehouse; the table is written by INSERT ...
  SELECT statements of random UUID strings (they compress to about 55 %, so the Parquet
  bytes stay close to the target). "Cold" starts a server with an empty \`--cache-dir\`, so
  every data file is downloaded before DuckDB scans it; "warm" repeats the query on the same
  server; "after restart" starts a new server on the same cache directory, whose entries
  are checked against the store by size (one HEAD each) instead of downloaded. Bytes
  downloaded are the bytes the file cache holds after the query (its directory is new).
- The S3 server is the project's Ceph RGW test server on loopback (memstore OSD) unless
  DUCKSAFE_TEST_S3_ENDPOINT names another, so the figures measure the client side and
  this machine, not a network.
`;

// --- helpers -------------------------------------------------------------------------------

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timed(fn) {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const mib = (bytes) => `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MiB`;
const rate = (bytes, seconds) => bytes / MIB / seconds;
const secs = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);

async function withBucket(settings, fn) {
  const bucket = `ducksafe-bench-${randomUUID().slice(0, 13)}`;
  await createS3Bucket(settings, bucket, { versioning: true });
  try {
    return await fn(bucket);
  } finally {
    await deleteS3Bucket(settings, bucket);
  }
}

async function writeRandomFile(file, bytes) {
  const chunk = MIB;
  await pipeline(
    (async function* () {
      for (let left = bytes; left > 0; left -= chunk) yield randomBytes(Math.min(chunk, left));
    })(),
    createWriteStream(file),
  );
}

// --- 1. throughput: ours vs plain SDK ----------------------------------------------------------

/** Small transfers vary by tens of percent run to run, so they are repeated until ~128 MiB has moved. */
function repeatsFor(size) {
  return Math.max(REPEATS, Math.min(15, Math.ceil((128 * MIB) / size)));
}

async function throughput(settings, tmp) {
  return withBucket(settings, async (bucket) => {
    const store = await openS3Store({
      url: `s3://${bucket}/bench`,
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: { source: 'static', accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      logger: silentLogger,
    });
    // The same client settings the store uses where they matter (see s3-store.ts makeClient).
    const plain = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: true,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { httpAgent: { keepAlive: true, maxSockets: 64 } },
    });
    const rows = [];
    try {
      for (const sizeMib of SIZES_MIB) {
        const size = Math.round(sizeMib * MIB);
        const source = path.join(tmp, `source-${sizeMib}.bin`);
        await writeRandomFile(source, size);
        const repeats = repeatsFor(size);
        const times = { oursUp: [], plainUp: [], oursDown: [], plainDown: [] };
        for (let rep = 0; rep < repeats; rep++) {
          const oursKey = `ours-${sizeMib}-${rep}.bin`;
          const plainKey = `bench/plain-${sizeMib}-${rep}.bin`;
          const oursUp = () => timed(() => store.putFile(oursKey, source));
          const plainUp = () =>
            timed(() => plain.send(new PutObjectCommand({ Bucket: bucket, Key: plainKey, Body: createReadStream(source), ContentLength: size })));
          // Alternate who goes first, so neither side always meets a warmer server.
          for (const step of rep % 2 === 0 ? [oursUp, plainUp] : [plainUp, oursUp]) {
            const r = await step();
            (step === oursUp ? times.oursUp : times.plainUp).push(r.seconds);
          }
          const target = path.join(tmp, `download-${rep}.bin`);
          const oursDown = () => timed(() => store.getFile(oursKey, target));
          const plainDown = () =>
            timed(async () => {
              const out = await plain.send(new GetObjectCommand({ Bucket: bucket, Key: plainKey }));
              await pipeline(out.Body, createWriteStream(target));
            });
          for (const step of rep % 2 === 0 ? [oursDown, plainDown] : [plainDown, oursDown]) {
            const r = await step();
            const { size: got } = await stat(target);
            if (got !== size) throw new Error(`downloaded ${got} bytes of ${size}`);
            await rm(target);
            (step === oursDown ? times.oursDown : times.plainDown).push(r.seconds);
          }
        }
        await rm(source);
        const multipart = size > DEFAULT_S3_TUNING.multipartThreshold;
        const upNote = multipart
          ? `ours: ${Math.ceil(size / DEFAULT_S3_TUNING.partSize)} parts of ${DEFAULT_S3_TUNING.partSize / MIB} MiB, ${DEFAULT_S3_TUNING.concurrency} in flight, + HEAD; plain: one PutObject`
          : 'ours: one PutObject + HEAD (below the multipart threshold); plain: one PutObject';
        for (const [label, ours, base, note] of [
          ['upload', median(times.oursUp), median(times.plainUp), upNote],
          ['download', median(times.oursDown), median(times.plainDown), 'ours: one streamed GET, length check, fsync, rename; plain: GetObject piped to a file'],
        ]) {
          const oursRate = rate(size, ours);
          const plainRate = rate(size, base);
          rows.push([
            `S3 ${label} ${mib(size)}: putFile/getFile vs plain SDK`,
            `${secs(ours)} vs ${secs(base)} (median of ${repeats})`,
            `${oursRate.toFixed(0)} vs ${plainRate.toFixed(0)} MiB/s, ratio ${(oursRate / plainRate).toFixed(2)}`,
            note,
          ]);
        }
      }
    } finally {
      plain.destroy();
      await store.close();
    }
    return rows;
  });
}

// --- 2. a ~1 GiB table read cold and warm through the file cache ------------------------------

const connect = (port) =>
  mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database: 'bench', supportBigNumbers: true, bigNumberStrings: true });

/** Bytes of the finished entries in a file cache directory (see src/storage/file-cache.ts). */
async function cachedBytes(cacheDir) {
  const dir = path.join(cacheDir, 'files', 'objects');
  let total = 0;
  for (const name of await readdir(dir).catch(() => [])) total += (await stat(path.join(dir, name))).size;
  return total;
}

async function parquetSizes(store) {
  const sizes = new Map();
  for await (const meta of listAll(store, '')) if (meta.key.endsWith('.parquet')) sizes.set(meta.key, meta.size);
  return sizes;
}

// Each row: an id and four columns of four random UUIDs (144 characters each).
const ROW_SQL = 'CONCAT(UUID(), UUID(), UUID(), UUID())';
const INSERT_SQL = (rows, offset) =>
  `INSERT INTO big SELECT ${offset} + a.n * 1000000 + b.n * 1000 + c.n, ${ROW_SQL}, ${ROW_SQL}, ${ROW_SQL}, ${ROW_SQL} FROM src.k a, src.k b, src.k c LIMIT ${rows}`;
const SCAN_SQL = 'SELECT COUNT(*) AS n, SUM(LENGTH(a) + LENGTH(b) + LENGTH(c) + LENGTH(d)) AS chars FROM big';

async function tableReads(settings, tmp) {
  return withBucket(settings, async (bucket) => {
    const warehouse = `s3://${bucket}/warehouse`;
    const store = await openS3Store({
      url: warehouse,
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: { source: 'static', accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      logger: silentLogger,
    });
    const rows = [];
    let server;
    try {
      // Build the table: a first statement measures the Parquet bytes per row, the rest
      // are sized from it to reach the target in chunks of about CHUNK_MIB.
      server = await startServer(warehouse, await mkdtemp(path.join(tmp, 'cache-load-')), s3Env(settings));
      let c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
      await c.query('CREATE DATABASE src');
      await c.query('CREATE TABLE src.k (n INT)');
      await c.query('INSERT INTO src.k WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < 999) SELECT n FROM s');
      await c.query('CREATE DATABASE bench');
      await c.query('CREATE TABLE bench.big (id BIGINT, a VARCHAR(160), b VARCHAR(160), c VARCHAR(160), d VARCHAR(160))');
      await c.query('USE bench');
      const before = await parquetSizes(store);
      const tableBytes = async () => {
        let total = 0;
        let files = 0;
        for (const [key, size] of await parquetSizes(store)) {
          if (before.has(key)) continue;
          total += size;
          files += 1;
        }
        return { total, files };
      };
      const target = TABLE_MIB * MIB;
      let inserted = 0;
      const load = await timed(async () => {
        // About a tenth of the rows, guessing ~330 Parquet bytes a row.
        const probeRows = Math.max(1000, Math.min(200_000, Math.round(target / 330 / 10)));
        await c.query(INSERT_SQL(probeRows, inserted));
        inserted += probeRows;
        const perRow = (await tableBytes()).total / probeRows;
        const chunkRows = Math.max(1000, Math.round((CHUNK_MIB * MIB) / perRow));
        for (let left = Math.round((target - inserted * perRow) / perRow); left > 0; left -= chunkRows) {
          const n = Math.min(left, chunkRows);
          await c.query(INSERT_SQL(n, inserted));
          inserted += n;
        }
      });
      const { total: bytes, files } = await tableBytes();
      await c.end();
      await stopServer(server);
      rows.push([
        `Load the table: INSERT ... SELECT on an S3 warehouse`,
        `${inserted.toLocaleString('en')} rows, ${mib(bytes)} Parquet in ${files} files, ${load.seconds.toFixed(1)} s`,
        `${rate(bytes, load.seconds).toFixed(0)} MiB/s of Parquet`,
        'generate, stage, write Parquet (zstd), upload, commit',
      ]);

      // Cold, then warm, on a server with an empty cache directory.
      const cacheDir = await mkdtemp(path.join(tmp, 'cache-read-'));
      server = await startServer(warehouse, cacheDir, s3Env(settings));
      c = await connect(server.port);
      const cold = await timed(() => c.query(SCAN_SQL));
      const afterCold = await cachedBytes(cacheDir);
      const warm = await timed(() => c.query(SCAN_SQL));
      const afterWarm = await cachedBytes(cacheDir);
      const [result] = cold.value;
      const [again] = warm.value;
      if (String(result[0].n) !== String(inserted) || JSON.stringify(again) !== JSON.stringify(result)) {
        throw new Error(`scan results disagree: inserted ${inserted}, cold ${JSON.stringify(result)}, warm ${JSON.stringify(again)}`);
      }
      await c.end();
      await stopServer(server);
      server = await startServer(warehouse, cacheDir, s3Env(settings));
      c = await connect(server.port);
      const restarted = await timed(() => c.query(SCAN_SQL));
      const afterRestart = await cachedBytes(cacheDir);
      await c.end();
      await stopServer(server);
      server = undefined;

      const scan = `full-scan aggregate over ${inserted.toLocaleString('en')} rows (${mib(bytes)})`;
      rows.push([`Cold read: ${scan}, empty file cache`, secs(cold.seconds), `${rate(bytes, cold.seconds).toFixed(0)} MiB/s`, `${mib(afterCold)} downloaded into the cache (${files} files)`]);
      rows.push([`Warm read: the same query again`, secs(warm.seconds), `${(cold.seconds / warm.seconds).toFixed(1)}x faster than cold`, `${mib(afterWarm - afterCold)} downloaded`]);
      rows.push([
        `Warm read after a server restart on the same cache directory`,
        secs(restarted.seconds),
        `${(cold.seconds / restarted.seconds).toFixed(1)}x faster than cold`,
        `${mib(afterRestart - afterWarm)} downloaded; each entry verified with a HEAD`,
      ]);
    } finally {
      if (server !== undefined) await stopServer(server);
      await store.close();
    }
    return rows;
  });
}

/** Returns table rows: [benchmark, measured, rate, notes]. */
export async function run() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-bench-storage-'));
  const server = await s3Server();
  console.log(`storage: ${server.describe}`);
  try {
    return [...(await throughput(server.settings, tmp)), ...(await tableReads(server.settings, tmp))];
  } finally {
    await server.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}
