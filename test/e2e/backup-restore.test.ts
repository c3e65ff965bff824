// Doris's backup and restore through the real `mariadb` client against the real server,
// on a local and an S3 warehouse. The repository is an S3 bucket when the S3 test server
// is there (server-side copies from an S3 warehouse, streamed ones from a local one),
// else a directory. Covers the flow a DBA runs, an incremental backup's copied bytes,
// restore under a new name and on a second server with its own empty warehouse from a
// READ ONLY repository, cancel and kill -9 during upload and download, wrong credentials,
// a label or timestamp that does not exist, and a corrupted file in the repository.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/backup/repository-content.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';
import { removeDir, tempDir, type ServerProcess } from '../helpers/server-process.js';
import { createTestBucket, s3TestAvailability, type TestBucket } from '../helpers/s3-env.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

const cli = ['mariadb', 'mysql'].find((name) => spawnSync(name, ['--version']).status === 0);
if (cli === undefined) console.log('backup e2e skipped: neither `mariadb` nor `mysql` is installed (.ci/run installs mariadb-client)');
const s3 = s3TestAvailability();
if (!s3.available) console.log(`[backup e2e] repositories are directories (no S3 test server: ${s3.reason}); the wrong-credentials case skips`);

/** 48 KB/s: the `big` table takes several seconds to copy, long enough to cancel or kill a job during it. */
const SLOW = ['--backup-max-bytes-per-second', String(48 * 1024), '--backup-concurrency', '2'];

interface Result {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

function run(server: ServerProcess, script: string, args: string[] = []): Result {
  const r = spawnSync(cli ?? 'mariadb', ['-h', '127.0.0.1', '-P', String(server.port), '-u', 'root', '--batch', '--skip-ssl', ...args], {
    input: script,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Runs a script that must succeed; returns its output. */
function ok(server: ServerProcess, script: string, args: string[] = []): string {
  const r = run(server, script, args);
  if (r.status !== 0) throw new Error(`mariadb failed (${String(r.status)}): ${r.stderr}\nscript: ${script.slice(0, 500)}`);
  return r.stdout;
}

/** The rows of one query as objects by column name (batch mode: a header, then tab-separated rows). */
function rows(server: ServerProcess, query: string): Record<string, string>[] {
  const [header = '', ...lines] = ok(server, query).split('\n').filter((l) => l !== '');
  const names = header.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i] ?? String(i), v])));
}

function job(server: ServerProcess, kind: 'BACKUP' | 'RESTORE', db: string, label: string): Record<string, string> | undefined {
  const column = kind === 'BACKUP' ? 'SnapshotName' : 'Label';
  return rows(server, `SHOW ${kind} FROM ${db} WHERE ${column} = "${label}";`)[0];
}

