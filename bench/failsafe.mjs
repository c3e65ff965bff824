// The fail-safe benchmark ([E]): how long system$fuse_amend takes to bring back a table
// whose whole prefix was removed (its data files and its commit log), and how many bytes
// pass through the server while it does (none of the data should: objects come back by
// removing delete markers inside the store). Runs the server's own walker
// (engine/failsafe/amend.ts) in this process, over a store wrapped to count every byte and
// request, on the local store and on the S3 test server (DUCKSAFE_TEST_S3_ENDPOINT, or one
// started for the run).
//
//   BENCH_AMEND_FILES   data files in the table (default 10000); the log adds two objects
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../dist/src/logging/logger.js';
import { keys } from '../dist/src/storage/keys.js';
import { openLocalStore } from '../dist/src/storage/local/local-store.js';
import { listAll } from '../dist/src/storage/object-store.js';
import { createS3Bucket, deleteS3Bucket } from '../dist/src/storage/s3/s3-buckets.js';
import { openS3Store } from '../dist/src/storage/s3/s3-store.js';
import { DatabaseLog } from '../dist/src/engine/catalog/database-log.js';
import { amendTable } from '../dist/src/engine/failsafe/amend.js';
import { s3Server } from './lib.mjs';

const FILES = Number(process.env.BENCH_AMEND_FILES ?? 10_000);
if (!Number.isInteger(FILES) || FILES < 1) throw new Error(`BENCH_AMEND_FILES must be a positive integer, got '${process.env.BENCH_AMEND_FILES}'`);
const CONCURRENCY = 64;
const FILE_BYTES = 4096;
const DB = 'benchdb';
const TABLE = 'benchtable';

export const title = 'Fail-safe: recovering a table of 10,000 removed objects';
export const notes = `
- The table: one commit log entry creating it and one adding ${FILES.toLocaleString('en-US')} data files of
  ${FILE_BYTES} bytes each (${((FILES * FILE_BYTES) / 1024 ** 2).toFixed(0)} MiB), all written straight to the store. Then every object under the
  database's prefix is deleted (a delete marker each, as REMOVE @stage or \`aws s3 rm --recursive\` leaves),
  and the walker runs: a DRY RUN, the recovery, and a second run that must find nothing missing.
- "Through the server" counts the bytes of every get/put/copy the walker makes on the store
  (requests by kind in the notes column): the data files never pass; only the commit log is
  read (${'`'}get${'`'}), to learn which files the table needs. Recovery is listing versions and batched
  removal of delete markers (S3 DeleteObjects, 1,000 per request; the local store removes each
  marker file). After the run every object is checked to be back with its size.
- The walker is the server's code, run in this process so that its store can be counted; through
  the server, \`CALL system$fuse_amend\` adds one statement's overhead.
- On the Ceph test server removing a delete marker costs it about 1.5 ms whatever the batching
  (measured apart on 4,000 markers: DeleteObjects of 1,000 four at a time 6.5 s, of 100 32 at a
  time 5.5 s, one DeleteObject each 64 at a time 16 s): the store's own work bounds the recovery.`;

/** The store with every byte and request counted. */
function counted(store) {
  const c = { bytesIn: 0, bytesOut: 0, requests: {} };
  const count = (op, n = 1) => {
    c.requests[op] = (c.requests[op] ?? 0) + n;
  };
  const wrapped = {
    url: store.url,
    capabilities: store.capabilities,
    async put(key, body, options) {
      count('put');
      c.bytesOut += body.length ?? 0;
      return store.put(key, body, options);
    },
    async putFile(key, file, options) {
      count('putFile');
      c.bytesOut += (await stat(file)).size;
      return store.putFile(key, file, options);
    },
    async get(key, options) {
      count('get');
      const bytes = await store.get(key, options);
      c.bytesIn += bytes.length;
      return bytes;
    },
    async getStream(key, options) {
      count('getStream');
      const s = await store.getStream(key, options);
      s.on('data', (d) => {
        c.bytesIn += d.length;
      });
      return s;
    },
    async getFile(key, file, options) {
      count('getFile');
      const meta = await store.getFile(key, file, options);
      c.bytesIn += meta.size;
      return meta;
    },
    head(key, options) {
      count('head');
      return store.head(key, options);
    },
    delete(key) {
      count('delete');
      return store.delete(key);
    },
    deleteVersion(key, id) {
      count('deleteVersion');
      return store.deleteVersion(key, id);
    },
    deleteVersions(versions) {
      count('deleteVersions');
      count('versions removed', versions.length);
      return store.deleteVersions(versions);
    },
    list(options) {
      count('list');
      return store.list(options);
    },
    listVersions(options) {
      count('listVersions');
      return store.listVersions(options);
    },
    copy(from, to, options) {
      count('copy');
      return store.copy(from, to, options);
    },
    close: () => store.close(),
  };
  return { store: wrapped, counters: c };
}

