// The fuse_amend walker (engine/failsafe/amend.ts) on every backend that keeps versions:
// a table's commit log and data files are removed behind its back in different ways, and
// what the walker reports and brings back is checked against the store itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { keys } from '../../src/storage/keys.js';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import { isStorageError, listAll, type ObjectStore } from '../../src/storage/object-store.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';
import { DatabaseLog } from '../../src/engine/catalog/database-log.js';
import { liveTables, type TableMeta } from '../../src/engine/catalog/database-state.js';
import { amendTable, type AmendReport } from '../../src/engine/failsafe/amend.js';
import { createTestBucket, s3TestSettingsOrSkip, type TestBucket } from '../helpers/s3-env.js';

interface Backend {
  readonly name: string;
  open(versioned: boolean): Promise<ObjectStore>;
  cleanup(): Promise<void>;
}

const localBackend = (): Backend => {
  const dirs: string[] = [];
  return {
    name: 'local store',
    async open(versioned) {
      const dir = await mkdtemp(join(tmpdir(), 'ducksafe-amend-'));
      dirs.push(dir);
      return openLocalStore(dir, { versioning: versioned });
    },
    async cleanup() {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    },
  };
};

const s3Settings = s3TestSettingsOrSkip('fail-safe walker on S3');
const s3Backend = (): Backend => {
  const buckets: TestBucket[] = [];
  return {
    name: 'S3',
    async open(versioned) {
      if (s3Settings === undefined) throw new Error('no S3 test server');
      const bucket = await createTestBucket(s3Settings, { versioned });
      buckets.push(bucket);
      return openS3Store(bucket.storeOptions('warehouse'));
    },
    async cleanup() {
      for (const bucket of buckets) await bucket.remove();
    },
  };
};

const DB = 'db1';
const TABLE = 'tbl1';
// More commits than a checkpoint interval, so the log has a checkpoint and its hint.
const COMMITS = 23;

const meta: TableMeta = { id: TABLE, name: 't', columns: [], indexes: [], options: {}, createdAt: '2026-01-01T00:00:00.000Z' };

/** A table with one data file per commit; returns the data keys. */
async function buildTable(store: ObjectStore): Promise<string[]> {
  const log = await DatabaseLog.open(store, DB, silentLogger);
  await log.commit({ user: 'test', operation: 'CREATE TABLE', actions: () => [{ kind: 'createTable', table: meta, autoIncrement: '1' }] });
  const files: string[] = [];
  for (let i = 0; i < COMMITS; i++) {
    const key = keys.dataFile(DB, TABLE, 'p0', `file${String(i).padStart(3, '0')}`);
    await store.put(key, Buffer.from(`rows of file ${i}`));
    files.push(key);
    await log.commit({
      user: 'test',
      operation: 'INSERT',
      actions: () => [{ kind: 'addFiles', tableId: TABLE, files: [{ key, partition: 'p0', rows: 1, bytes: 10, stats: {} }] }],
    });
  }
  return files;
}

async function currentKeys(store: ObjectStore, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const m of listAll(store, prefix)) found.push(m.key);
  return found.sort();
}

const amend = (store: ObjectStore, dryRun = false): Promise<AmendReport> =>
  amendTable({ store, logId: DB, table: { name: 't' }, label: `${DB}.t` }, dryRun);

const backends = [localBackend(), ...(s3Settings === undefined ? [] : [s3Backend()])];

