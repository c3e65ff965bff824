// The backup service in this process, on a local and an S3 warehouse, with local and
// S3 repositories: the Doris flow (repository, backup, incremental backup, restore,
// restore under a new name, restore on another warehouse), partitions, replacing an
// existing table, errors, conflicts, cancel, resume after a shutdown, corruption.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import { isStorageError, listAll, type ObjectStore } from '../../src/storage/object-store.js';
import { repositoryKeys } from '../../src/storage/keys.js';
import { withRetry } from '../../src/storage/retry.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';
import type { BackupAdminStatement } from '../../src/sql/backup-statement.js';
import { isSqlError } from '../../src/errors/registry.js';
import { listSnapshots, readManifest } from '../../src/backup/repository-content.js';
import { openHarness, type Harness, type Row } from '../helpers/backup-harness.js';
import { createTestBucket, s3TestAvailability, type S3TestSettings, type TestBucket } from '../helpers/s3-env.js';

type Kind = 'local' | 's3';
const s3 = s3TestAvailability();
const settings: S3TestSettings | undefined = s3.available ? s3.settings : undefined;
if (!s3.available) console.log(`[backup integration] S3 warehouse and repository runs skipped: ${s3.reason}`);
const kinds: Kind[] = settings === undefined ? ['local'] : ['local', 's3'];
const combos = kinds.flatMap((warehouse) => kinds.map((repository) => ({ warehouse, repository })));
const RETRY = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 500, maxElapsedMs: 10_000, logger: silentLogger };

/** A place for a warehouse or a repository: a directory, or a prefix of a test bucket. */
interface Place {
  readonly kind: Kind;
  /** ON LOCATION / a store URL. */
  readonly location: string;
  open(): Promise<ObjectStore>;
}

interface Places {
  place(kind: Kind, name: string): Place;
  remove(): Promise<void>;
}

async function places(): Promise<Places> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-backup-'));
  let bucket: TestBucket | undefined;
  if (settings !== undefined) bucket = await createTestBucket(settings, { versioned: true });
  return {
    place(kind, name) {
      if (kind === 'local') {
        const root = path.join(dir, name);
        return { kind, location: `file://${root}`, open: async () => withRetry(await openLocalStore(root), RETRY) };
      }
      if (bucket === undefined) throw new Error('no S3');
      const b = bucket;
      return { kind, location: b.url(name), open: async () => withRetry(await openS3Store(b.storeOptions(name)), RETRY) };
    },
    async remove() {
      await bucket?.remove();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function createRepository(name: string, where: Place, readOnly = false, extra: [string, string][] = []): BackupAdminStatement {
  const properties: [string, string][] =
    where.kind === 's3' && settings !== undefined
      ? [
          ['s3.endpoint', settings.endpoint],
          ['s3.region', settings.region],
          ['s3.access_key', settings.accessKeyId],
          ['s3.secret_key', settings.secretAccessKey],
          ['use_path_style', 'true'],
        ]
      : [];
  return { kind: 'createRepository', name, readOnly, storage: where.kind, location: where.location, properties: [...properties, ...extra] };
}

function backup(db: string, label: string, repository: string, scope: Extract<BackupAdminStatement, { kind: 'backup' }>['scope'] = { kind: 'all' }, properties: [string, string][] = []): BackupAdminStatement {
  return { kind: 'backup', db, label, repository, scope, properties };
}

function restore(db: string, label: string, repository: string, timestamp: string, scope: Extract<BackupAdminStatement, { kind: 'restore' }>['scope'] = { kind: 'all' }, properties: [string, string][] = []): BackupAdminStatement {
  return { kind: 'restore', db, label, repository, scope, properties: [['backup_timestamp', timestamp], ...properties] };
}

async function timestampOf(h: Harness, repository: string, label: string): Promise<string> {
  const rows = await h.show({ kind: 'showSnapshot', repository, snapshot: label });
  const ts = rows.at(-1)?.Timestamp;
  if (ts === undefined || ts === null) throw new Error(`no snapshot ${label}`);
  return ts;
}

/** The counters of a job's Progress column. */
function progress(row: Row): { doneFiles: number; totalFiles: number; doneBytes: number; totalBytes: number; copiedFiles: number; copiedBytes: number } {
  const m = /^(\d+)\/(\d+) files, (\d+)\/(\d+) bytes \(\d+%\); copied (\d+) files, (\d+) bytes; ETA /.exec(row.Progress ?? '');
  if (m === null) throw new Error(`unexpected Progress '${row.Progress ?? ''}'`);
  const [, doneFiles, totalFiles, doneBytes, totalBytes, copiedFiles, copiedBytes] = m.map(Number);
  return { doneFiles: doneFiles ?? 0, totalFiles: totalFiles ?? 0, doneBytes: doneBytes ?? 0, totalBytes: totalBytes ?? 0, copiedFiles: copiedFiles ?? 0, copiedBytes: copiedBytes ?? 0 };
}

async function expectSqlError(work: Promise<unknown>, errno: number, text: string | RegExp): Promise<void> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSqlError(err), `expected an SQL error, got ${String(err)}`).toBe(true);
  if (!isSqlError(err)) return;
  expect(err.errno).toBe(errno);
  if (typeof text === 'string') expect(err.message).toContain(text);
  else expect(err.message).toMatch(text);
}