async function waitFor(server: ServerProcess, kind: 'BACKUP' | 'RESTORE', db: string, label: string, states: readonly string[], ms = 60_000): Promise<Record<string, string>> {
  const until = Date.now() + ms;
  for (;;) {
    const row = job(server, kind, db, label);
    if (row !== undefined && states.includes(row.State ?? '')) return row;
    if (Date.now() > until) throw new Error(`${kind} ${label} did not reach ${states.join('/')}; last: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function copied(row: Record<string, string>): { files: number; bytes: number; totalBytes: number } {
  const m = /\/(\d+) bytes \(\d+%\); copied (\d+) files, (\d+) bytes;/.exec(row.Progress ?? '');
  if (m === null) throw new Error(`unexpected Progress ${row.Progress ?? ''}`);
  return { totalBytes: Number(m[1]), files: Number(m[2]), bytes: Number(m[3]) };
}

function timestampOf(server: ServerProcess, repo: string, label: string): string {
  const ts = rows(server, `SHOW SNAPSHOT ON ${repo} WHERE SNAPSHOT = "${label}";`).at(-1)?.Timestamp;
  if (ts === undefined) throw new Error(`no snapshot ${label} in ${repo}`);
  return ts;
}

/** Where the repository lives, and how this test reaches its objects directly. */
interface RepoPlace {
  readonly createSql: (name: string, readOnly: boolean, secret?: string) => string;
  readonly secret?: string;
  open(): Promise<ObjectStore>;
  remove(): Promise<void>;
}

async function repoPlace(): Promise<RepoPlace> {
  if (s3.available) {
    const settings = s3.settings;
    const bucket: TestBucket = await createTestBucket(settings, { versioned: true });
    const location = bucket.url('backups');
    return {
      secret: settings.secretAccessKey,
      createSql: (name, readOnly, secret = settings.secretAccessKey) =>
        `CREATE ${readOnly ? 'READ ONLY ' : ''}REPOSITORY ${name} WITH S3 ON LOCATION "${location}" PROPERTIES (` +
        `"s3.endpoint" = "${settings.endpoint}", "s3.region" = "${settings.region}", "s3.access_key" = "${settings.accessKeyId}", ` +
        `"s3.secret_key" = "${secret}", "use_path_style" = "true");`,
      open: () => openS3Store({ ...bucket.storeOptions('backups'), probeConditionalCreate: false, logger: silentLogger }),
      remove: () => bucket.remove(),
    };
  }
  const dir = await tempDir('repo');
  return {
    createSql: (name, readOnly) => `CREATE ${readOnly ? 'READ ONLY ' : ''}REPOSITORY ${name} WITH LOCAL ON LOCATION "file://${dir}";`,
    open: () => openLocalStore(dir),
    remove: () => removeDir(dir),
  };
}

/** The Parquet files a local warehouse holds now (its history lives under .versions/). */
async function dataFiles(root: string): Promise<string[]> {
  const all = await readdir(root, { recursive: true });
  return all.filter((f) => f.endsWith('.parquet') && !f.startsWith('.versions')).sort();
}

function bulk(from: number, count: number): string {
  return Array.from({ length: count }, (_v, i) => `(${from + i}, '${randomBytes(96).toString('hex')}')`).join(',');
}

const SALES_ROWS = 'SELECT id, y, amount FROM sales ORDER BY id;';
const ITEMS_ROWS = 'SELECT id, name, price FROM items ORDER BY id;';

describe.skipIf(cli === undefined).each(warehouseKinds('backup e2e'))('BACKUP and RESTORE through the mariadb CLI, %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let repo: RepoPlace;
  const extra: { stop(): Promise<unknown>; remove(): Promise<void> }[] = [];

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    repo = await repoPlace();
    server = await warehouse.start();
    ok(
      server,
      `CREATE DATABASE shop; USE shop;
       CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20) NOT NULL, price DECIMAL(8,2));
       INSERT INTO items (name, price) VALUES ('apple', 1.50), ('pear', 2.25), ('plum', NULL);
       CREATE TABLE sales (id INT, y INT, amount DOUBLE) PARTITION BY RANGE (y) (
         PARTITION p2020 VALUES LESS THAN (2021), PARTITION p2021 VALUES LESS THAN (2022), PARTITION pmax VALUES LESS THAN MAXVALUE);
       INSERT INTO sales VALUES (1, 2020, 10.5), (2, 2021, 20.25), (3, 2023, 30);
       ${repo.createSql('backups', false)}`,
    );
  });
  afterAll(async () => {
    await server?.stop();
    for (const e of extra) {
      await e.stop();
      await e.remove();
    }
    await warehouse?.remove();
    await repo?.remove();
  });

  it('runs the Doris flow: full and incremental backups, drop, restore every row, restore under a new name', async () => {
    const shown = ok(server, 'SHOW REPOSITORIES;');
    expect(shown.split('\n')[0]).toBe('RepoId\tRepoName\tCreateTime\tIsReadOnly\tLocation\tBroker\tErrMsg');
    expect(shown).toMatch(/\n1\tbackups\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\tfalse\t\S+\t-\t\n/);
    if (repo.secret !== undefined) {
      expect(shown).not.toContain(repo.secret);
      expect(JSON.stringify(server.logs)).not.toContain(repo.secret);
    }

    ok(server, 'BACKUP SNAPSHOT shop.full1 TO backups PROPERTIES ("type" = "full", "timeout" = "3600");');
    const first = await waitFor(server, 'BACKUP', 'shop', 'full1', ['FINISHED', 'CANCELLED']);
    expect(first).toMatchObject({ State: 'FINISHED', BackupObjs: '[items, sales]', Status: '[OK]', Timeout: '3600' });
    expect(Object.keys(first)).toEqual([
      'JobId', 'SnapshotName', 'DbName', 'State', 'BackupObjs', 'CreateTime', 'SnapshotFinishedTime', 'UploadFinishedTime',
      'FinishedTime', 'UnfinishedTasks', 'Progress', 'TaskErrMsg', 'Status', 'Timeout',
    ]);
    const full = copied(first);
    expect(full.bytes).toBe(full.totalBytes);
    const items = ok(server, ITEMS_ROWS, ['-D', 'shop']);
    const sales = ok(server, SALES_ROWS, ['-D', 'shop']);

    // Incremental: one more row is one more small file, and that is all the second backup copies.
    ok(server, "INSERT INTO items (name, price) VALUES ('fig', 9.99);", ['-D', 'shop']);
    const itemsAfter = ok(server, ITEMS_ROWS, ['-D', 'shop']);
    ok(server, 'BACKUP SNAPSHOT shop.incr1 TO backups;');
    const second = await waitFor(server, 'BACKUP', 'shop', 'incr1', ['FINISHED', 'CANCELLED']);
    const incr = copied(second);
    expect(incr.files).toBe(1);
    expect(incr.bytes).toBe(incr.totalBytes - full.totalBytes);
    expect(incr.bytes).toBeLessThan(full.bytes);

    const snapshots = rows(server, 'SHOW SNAPSHOT ON backups;');
    expect(snapshots.map((s) => [s.Snapshot, s.Status])).toEqual([['full1', 'OK'], ['incr1', 'OK']]);
    const ts = timestampOf(server, 'backups', 'full1');
    const details = rows(server, `SHOW SNAPSHOT ON backups WHERE SNAPSHOT = "full1" AND TIMESTAMP = "${ts}";`)[0];
    expect(details?.Database).toBe('shop');
    expect(JSON.parse(details?.Details ?? '{}')).toMatchObject({ tables: [{ name: 'items', rows: 3 }, { name: 'sales', rows: 3 }] });

    ok(server, 'DROP TABLE items, sales;', ['-D', 'shop']);
    ok(server, `RESTORE SNAPSHOT shop.full1 FROM backups PROPERTIES ("backup_timestamp" = "${ts}", "replication_num" = "1");`);
    const restored = await waitFor(server, 'RESTORE', 'shop', 'full1', ['FINISHED', 'CANCELLED']);
    expect(restored).toMatchObject({ State: 'FINISHED', Timestamp: ts, RestoreObjs: '[items, sales]', Status: '[OK]' });
    expect(ok(server, ITEMS_ROWS, ['-D', 'shop'])).toBe(items);
    expect(ok(server, SALES_ROWS, ['-D', 'shop'])).toBe(sales);

    const tsIncr = timestampOf(server, 'backups', 'incr1');
    ok(server, `RESTORE SNAPSHOT shop.incr1 FROM backups ON (items AS items_incr) PROPERTIES ("backup_timestamp" = "${tsIncr}");`);
    expect((await waitFor(server, 'RESTORE', 'shop', 'incr1', ['FINISHED', 'CANCELLED'])).RestoreObjs).toBe('[items AS items_incr]');
    expect(ok(server, 'SELECT id, name, price FROM items_incr ORDER BY id;', ['-D', 'shop'])).toBe(itemsAfter);
    const brief = ok(server, 'SHOW BRIEF RESTORE FROM shop;').split('\n')[0];
    expect(brief).toBe(
      'JobId\tLabel\tTimestamp\tDbName\tState\tAllowLoad\tReplicationNum\tReplicaAllocation\tReserveReplica\tReserveDynamicPartitionEnable\t' +
        'CreateTime\tMetaPreparedTime\tSnapshotFinishedTime\tDownloadFinishedTime\tFinishedTime\tUnfinishedTasks\tStatus\tTimeout',
    );
  });

  it('says clearly when a label or a timestamp does not exist, or a property is unknown', () => {
    const ts = timestampOf(server, 'backups', 'full1');
    let r = run(server, 'RESTORE SNAPSHOT shop.nosuch FROM backups PROPERTIES ("backup_timestamp" = "2026-01-01-00-00-00");');
    expect(r.stderr).toContain("ERROR 1210 (HY000) at line 1: Snapshot 'nosuch' with backup_timestamp \"2026-01-01-00-00-00\" does not exist in repository 'backups': no snapshot named 'nosuch' exists there");
    r = run(server, 'RESTORE SNAPSHOT shop.full1 FROM backups PROPERTIES ("backup_timestamp" = "2001-02-03-04-05-06");');
    expect(r.stderr).toContain(`snapshot 'full1' exists with backup_timestamp "${ts}"`);
    r = run(server, `RESTORE SNAPSHOT shop.full1 FROM backups PROPERTIES ("backup_timestamp" = "${ts}", "colour" = "red");`);
    expect(r.stderr).toContain('ERROR 1210 (HY000) at line 1: Unknown property "colour" for RESTORE SNAPSHOT');
    r = run(server, 'BACKUP SNAPSHOT shop.x TO nowhere;');
    expect(r.stderr).toContain("Unknown repository 'nowhere'");
  });

  it('restores on a second server with an empty warehouse, from a READ ONLY repository', async () => {
    const other = await createWarehouse(kind);
    const second = await other.start();
    extra.push({ stop: () => second.stop(), remove: () => other.remove() });
    ok(second, repo.createSql('origin', true));
    expect(rows(second, 'SHOW REPOSITORIES;')[0]).toMatchObject({ RepoName: 'origin', IsReadOnly: 'true' });
    expect(ok(second, 'SHOW SNAPSHOT ON origin;')).toBe(ok(server, 'SHOW SNAPSHOT ON backups;'));
    expect(run(second, 'DROP SNAPSHOT full1 ON origin;').stderr).toContain("ERROR 1290 (HY000) at line 1: Repository 'origin' is READ ONLY");
    const ts = timestampOf(second, 'origin', 'incr1');
    ok(second, `RESTORE SNAPSHOT shop.incr1 FROM origin PROPERTIES ("backup_timestamp" = "${ts}");`);
    expect((await waitFor(second, 'RESTORE', 'shop', 'incr1', ['FINISHED', 'CANCELLED'])).State).toBe('FINISHED');
    expect(ok(second, ITEMS_ROWS, ['-D', 'shop'])).toBe(ok(server, 'SELECT id, name, price FROM items_incr ORDER BY id;', ['-D', 'shop']));
    expect(ok(second, SALES_ROWS, ['-D', 'shop'])).toBe(ok(server, SALES_ROWS, ['-D', 'shop']));
    await second.stop();
  });

  it('fails a restore from a corrupted repository file, naming it, and leaves the table as it was', async () => {
    ok(server, "CREATE DATABASE victim; CREATE TABLE victim.t (id INT, v VARCHAR(10)); INSERT INTO victim.t VALUES (1, 'one');");
    ok(server, 'BACKUP SNAPSHOT victim.v1 TO backups;');
    await waitFor(server, 'BACKUP', 'victim', 'v1', ['FINISHED']);
    ok(server, "INSERT INTO victim.t VALUES (2, 'two');");
    const ts = timestampOf(server, 'backups', 'v1');
    const store = await repo.open();
    try {
      const object = (await readManifest(store, { label: 'v1', timestamp: ts }))?.tables[0]?.files[0]?.object ?? '';
      const bytes = Buffer.from(await store.get(object));
      bytes[10] = (bytes[10] ?? 0) ^ 0x55;
      await store.put(object, bytes);
      ok(server, `RESTORE SNAPSHOT victim.v1 FROM backups PROPERTIES ("backup_timestamp" = "${ts}");`);
      const row = await waitFor(server, 'RESTORE', 'victim', 'v1', ['FINISHED', 'CANCELLED']);
      expect(row.State).toBe('CANCELLED');
      expect(row.Status).toContain(`file ${object} of table 't' in repository 'backups' is corrupted (checksum mismatch`);
      expect(row.TaskErrMsg).toContain(object);
      expect(ok(server, 'SELECT id, v FROM victim.t ORDER BY id;')).toBe('id\tv\n1\tone\n2\ttwo\n');
    } finally {
      await store.close();
    }
  });

  it.skipIf(!s3.available)('refuses a repository whose credentials are wrong, without logging the secret', () => {
    const wrong = 'wrong-secret-' + randomBytes(4).toString('hex');
    const r = run(server, repo.createSql('badcreds', false, wrong));
    expect(r.status).toBe(1);
    // The client echoes the failed statement itself; what the server said is the ERROR line.
    const error = r.stderr.split('\n').find((l) => l.startsWith('ERROR')) ?? '';
    expect(error).toMatch(/^ERROR 1030 \(HY000\) at line 1: Repository 'badcreds' at s3:\/\/\S+ cannot be used: .*SignatureDoesNotMatch.*check "s3.access_key" and "s3.secret_key"/);
    expect(error).not.toContain(wrong);
    expect(JSON.stringify(server.logs)).not.toContain(wrong);
    expect(rows(server, 'SHOW REPOSITORIES;').map((x) => x.RepoName)).toEqual(['backups']);
  });

  describe('long jobs (the server limits each job to 48 KB/s)', () => {
    beforeAll(async () => {
      ok(server, 'CREATE DATABASE big; CREATE TABLE big.t (id INT, payload VARCHAR(200));');
      for (let i = 0; i < 4; i++) ok(server, `INSERT INTO big.t VALUES ${bulk(i * 400, 400)};`);
      await server.stop();
      server = await warehouse.start(SLOW);
    });

    it('keeps job history across a restart', () => {
      expect(rows(server, 'SHOW BACKUP FROM shop;').map((r) => r.SnapshotName)).toEqual(['incr1', 'full1']);
    });

    it('cancels a backup during upload: CANCELLED, no snapshot, nothing left in the repository', async () => {
      ok(server, 'BACKUP SNAPSHOT big.c1 TO backups;');
      await waitFor(server, 'BACKUP', 'big', 'c1', ['UPLOADING']);
      expect(run(server, 'BACKUP SNAPSHOT big.c2 TO backups;').stderr).toMatch(/ERROR 1221 \(HY000\) at line 1: Backup job \d+ \('c1', UPLOADING\) is running on database 'big'/);
      ok(server, 'CANCEL BACKUP FROM big;');
      const row = await waitFor(server, 'BACKUP', 'big', 'c1', ['CANCELLED'], 10_000);
      expect(row.Status).toBe('[CANCELLED, msg: cancelled by user root]');
      expect(rows(server, 'SHOW SNAPSHOT ON backups WHERE SNAPSHOT = "c1";')).toEqual([]);
      const store = await repo.open();
      try {
        const held = new Set<string>();
        for (const label of ['full1', 'incr1', 'v1']) {
          const manifest = await readManifest(store, { label, timestamp: timestampOf(server, 'backups', label) });
          for (const t of manifest?.tables ?? []) for (const f of t.files) held.add(f.object);
        }
        const left: string[] = [];
        let next: string | undefined;
        do {
          const page = await store.list(next === undefined ? { prefix: 'data/' } : { prefix: 'data/', continuation: next });
          left.push(...page.items.map((i) => i.key));
          next = page.next;
        } while (next !== undefined);
        expect(left.filter((k) => !held.has(k))).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('finishes a backup after kill -9 during upload and a restart', async () => {
      ok(server, 'BACKUP SNAPSHOT big.k1 TO backups;');
      await waitFor(server, 'BACKUP', 'big', 'k1', ['UPLOADING']);
      await new Promise((r) => setTimeout(r, 1000));
      await server.kill();
      server = await warehouse.start(SLOW);
      // Never listed before it is complete.
      const early = job(server, 'BACKUP', 'big', 'k1');
      if (early?.State !== 'FINISHED') expect(rows(server, 'SHOW SNAPSHOT ON backups WHERE SNAPSHOT = "k1";')).toEqual([]);
      const row = await waitFor(server, 'BACKUP', 'big', 'k1', ['FINISHED', 'CANCELLED']);
      expect(row).toMatchObject({ State: 'FINISHED', Status: '[OK]' });
      expect(rows(server, 'SHOW SNAPSHOT ON backups WHERE SNAPSHOT = "k1";').map((r) => r.Status)).toEqual(['OK']);
    });

    it('finishes a restore after kill -9 during download, showing nothing until it commits', async () => {
      const expected = ok(server, 'SELECT COUNT(*), SUM(id), MAX(payload) FROM big.t;');
      const ts = timestampOf(server, 'backups', 'k1');
      ok(server, `RESTORE SNAPSHOT bigcopy.k1 FROM backups PROPERTIES ("backup_timestamp" = "${ts}");`);
      await waitFor(server, 'RESTORE', 'bigcopy', 'k1', ['DOWNLOADING']);
      await new Promise((r) => setTimeout(r, 1000));
      await server.kill();
      server = await warehouse.start(SLOW);
      // Tables first, then the state: while the job is still downloading, nothing of it is visible.
      const tables = ok(server, 'SHOW TABLES FROM bigcopy;');
      if (job(server, 'RESTORE', 'bigcopy', 'k1')?.State === 'DOWNLOADING') expect(tables).toBe('');
      const row = await waitFor(server, 'RESTORE', 'bigcopy', 'k1', ['FINISHED', 'CANCELLED']);
      expect(row).toMatchObject({ State: 'FINISHED', Status: '[OK]' });
      expect(ok(server, 'SELECT COUNT(*), SUM(id), MAX(payload) FROM bigcopy.t;')).toBe(expected);
    });

    it('cancels a restore during download, leaving the existing table untouched', async () => {
      const ts = timestampOf(server, 'backups', 'k1');
      ok(server, 'DELETE FROM big.t WHERE id < 100;');
      const before = ok(server, 'SELECT COUNT(*), SUM(id) FROM big.t;');
      const filesBefore = kind === 'local' ? await dataFiles(warehouse.location) : [];
      ok(server, `RESTORE SNAPSHOT big.k1 FROM backups ON (t) PROPERTIES ("backup_timestamp" = "${ts}");`);
      await waitFor(server, 'RESTORE', 'big', 'k1', ['DOWNLOADING']);
      ok(server, 'CANCEL RESTORE FROM big;');
      const row = await waitFor(server, 'RESTORE', 'big', 'k1', ['CANCELLED'], 10_000);
      expect(row.Status).toBe('[CANCELLED, msg: cancelled by user root]');
      expect(ok(server, 'SELECT COUNT(*), SUM(id) FROM big.t;')).toBe(before);
      if (kind === 'local') {
        // No file the cancelled restore copied is left in the warehouse directory.
        expect(await dataFiles(warehouse.location)).toEqual(filesBefore);
      }
    });
  });
});