async function inParallel(items, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

async function buildTable(store) {
  const log = await DatabaseLog.open(store, DB, silentLogger);
  const meta = { id: TABLE, name: 't', columns: [], indexes: [], options: {}, createdAt: new Date().toISOString() };
  await log.commit({ user: 'bench', operation: 'CREATE TABLE', actions: () => [{ kind: 'createTable', table: meta, autoIncrement: '1' }] });
  const body = Buffer.alloc(FILE_BYTES, 7);
  const files = Array.from({ length: FILES }, (_, i) => keys.dataFile(DB, TABLE, 'p0', `f${String(i).padStart(6, '0')}`));
  await inParallel(files, (key) => store.put(key, body));
  await log.commit({
    user: 'bench',
    operation: 'INSERT',
    actions: () => [{ kind: 'addFiles', tableId: TABLE, files: files.map((key) => ({ key, partition: 'p0', rows: 1, bytes: FILE_BYTES, stats: {} })) }],
  });
}

async function current(store) {
  const found = [];
  for await (const m of listAll(store, keys.databasePrefix(DB))) found.push(m);
  return found;
}

const ms = (t) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(0)} ms`);
const mib = (b) => `${(b / 1024 ** 2).toFixed(2)} MiB`;

async function measure(label, store) {
  await buildTable(store);
  const before = await current(store);
  await inParallel(before, (m) => store.delete(m.key));
  if ((await current(store)).length !== 0) throw new Error(`${label}: objects are left after the removal`);
  const target = { logId: DB, table: { name: 't' }, label: `${DB}.t` };
  const rows = [];
  for (const [what, dryRun] of [
    ['DRY RUN', true],
    ['recovery', false],
    ['second run (nothing missing)', false],
  ]) {
    const { store: wrapped, counters } = counted(store);
    const started = performance.now();
    const report = await amendTable({ store: wrapped, ...target }, dryRun);
    const took = performance.now() - started;
    const expectedMissing = what.startsWith('second') ? 0 : before.length;
    if (report.missing.length !== expectedMissing || report.lost.length !== 0) {
      throw new Error(`${label} ${what}: ${report.missing.length} missing (expected ${expectedMissing}), ${report.lost.length} lost`);
    }
    const requests = Object.entries(counters.requests).map(([op, n]) => `${op} ${n.toLocaleString('en-US')}`).join(', ');
    rows.push([
      `${label}: ${what}, ${report.checked.toLocaleString('en-US')} objects checked, ${report.recovered.toLocaleString('en-US')} recovered`,
      ms(took),
      `${Math.round(report.checked / (took / 1000)).toLocaleString('en-US')} objects/s`,
      `through the server: ${mib(counters.bytesIn)} read, ${mib(counters.bytesOut)} written (data files: 0 bytes); requests: ${requests}`,
    ]);
  }
  const after = await current(store);
  const sizes = new Map(before.map((m) => [m.key, m.size]));
  if (after.length !== before.length || after.some((m) => sizes.get(m.key) !== m.size)) throw new Error(`${label}: not every object came back as it was`);
  return rows;
}

export async function run() {
  const rows = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-bench-amend-'));
  try {
    const local = await openLocalStore(dir);
    rows.push(...(await measure('local store', local)));
    await local.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const s3 = await s3Server();
  const bucket = `ducksafe-bench-amend-${Date.now().toString(36)}`;
  try {
    await createS3Bucket(s3.settings, bucket, { versioning: true });
    const store = await openS3Store({
      url: `s3://${bucket}/warehouse`,
      endpoint: s3.settings.endpoint,
      region: s3.settings.region,
      credentials: { source: 'static', accessKeyId: s3.settings.accessKeyId, secretAccessKey: s3.settings.secretAccessKey },
      logger: silentLogger,
    });
    rows.push(...(await measure(`S3 (${s3.describe})`, store)));
    await store.close();
  } finally {
    await deleteS3Bucket(s3.settings, bucket).catch(() => undefined);
    await s3.stop();
  }
  return rows;
}