async function waitForState(h: Harness, kind: 'backup' | 'restore', label: string, db: string, states: readonly string[]): Promise<Row> {
  for (let i = 0; i < 600; i++) {
    const statement: BackupAdminStatement = kind === 'backup' ? { kind: 'showBackup', db, where: { op: '=', value: label } } : { kind: 'showRestore', brief: false, db, where: { op: '=', value: label } };
    const [row] = await h.show(statement);
    if (row?.State !== undefined && row.State !== null && states.includes(row.State)) return row;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${kind} ${label} never reached ${states.join('/')}`);
}

async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const m of listAll(store, prefix)) out.push(m.key);
  return out.sort();
}

/** Random, incompressible rows: enough bytes that a rate-limited job takes a few seconds. */
function bulkValues(from: number, count: number): string {
  return Array.from({ length: count }, (_v, i) => `(${from + i}, '${randomBytes(96).toString('hex')}')`).join(',');
}

describe.each(combos)('backup and restore: $warehouse warehouse, $repository repository', ({ warehouse, repository }) => {
  let all: Places;
  let wh: Place;
  let repoPlace: Place;
  let store: ObjectStore;
  let h: Harness;
  let scratch: string;

  beforeAll(async () => {
    all = await places();
    wh = all.place(warehouse, 'warehouse');
    repoPlace = all.place(repository, 'repo');
    store = await wh.open();
    scratch = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-backup-scratch-'));
    h = await openHarness({ store, scratch: path.join(scratch, 'a') });
    await h.sql('CREATE DATABASE shop');
    await h.sql('CREATE TABLE shop.items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20) NOT NULL, price DECIMAL(8,2))');
    await h.sql("INSERT INTO shop.items (name, price) VALUES ('apple', 1.50), ('pear', 2.25), ('plum', NULL)");
    await h.sql(`CREATE TABLE shop.sales (id INT, y INT, amount DOUBLE) PARTITION BY RANGE (y) (
      PARTITION p2020 VALUES LESS THAN (2021), PARTITION p2021 VALUES LESS THAN (2022), PARTITION pmax VALUES LESS THAN MAXVALUE)`);
    await h.sql('INSERT INTO shop.sales VALUES (1, 2020, 10.5), (2, 2021, 20.25), (3, 2023, 30)');
    await h.admin(createRepository('repo', repoPlace));
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
    await all?.remove();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it('lists the repository with Doris columns and never shows its secrets', async () => {
    const rows = await h.show({ kind: 'showRepositories' });
    expect(Object.keys(rows[0] ?? {})).toEqual(['RepoId', 'RepoName', 'CreateTime', 'IsReadOnly', 'Location', 'Broker', 'ErrMsg']);
    expect(rows).toMatchObject([{ RepoId: '1', RepoName: 'repo', IsReadOnly: 'false', Location: repoPlace.location, ErrMsg: '' }]);
    if (settings !== undefined) expect(JSON.stringify(rows)).not.toContain(settings.secretAccessKey);
    await expectSqlError(h.admin(createRepository('repo', repoPlace)), 1210, "Repository 'repo' already exists");
    await expectSqlError(h.admin(createRepository('other', repoPlace, false, [['s3.colour', 'blue']])), 1210, 'Unknown property "s3.colour"');
  });

  it('backs up, takes an incremental backup that copies only new files, and restores every row', async () => {
    await h.admin(backup('shop', 'full1', 'repo'));
    const first = await h.waitJob('backup', 'full1', 'shop');
    expect(first).toMatchObject({ State: 'FINISHED', Status: '[OK]', BackupObjs: '[items, sales]', DbName: 'shop', Timeout: '86400' });
    const p1 = progress(first);
    expect(p1.doneFiles).toBe(p1.totalFiles);
    expect(p1.copiedFiles).toBe(p1.totalFiles);
    expect(p1.copiedBytes).toBe(p1.totalBytes);
    const snaps = await h.show({ kind: 'showSnapshot', repository: 'repo' });
    expect(snaps).toEqual([{ Snapshot: 'full1', Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$/), Status: 'OK' }]);
    const itemsBefore = await h.sql('SELECT id, name, price FROM shop.items ORDER BY id');
    const salesBefore = await h.sql('SELECT id, y, amount FROM shop.sales ORDER BY id');

    await h.sql("INSERT INTO shop.items (name, price) VALUES ('fig', 9.99)");
    await h.admin(backup('shop', 'incr1', 'repo'));
    const second = await h.waitJob('backup', 'incr1', 'shop');
    const p2 = progress(second);
    expect(p2.totalFiles).toBe(p1.totalFiles + 1);
    expect(p2.copiedFiles).toBe(1);
    expect(p2.copiedBytes).toBe(p2.totalBytes - p1.totalBytes);

    const ts = await timestampOf(h, 'repo', 'full1');
    await h.sql('DROP TABLE shop.items, shop.sales');
    await h.admin(restore('shop', 'full1', 'repo', ts));
    const restored = await h.waitJob('restore', 'full1', 'shop');
    expect(restored).toMatchObject({ State: 'FINISHED', Status: '[OK]', Timestamp: ts, RestoreObjs: '[items, sales]', AllowLoad: 'false', ReplicationNum: '1' });
    expect(await h.sql('SELECT id, name, price FROM shop.items ORDER BY id')).toEqual(itemsBefore);
    expect(await h.sql('SELECT id, y, amount FROM shop.sales ORDER BY id')).toEqual(salesBefore);
    // AUTO_INCREMENT continues from the backup's counter.
    await h.sql("INSERT INTO shop.items (name) VALUES ('kiwi')");
    expect(await h.sql("SELECT id FROM shop.items WHERE name = 'kiwi'")).toEqual([['4']]);

    // Backing up the restored tables again copies nothing: their files are known by content.
    await h.sql("DELETE FROM shop.items WHERE name = 'kiwi'");
    await h.admin(backup('shop', 'again', 'repo', { kind: 'on', tables: [{ table: 'sales' }] }));
    expect(progress(await h.waitJob('backup', 'again', 'shop')).copiedFiles).toBe(0);
  });

  it('restores under a new name and into a new database, with SHOW BRIEF RESTORE', async () => {
    const ts = await timestampOf(h, 'repo', 'full1');
    await h.admin(restore('archive', 'full1', 'repo', ts, { kind: 'on', tables: [{ table: 'items', as: 'items_2020' }] }, [['replication_num', '3'], ['timeout', '600']]));
    const row = await h.waitJob('restore', 'full1', 'archive');
    expect(row).toMatchObject({ State: 'FINISHED', RestoreObjs: '[items AS items_2020]', ReplicationNum: '3', ReplicaAllocation: 'tag.location.default: 3', Timeout: '600' });
    expect(await h.sql('SELECT name FROM archive.items_2020 ORDER BY id')).toEqual([['apple'], ['pear'], ['plum']]);
    const brief = await h.show({ kind: 'showRestore', brief: true, db: 'archive' });
    expect(Object.keys(brief[0] ?? {})).toEqual([
      'JobId', 'Label', 'Timestamp', 'DbName', 'State', 'AllowLoad', 'ReplicationNum', 'ReplicaAllocation', 'ReserveReplica',
      'ReserveDynamicPartitionEnable', 'CreateTime', 'MetaPreparedTime', 'SnapshotFinishedTime', 'DownloadFinishedTime',
      'FinishedTime', 'UnfinishedTasks', 'Status', 'Timeout',
    ]);
  });

  it('replaces an existing table in one commit, its earlier state still reachable by time travel', async () => {
    await h.sql("UPDATE shop.items SET name = 'changed'");
    const before = await h.sql('SELECT id, name FROM shop.items ORDER BY id');
    const [[seq]] = (await h.sql("SELECT snapshot_id FROM fuse_snapshot('shop', 'items') LIMIT 1")) as [[string]];
    const ts = await timestampOf(h, 'repo', 'full1');
    await h.admin(restore('shop', 'full1', 'repo', ts, { kind: 'on', tables: [{ table: 'items' }] }));
    expect((await h.waitJob('restore', 'full1', 'shop')).State).toBe('FINISHED');
    expect(await h.sql('SELECT name FROM shop.items ORDER BY id')).toEqual([['apple'], ['pear'], ['plum']]);
    expect(await h.sql(`SELECT id, name FROM shop.items AT (SNAPSHOT => '${seq}') ORDER BY id`)).toEqual(before);
    const [[operation]] = (await h.sql("SELECT operation FROM fuse_snapshot('shop', 'items') LIMIT 1")) as [[string]];
    expect(operation).toMatch(/^RESTORE SNAPSHOT full1 \(job \d+\)$/);
  });

  it('backs up views with their database and restores them, by name and under AS names', async () => {
    await h.sql('CREATE DATABASE vshop');
    await h.sql('CREATE TABLE vshop.t (id INT PRIMARY KEY, qty INT)');
    await h.sql('INSERT INTO vshop.t VALUES (1, 5), (2, 7)');
    await h.sql('CREATE VIEW vshop.big AS SELECT id, qty FROM t WHERE qty > 6');
    await h.sql('CREATE VIEW vshop.big_ids (ident) AS SELECT id FROM big');
    await h.admin(backup('vshop', 'views1', 'repo'));
    expect((await h.waitJob('backup', 'views1', 'vshop')).State).toBe('FINISHED');
    const ts = await timestampOf(h, 'repo', 'views1');
    const manifest = await readManifest(await repoPlace.open(), { label: 'views1', timestamp: ts });
    expect(manifest?.views?.map((v) => v.name)).toEqual(['big', 'big_ids']);

    await h.sql('DROP VIEW vshop.big_ids, vshop.big');
    await h.sql('DROP TABLE vshop.t');
    await h.admin(restore('vshop', 'views1', 'repo', ts));
    expect((await h.waitJob('restore', 'views1', 'vshop')).State).toBe('FINISHED');
    expect(await h.sql('SELECT ident FROM vshop.big_ids')).toEqual([['2']]);

    // ON may name a view; AS restores it under another name, reading the tables of the target database.
    await h.admin(restore('vshop', 'views1', 'repo', ts, { kind: 'on', tables: [{ table: 'big', as: 'big_again' }] }));
    expect((await h.waitJob('restore', 'views1', 'vshop')).State).toBe('FINISHED');
    expect(await h.sql('SELECT id, qty FROM vshop.big_again')).toEqual([['2', '7']]);
    // A view never replaces a table of its name.
    await h.sql('CREATE TABLE vshop.clash (a INT)');
    await h.admin(backup('vshop', 'views2', 'repo', { kind: 'on', tables: [{ table: 'big' }] }));
    expect((await h.waitJob('backup', 'views2', 'vshop')).State).toBe('FINISHED');
    const ts2 = await timestampOf(h, 'repo', 'views2');
    await expectSqlError(h.admin(restore('vshop', 'views2', 'repo', ts2, { kind: 'on', tables: [{ table: 'big', as: 'clash' }] })), 1050, "Table 'vshop.clash' already exists");
  });

  it('backs up and restores single partitions, leaving the others alone', async () => {
    await h.admin(backup('shop', 'part1', 'repo', { kind: 'on', tables: [{ table: 'sales', partitions: ['p2021'] }] }));
    const row = await h.waitJob('backup', 'part1', 'shop');
    expect(row.BackupObjs).toBe('[sales PARTITIONS [p2021]]');
    expect(progress(row).totalFiles).toBe(1);
    await h.sql('DELETE FROM shop.sales WHERE y >= 2021');
    await h.sql('INSERT INTO shop.sales VALUES (9, 2021, 99)');
    const ts = await timestampOf(h, 'repo', 'part1');
    await h.admin(restore('shop', 'part1', 'repo', ts, { kind: 'on', tables: [{ table: 'sales', partitions: ['p2021'] }] }));
    expect((await h.waitJob('restore', 'part1', 'shop')).State).toBe('FINISHED');
    // p2021 is as backed up; pmax keeps its delete.
    expect(await h.sql('SELECT id, y FROM shop.sales ORDER BY id')).toEqual([['1', '2020'], ['2', '2021']]);
    const details = await h.show({ kind: 'showSnapshot', repository: 'repo', snapshot: 'part1', timestamp: ts });
    expect(details[0]?.Database).toBe('shop');
    expect(JSON.parse(details[0]?.Details ?? '{}')).toMatchObject({ tables: [{ name: 'sales', partitions: ['p2021'], rows: 1, files: 1 }] });
  });

  it('refuses bad input with clear errors', async () => {
    const ts = await timestampOf(h, 'repo', 'full1');
    await expectSqlError(h.admin(restore('shop', 'nope', 'repo', ts)), 1210, "no snapshot named 'nope' exists there");
    await expectSqlError(h.admin(restore('shop', 'full1', 'repo', '2001-01-01-00-00-00')), 1210, `exists with backup_timestamp "${ts}"`);
    await expectSqlError(h.admin({ kind: 'restore', db: 'shop', label: 'full1', repository: 'repo', scope: { kind: 'all' }, properties: [] }), 1210, '"backup_timestamp"');
    await expectSqlError(h.admin(restore('shop', 'full1', 'repo', ts, { kind: 'all' }, [['colour', 'red']])), 1210, 'Unknown property "colour" for RESTORE SNAPSHOT');
    await expectSqlError(h.admin(restore('shop', 'full1', 'repo', ts, { kind: 'on', tables: [{ table: 'ghost' }] })), 1146, "Table 'ghost' is not in snapshot 'full1'");
    await expectSqlError(h.admin(backup('shop', 'x', 'repo', { kind: 'all' }, [['timeout', 'soon']])), 1210, '"timeout" must be a positive number');
    await expectSqlError(h.admin(backup('shop', 'x', 'repo', { kind: 'on', tables: [{ table: 'ghost' }] })), 1146, "Table 'shop.ghost' doesn't exist");
    await expectSqlError(h.admin(backup('shop', 'x', 'repo', { kind: 'on', tables: [{ table: 'sales', partitions: ['p1999'] }] })), 1735, "Unknown partition 'p1999'");
    await expectSqlError(h.admin(backup('shop', 'bad label!', 'repo')), 1210, 'Invalid snapshot label');
    await expectSqlError(h.admin(backup('shop', 'x', 'missing')), 1210, "Unknown repository 'missing'");
    await expectSqlError(h.admin(backup('nodb', 'x', 'repo')), 1049, "Unknown database 'nodb'");
    await expectSqlError(h.admin({ kind: 'cancelBackup', db: 'shop' }), 1221, "No backup job is running in database 'shop'");
    // A restore over a table whose definition differs needs force_replace.
    await h.sql('CREATE DATABASE IF NOT EXISTS other');
    await h.sql('CREATE TABLE other.items (id INT)');
    await expectSqlError(h.admin(restore('other', 'full1', 'repo', ts, { kind: 'on', tables: [{ table: 'items' }] })), 1050, '"force_replace" = "true"');
    await h.admin(restore('other', 'full1', 'repo', ts, { kind: 'on', tables: [{ table: 'items' }] }, [['force_replace', 'true']]));
    expect((await h.waitJob('restore', 'full1', 'other')).State).toBe('FINISHED');
    expect(await h.sql('SELECT COUNT(*) FROM other.items')).toEqual([['3']]);
  });

  it('a READ ONLY repository at the same location lists the same snapshots and refuses writes', async () => {
    await h.admin(createRepository('ro', repoPlace, true));
    expect((await h.show({ kind: 'showRepositories' })).find((r) => r.RepoName === 'ro')?.IsReadOnly).toBe('true');
    expect(await h.show({ kind: 'showSnapshot', repository: 'ro' })).toEqual(await h.show({ kind: 'showSnapshot', repository: 'repo' }));
    await expectSqlError(h.admin(backup('shop', 'x', 'ro')), 1290, 'READ ONLY');
    await expectSqlError(h.admin({ kind: 'dropSnapshot', repository: 'ro', label: 'full1' }), 1290, 'READ ONLY');
    await h.admin({ kind: 'dropRepository', name: 'ro' });
    expect((await h.show({ kind: 'showRepositories' })).map((r) => r.RepoName)).toEqual(['repo']);
  });

  it('restores on another server with an empty warehouse from a READ ONLY repository (migration)', async () => {
    const otherStore = await all.place(warehouse, 'warehouse2').open();
    const other = await openHarness({ store: otherStore, scratch: path.join(scratch, 'b') });
    try {
      await other.admin(createRepository('from_a', repoPlace, true));
      const ts = await timestampOf(other, 'from_a', 'incr1');
      await other.admin(restore('shop', 'incr1', 'from_a', ts));
      expect((await other.waitJob('restore', 'incr1', 'shop')).State).toBe('FINISHED');
      expect(await other.sql('SELECT name FROM shop.items ORDER BY id')).toEqual([['apple'], ['pear'], ['plum'], ['fig']]);
      expect(await other.sql('SELECT id, y, amount FROM shop.sales ORDER BY id')).toEqual([['1', '2020', '10.5'], ['2', '2021', '20.25'], ['3', '2023', '30']]);
    } finally {
      await other.close();
      await otherStore.close();
    }
  });

  it('fails a restore from a corrupted file with an error naming it, the target untouched', async () => {
    const repoStore = await repoPlace.open();
    try {
      await h.sql('CREATE DATABASE victim');
      await h.sql('CREATE TABLE victim.t (id INT, v VARCHAR(10))');
      await h.sql("INSERT INTO victim.t VALUES (1, 'one')");
      await h.admin(backup('victim', 'v1', 'repo'));
      expect((await h.waitJob('backup', 'v1', 'victim')).State).toBe('FINISHED');
      await h.sql("INSERT INTO victim.t VALUES (2, 'two')");
      const ts = await timestampOf(h, 'repo', 'v1');
      const manifest = await readManifest(repoStore, { label: 'v1', timestamp: ts });
      const target = manifest?.tables[0]?.files[0]?.object;
      expect(target).toMatch(/^data\/db\//);
      const original = await repoStore.get(target ?? '');
      const damaged = Buffer.from(original);
      const at = Math.floor(damaged.length / 2);
      damaged[at] = (damaged[at] ?? 0) ^ 0xff;
      await repoStore.put(target ?? '', damaged);
      const before = await keysUnder(store, 'db/');
      await h.admin(restore('victim', 'v1', 'repo', ts));
      const row = await h.waitJob('restore', 'v1', 'victim');
      expect(row.State).toBe('CANCELLED');
      expect(row.Status).toContain(target ?? '');
      expect(row.Status).toContain('is corrupted (checksum mismatch');
      expect(row.Status).toContain("table 'victim.t' was not changed");
      expect(await h.sql('SELECT id, v FROM victim.t ORDER BY id')).toEqual([['1', 'one'], ['2', 'two']]);
      expect(await keysUnder(store, 'db/')).toEqual(before);
      // Into a database the restore had to create: it is gone again.
      await h.admin(restore('victim_copy', 'v1', 'repo', ts));
      expect((await h.waitJob('restore', 'v1', 'victim_copy')).State).toBe('CANCELLED');
      expect((await h.sql('SHOW DATABASES')).flat()).not.toContain('victim_copy');
      await repoStore.put(target ?? '', original);
    } finally {
      await repoStore.close();
    }
  });

  it('drops snapshots, removing only the data files no other snapshot uses', async () => {
    const repoStore = await repoPlace.open();
    try {
      const before = await keysUnder(repoStore, repositoryKeys.dataPrefix());
      // incr1 shares every file of full1 but one, and 'again' shares sales' files.
      const result = await h.admin({ kind: 'dropSnapshot', repository: 'repo', label: 'incr1' });
      expect(result).toMatchObject({ kind: 'ok', affectedRows: 1n });
      const after = await keysUnder(repoStore, repositoryKeys.dataPrefix());
      expect(before.length - after.length).toBe(1);
      expect(await h.show({ kind: 'showSnapshot', repository: 'repo', snapshot: 'incr1' })).toEqual([]);
      await expectSqlError(h.admin({ kind: 'dropSnapshot', repository: 'repo', label: 'incr1' }), 1210, "Snapshot 'incr1' does not exist");
      // full1 still restores.
      const ts = await timestampOf(h, 'repo', 'full1');
      await h.admin(restore('verify', 'full1', 'repo', ts));
      expect((await h.waitJob('restore', 'full1', 'verify')).State).toBe('FINISHED');
      expect(await h.sql('SELECT COUNT(*) FROM verify.items')).toEqual([['3']]);
    } finally {
      await repoStore.close();
    }
  });
});

describe.each(combos)('long jobs: $warehouse warehouse, $repository repository', ({ warehouse, repository }) => {
  // 64 KB/s: the table below takes a few seconds to copy, long enough to act during it.
  const RATE = 64 * 1024;
  let all: Places;
  let store: ObjectStore;
  let repoPlace: Place;
  let scratch: string;
  let h: Harness;

  beforeAll(async () => {
    all = await places();
    store = await all.place(warehouse, 'warehouse').open();
    repoPlace = all.place(repository, 'repo');
    scratch = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-backup-long-'));
    h = await openHarness({ store, scratch: path.join(scratch, '1'), maxBytesPerSecond: RATE, concurrency: 2 });
    await h.sql('CREATE DATABASE big');
    await h.sql('CREATE TABLE big.t (id INT, payload VARCHAR(200))');
    for (let i = 0; i < 4; i++) await h.sql(`INSERT INTO big.t VALUES ${bulkValues(i * 400, 400)}`);
    await h.sql('CREATE TABLE big.small (id INT)');
    await h.sql('INSERT INTO big.small VALUES (1), (2)');
    await h.admin(createRepository('repo', repoPlace));
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
    await all?.remove();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it('cancels a backup during upload and removes what it copied', async () => {
    const repoStore = await repoPlace.open();
    try {
      await h.admin(backup('big', 'c1', 'repo', { kind: 'on', tables: [{ table: 't' }] }));
      await waitForState(h, 'backup', 'c1', 'big', ['UPLOADING']);
      let uploading: Row | undefined;
      for (let i = 0; i < 100 && (uploading?.UnfinishedTasks ?? '') === ''; i++) {
        [uploading] = await h.show({ kind: 'showBackup', db: 'big', where: { op: '=', value: 'c1' } });
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(uploading?.UnfinishedTasks).toMatch(/^\[t:/);
      expect(uploading?.Progress).toMatch(/ETA (\d+ s|N\/A)$/);
      // Another job on the same table is refused; one on another table runs beside it.
      await expectSqlError(h.admin(backup('big', 'c2', 'repo', { kind: 'on', tables: [{ table: 't' }] })), 1221, "is running on table 'big.t'");
      await h.admin(backup('big', 'side', 'repo', { kind: 'on', tables: [{ table: 'small' }] }));
      await expectSqlError(h.admin({ kind: 'dropRepository', name: 'repo' }), 1221, "Repository 'repo' is used by running backup job");
      await h.admin({ kind: 'cancelBackup', db: 'big' });
      const row = await h.waitJob('backup', 'c1', 'big');
      expect(row.State).toBe('CANCELLED');
      expect(row.Status).toBe('[CANCELLED, msg: cancelled by user root]');
      expect((await h.waitJob('backup', 'side', 'big')).State).toMatch(/FINISHED|CANCELLED/);
      const snapshots = (await h.show({ kind: 'showSnapshot', repository: 'repo' })).map((r) => r.Snapshot);
      expect(snapshots).not.toContain('c1');
      // Only what finished snapshots reference stays (the side backup's file, if it finished first).
      const referenced = new Set<string>();
      for (const ref of await listSnapshots(repoStore)) {
        for (const t of (await readManifest(repoStore, ref))?.tables ?? []) for (const f of t.files) referenced.add(f.object);
      }
      expect((await keysUnder(repoStore, repositoryKeys.dataPrefix())).filter((k) => !referenced.has(k))).toEqual([]);
      expect(await keysUnder(repoStore, repositoryKeys.inProgressPrefix())).toEqual([]);
    } finally {
      await repoStore.close();
    }
  });

  it('times a job out', async () => {
    await h.admin(backup('big', 'slow', 'repo', { kind: 'on', tables: [{ table: 't' }] }, [['timeout', '1']]));
    const row = await h.waitJob('backup', 'slow', 'big');
    expect(row).toMatchObject({ State: 'CANCELLED', Status: '[CANCELLED, msg: timed out after 1 s]', Timeout: '1' });
  });

  it('resumes a backup after a shutdown during upload, and a restore after one during download', async () => {
    await h.admin(backup('big', 'r1', 'repo'));
    await waitForState(h, 'backup', 'r1', 'big', ['UPLOADING']);
    await new Promise((r) => setTimeout(r, 300));
    await h.close();
    h = await openHarness({ store, scratch: path.join(scratch, '2'), maxBytesPerSecond: RATE, concurrency: 2 });
    const done = await h.waitJob('backup', 'r1', 'big');
    expect(done).toMatchObject({ State: 'FINISHED', Status: '[OK]' });
    const expected = await h.sql('SELECT COUNT(*), SUM(id) FROM big.t');

    const ts = await timestampOf(h, 'repo', 'r1');
    await h.admin(restore('big2', 'r1', 'repo', ts));
    await waitForState(h, 'restore', 'r1', 'big2', ['DOWNLOADING']);
    await h.close();
    h = await openHarness({ store, scratch: path.join(scratch, '3'), maxBytesPerSecond: RATE, concurrency: 2 });
    const restored = await h.waitJob('restore', 'r1', 'big2');
    expect(restored).toMatchObject({ State: 'FINISHED', Status: '[OK]' });
    expect(await h.sql('SELECT COUNT(*), SUM(id) FROM big2.t')).toEqual(expected);
  });

  it('cancels a restore during download, leaving the existing table as it was and no files behind', async () => {
    const ts = await timestampOf(h, 'repo', 'r1');
    await h.sql('DELETE FROM big.t WHERE id < 100');
    const before = await h.sql('SELECT COUNT(*), SUM(id) FROM big.t');
    const keysBefore = await keysUnder(store, 'db/');
    await h.admin(restore('big', 'r1', 'repo', ts, { kind: 'on', tables: [{ table: 't' }] }));
    await waitForState(h, 'restore', 'r1', 'big', ['DOWNLOADING']);
    await h.admin({ kind: 'cancelRestore', db: 'big' });
    const row = await h.waitJob('restore', 'r1', 'big');
    expect(row.State).toBe('CANCELLED');
    expect(await h.sql('SELECT COUNT(*), SUM(id) FROM big.t')).toEqual(before);
    expect(await keysUnder(store, 'db/')).toEqual(keysBefore);
  });
});

describe('a repository that cannot be reached', () => {
  it.skipIf(settings === undefined)('reports wrong credentials clearly and keeps nothing', async () => {
    if (settings === undefined) return;
    const all = await places();
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-backup-creds-'));
    const store = await all.place('local', 'warehouse').open();
    const h = await openHarness({ store, scratch });
    try {
      const where = all.place('s3', 'repo');
      const statement = createRepository('bad', where);
      const wrong: BackupAdminStatement = {
        ...(statement as Extract<BackupAdminStatement, { kind: 'createRepository' }>),
        properties: [
          ['s3.endpoint', settings.endpoint],
          ['s3.access_key', settings.accessKeyId],
          ['s3.secret_key', 'not-the-secret'],
        ],
      };
      const err = await h.admin(wrong).catch((e: unknown) => e);
      expect(isSqlError(err)).toBe(true);
      expect((err as Error).message).toMatch(/Repository 'bad' at s3:\/\/.* cannot be used: .*(AccessDenied|SignatureDoesNotMatch|InvalidAccessKeyId)/);
      expect((err as Error).message).toContain('check "s3.access_key" and "s3.secret_key"');
      expect((err as Error).message).not.toContain('not-the-secret');
      expect(await h.show({ kind: 'showRepositories' })).toEqual([]);
      await expect(store.head('_backup/repositories/00000000000000000001.json')).rejects.toSatisfy((e: unknown) => isStorageError(e, 'NotFound'));

      // ALTER REPOSITORY checks new credentials before it keeps them.
      await h.admin(statement);
      const alterWrong = await h.admin({ kind: 'alterRepository', name: 'bad', properties: [['s3.access_key', settings.accessKeyId], ['s3.secret_key', 'still-wrong']] }).catch((e: unknown) => e);
      expect((alterWrong as Error).message).toMatch(/Repository 'bad' .* cannot be used/);
      expect(await h.show({ kind: 'showRepositories' })).toMatchObject([{ RepoName: 'bad', ErrMsg: '' }]);
      await h.admin({ kind: 'alterRepository', name: 'bad', properties: [['s3.access_key', settings.accessKeyId], ['s3.secret_key', settings.secretAccessKey]] });
      await expectSqlError(h.admin({ kind: 'alterRepository', name: 'bad', properties: [['colour', 'x']] }), 1210, 'Unknown property "colour" for ALTER REPOSITORY');
      const local = all.place('local', 'localrepo');
      await h.admin(createRepository('loc', local));
      await expectSqlError(h.admin({ kind: 'alterRepository', name: 'loc', properties: [] }), 1235, "Repository 'loc' is LOCAL");
    } finally {
      await h.close();
      await store.close();
      await all.remove();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