describe.each(backends)('system$fuse_amend on the $name', (backend) => {
  let store: ObjectStore;
  let files: string[];
  let everything: string[];

  beforeAll(async () => {
    store = await backend.open(true);
    files = await buildTable(store);
    everything = await currentKeys(store, keys.databasePrefix(DB));
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('finds nothing missing in an intact table', async () => {
    const report = await amend(store);
    // Every log object (entries, checkpoint, hint) and every data file.
    expect(report).toEqual({ checked: everything.length, missing: [], recovered: 0, lost: [] });
  });

  it('reports removed data files in a dry run without touching them, then brings them back', async () => {
    const removed = [files[0], files[7], files[COMMITS - 1]] as string[];
    for (const key of removed) await store.delete(key);
    const dry = await amend(store, true);
    expect(dry).toMatchObject({ recovered: 0, lost: [] });
    expect([...dry.missing].sort()).toEqual([...removed].sort());
    expect(await currentKeys(store, keys.databasePrefix(DB))).toHaveLength(everything.length - removed.length);

    const real = await amend(store);
    expect(real).toMatchObject({ checked: everything.length, recovered: 3, lost: [] });
    expect(await currentKeys(store, keys.databasePrefix(DB))).toEqual(everything);
    expect(Buffer.from(await store.get(files[7] as string)).toString()).toBe('rows of file 7');
    // Nothing is left to do the second time.
    expect(await amend(store)).toMatchObject({ missing: [], recovered: 0 });
  });

  it('brings back a removed commit log, which refuses to open until then', async () => {
    const logKeys = await currentKeys(store, keys.databaseLogPrefix(DB));
    expect(logKeys.some((k) => k.endsWith('.checkpoint.json'))).toBe(true);
    for (const key of logKeys) await store.delete(key);
    const opening = await DatabaseLog.open(store, DB, silentLogger).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isStorageError(opening, 'NotFound')).toBe(true);

    const report = await amend(store);
    expect(report).toMatchObject({ recovered: logKeys.length, lost: [] });
    const log = await DatabaseLog.open(store, DB, silentLogger);
    expect(liveTables(log.current()).get('t')?.files).toHaveLength(COMMITS);
  });

  it('brings back a table whose whole prefix was removed, again after it is removed again', async () => {
    for (let round = 0; round < 2; round++) {
      for (const key of everything) await store.delete(key);
      expect(await currentKeys(store, keys.databasePrefix(DB))).toEqual([]);
      const report = await amend(store);
      expect(report).toMatchObject({ checked: everything.length, recovered: everything.length, lost: [] });
      expect(await currentKeys(store, keys.databasePrefix(DB))).toEqual(everything);
    }
  });

  it('is safe to run twice at once', async () => {
    for (const key of files.slice(0, 5)) await store.delete(key);
    const reports = await Promise.all([amend(store), amend(store)]);
    for (const r of reports) expect(r.lost).toEqual([]);
    expect(await currentKeys(store, keys.databasePrefix(DB))).toEqual(everything);
  });

  it('names what cannot come back: a file whose versions are gone', async () => {
    const key = files[3] as string;
    const versions = (await store.listVersions({ prefix: key })).items.filter((v) => v.key === key);
    await store.delete(key);
    // Its data is destroyed for good: only the delete marker remains.
    for (const v of versions) await store.deleteVersion(key, v.versionId);
    await store.delete(files[4] as string);
    const report = await amend(store);
    expect(report.recovered).toBe(1);
    expect(report.lost).toEqual([{ key, reason: expect.stringContaining('no earlier version') as string }]);
    expect(await currentKeys(store, keys.databasePrefix(DB))).toEqual(everything.filter((k) => k !== key));
  });

  it('refuses, saying why, where the store keeps no versions', async () => {
    const plain = await backend.open(false);
    try {
      await buildTable(plain);
      await expect(amend(plain)).rejects.toMatchObject({ code: 'ER_OPTION_PREVENTS_STATEMENT', message: expect.stringContaining('needs bucket versioning') as string });
    } finally {
      await plain.close();
    }
  });
});

describe.skipIf(s3Settings === undefined)('system$fuse_amend on S3 objects written before versioning', () => {
  it('reports them as not recoverable', async () => {
    if (s3Settings === undefined) return;
    const bucket = await createTestBucket(s3Settings, { versioned: false });
    try {
      const before = await openS3Store(bucket.storeOptions('warehouse'));
      const files = await buildTable(before);
      await before.close();
      await bucket.enableVersioning();
      const store = await openS3Store(bucket.storeOptions('warehouse'));
      await store.delete(files[0] as string);
      const report = await amend(store);
      expect(report.recovered).toBe(0);
      expect(report.lost).toEqual([{ key: files[0], reason: expect.stringContaining('before bucket versioning') as string }]);
      await store.close();
    } finally {
      await bucket.remove();
    }
  });
});
