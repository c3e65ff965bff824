// Retention and VACUUM through mysql2 against the real server, on a local and an S3
// warehouse. Time passes by restarting the server with a later --clock-offset-seconds:
// commits made at "hour 0", "hour 30", ... and VACUUM at "hour 60" with a 48-hour
// default retention. The store itself is checked: exactly the expired files go,
// every retained state still reads (rows and sums), past states get a clear error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { listObjects } from '../../src/engine/vacuum/objects.js';

const HOUR = 3600;

interface Failure {
  readonly errno?: number;
  readonly sqlState?: string;
  readonly message: string;
}

async function failure(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (err) {
    return err as Failure;
  }
  throw new Error('expected the statement to fail');
}

describe.each(warehouseKinds('vacuum e2e'))('retention and VACUUM on a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let store: ObjectStore;
  let server: ServerProcess | undefined;
  let c: Connection;
  /** Data files by what they are, as found in the store after each statement. */
  const files: Record<string, string> = {};
  const snapshots: Record<string, string> = {};
  let tPrefix = '';

  /** (Re)starts the server as if `hours` had passed since the first start. */
  async function at(hours: number, extra: string[] = []): Promise<void> {
    await c?.end();
    await server?.stop();
    server = await warehouse.start(['--retention-hours', '48', '--vacuum-interval-seconds', '0', '--clock-offset-seconds', String(hours * HOUR), ...extra]);
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'v', dateStrings: true });
  }

  async function dataFiles(): Promise<Set<string>> {
    return new Set([...(await listObjects(store, 'db/')).values()].filter((o) => o.key.endsWith('.parquet') && o.versions.some((v) => !v.isDeleteMarker)).map((o) => o.key));
  }

  /** Runs a statement and names the one data file it added. */
  async function writes(name: string, sql: string): Promise<void> {
    const before = await dataFiles();
    await c.query(sql);
    const added = [...(await dataFiles())].filter((k) => !before.has(k));
    expect(added, `${sql} adds one file`).toHaveLength(1);
    files[name] = added[0] ?? '';
  }

  async function rows(sql: string): Promise<unknown[][]> {
    const [r] = await c.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return r as unknown as unknown[][];
  }

  async function newestSnapshot(table: string): Promise<string> {
    const [r] = await c.query<RowDataPacket[]>(`SELECT snapshot_id FROM fuse_snapshot('v', '${table}') LIMIT 1`);
    return String(r[0]?.snapshot_id);
  }

  async function dryRun(sql: string): Promise<[string, string][]> {
    const [r] = await c.query<RowDataPacket[]>(sql);
    return r.map((x) => [String(x.file), String(x.reason)]);
  }

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    store = await warehouse.openStore();
    server = await warehouse.start(['--retention-hours', '48', '--vacuum-interval-seconds', '0']);
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', dateStrings: true });
    await c.query('CREATE DATABASE v');
    await c.query('USE v');
    // Hour 0.
    await c.query('CREATE TABLE t (id INT PRIMARY KEY, amount INT)');
    await writes('t.a', 'INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)');
    snapshots.inserted = await newestSnapshot('t');
    await writes('t.b', 'DELETE FROM t WHERE id = 2');
    snapshots.deleted = await newestSnapshot('t');
    tPrefix = (files['t.b'] ?? '').split('/').slice(0, 3).join('/') + '/';
    await c.query('CREATE TABLE k (id INT, amount INT) data_retention_period_in_hours = 200');
    await writes('k.a', 'INSERT INTO k VALUES (1, 1), (2, 2)');
    await writes('k.b', 'DELETE FROM k WHERE id = 1');
    await c.query('CREATE TABLE gone (id INT)');
    await writes('gone.a', 'INSERT INTO gone VALUES (7)');
    await c.query('DROP TABLE gone');
    await c.query('CREATE DATABASE old');
    await c.query('CREATE TABLE old.x (id INT)');
    await writes('old.a', 'INSERT INTO old.x VALUES (1)');
    await c.query('DROP DATABASE old');
    // Hour 30.
    await at(30);
    await writes('t.c', 'UPDATE t SET amount = amount + 1 WHERE id = 1');
    snapshots.updated = await newestSnapshot('t');
  }, 120_000);

  afterAll(async () => {
    await c?.end();
    await server?.stop();
    await store?.close();
    await warehouse?.remove();
  });

  it('lists exactly the expired files, and orphans only past the grace period', async () => {
    const stray = `${tPrefix}p0/stray-from-a-crashed-write.parquet`;
    await store.put(stray, new TextEncoder().encode('not parquet, never committed'));
    files.stray = stray;
    // Hour 60: the cutoff is hour 12; the state of hour 0 after the DELETE is the oldest kept.
    await at(60, ['--orphan-grace-minutes', String(100 * 60)]);
    expect(await dryRun('VACUUM TABLE t DRY RUN')).toEqual([[files['t.a'], 'expired']]);
    await at(60);
    expect((await dryRun('VACUUM TABLE t DRY RUN')).sort()).toEqual([[files['t.a'], 'expired'], [stray, 'orphan']].sort());
    // k keeps 200 hours.
    expect(await dryRun('VACUUM TABLE k DRY RUN')).toEqual([]);
    const [sizes] = await c.query<RowDataPacket[]>('VACUUM TABLE t DRY RUN');
    expect(sizes.every((r) => Number(r.file_size) > 0)).toBe(true);
    // DRY RUN removed nothing.
    expect(await dataFiles()).toContain(files['t.a']);
  });

  it('refuses a state past retention with a clear error, before and after VACUUM', async () => {
    const past = await failure(c.query(`SELECT * FROM t AT (SNAPSHOT => '${snapshots.inserted}')`));
    expect(past).toMatchObject({ errno: 1412, sqlState: 'HY000', message: expect.stringContaining('past its retention period of 48 hours') });
    const [res] = await c.query<RowDataPacket[]>('VACUUM TABLE t');
    expect(res[0]).toMatchObject({ table: 'v.t', files_removed: 2, expired_files: 1, orphan_files: 1 });
    const stored = await dataFiles();
    expect(stored.has(files['t.a'] ?? '')).toBe(false);
    expect(stored.has(files.stray ?? '')).toBe(false);
    for (const kept of ['t.b', 't.c', 'k.a', 'k.b', 'gone.a', 'old.a']) expect(stored.has(files[kept] ?? ''), kept).toBe(true);
    // No version of the removed file is left behind either.
    expect((await listObjects(store, files['t.a'] ?? '')).size).toBe(0);
    const removed = await failure(c.query(`SELECT * FROM t AT (SNAPSHOT => '${snapshots.inserted}')`));
    expect(removed).toMatchObject({ errno: 1412, message: expect.stringContaining('VACUUM removed') });
    expect(await failure(c.query(`UNDELETE FROM t AT (SNAPSHOT => '${snapshots.inserted}')`))).toMatchObject({ errno: 1412 });
    expect(await failure(c.query(`ALTER TABLE t FLASHBACK TO (SNAPSHOT => '${snapshots.inserted}')`))).toMatchObject({ errno: 1412 });
    expect(await dryRun('VACUUM TABLE t DRY RUN')).toEqual([]);
  });

  it('still reads every retained state', async () => {
    expect(await rows(`SELECT id, amount FROM t AT (SNAPSHOT => '${snapshots.deleted}') ORDER BY id`)).toEqual([
      [1, 10],
      [3, 30],
    ]);
    expect(await rows(`SELECT count(*), sum(amount) FROM t AT (SNAPSHOT => '${snapshots.updated}')`)).toEqual([[2, '41']]);
    const [hist] = await c.query<RowDataPacket[]>("SELECT snapshot_id, timestamp FROM fuse_snapshot('v', 't')");
    // History starts at the oldest state kept.
    expect(hist.map((h) => String(h.snapshot_id))).toEqual([snapshots.updated, snapshots.deleted]);
    const deletedAt = String(hist[1]?.timestamp);
    expect(await rows(`SELECT count(*), sum(amount) FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '${deletedAt}'`)).toEqual([[2, '40']]);
    expect(await rows(`SELECT count(*), sum(amount) FROM t AT (TIMESTAMP => '${String(hist[0]?.timestamp)}')`)).toEqual([[2, '41']]);
    expect(await rows('SELECT count(*), sum(amount) FROM t')).toEqual([[2, '41']]);
  });

  it('purges tables and databases dropped past their retention; recent drops still undrop', async () => {
    await c.query('CREATE TABLE fresh (id INT)');
    await writes('fresh.a', 'INSERT INTO fresh VALUES (5)');
    await c.query('DROP TABLE fresh');
    const [shown] = await c.query<RowDataPacket[]>('SHOW DROP TABLES');
    expect(shown.map((r) => r.tables)).toEqual(['fresh']);
    expect(await failure(c.query('UNDROP TABLE gone'))).toMatchObject({ errno: 1146, message: expect.stringContaining('past its retention period of 48 hours') });
    expect(await dryRun('VACUUM DROP TABLE FROM v DRY RUN')).toEqual([[files['gone.a'], 'dropped']]);
    const [fromV] = await c.query<RowDataPacket[]>('VACUUM DROP TABLE FROM v');
    expect(fromV[0]).toMatchObject({ tables_purged: 1, databases_purged: 0, files_removed: 1 });
    expect((await dataFiles()).has(files['gone.a'] ?? '')).toBe(false);
    expect(await failure(c.query('UNDROP TABLE gone'))).toMatchObject({ errno: 1146, message: expect.stringContaining('purged') });
    const [all] = await c.query<RowDataPacket[]>('VACUUM DROP TABLE');
    expect(all[0]).toMatchObject({ tables_purged: 0, databases_purged: 1 });
    expect((await dataFiles()).has(files['old.a'] ?? '')).toBe(false);
    expect(await failure(c.query('UNDROP DATABASE old'))).toMatchObject({ errno: 1049, message: expect.stringContaining('purged') });
    await c.query('UNDROP TABLE fresh');
    expect(await rows('SELECT * FROM fresh')).toEqual([[5]]);
  });

  it('keeps all of it across a restart', async () => {
    await at(61);
    expect(await failure(c.query(`SELECT * FROM t AT (SNAPSHOT => '${snapshots.inserted}')`))).toMatchObject({ errno: 1412, message: expect.stringContaining('VACUUM removed') });
    expect(await rows(`SELECT count(*), sum(amount) FROM t AT (SNAPSHOT => '${snapshots.deleted}')`)).toEqual([[2, '40']]);
    expect(await failure(c.query('UNDROP TABLE gone'))).toMatchObject({ errno: 1146, message: expect.stringContaining('purged') });
    expect(await failure(c.query('UNDROP DATABASE old'))).toMatchObject({ errno: 1049 });
    expect(await dryRun('VACUUM TABLE t DRY RUN')).toEqual([]);
    expect(await dryRun('VACUUM DROP TABLE DRY RUN')).toEqual([]);
  });

  it('takes the retention option in CREATE TABLE and ALTER TABLE, checks it, and shows it', async () => {
    const showCreate = async (table: string): Promise<string> => {
      const [r] = await c.query<RowDataPacket[]>(`SHOW CREATE TABLE ${table}`);
      return String(r[0]?.['Create Table']);
    };
    expect(await showCreate('k')).toMatch(/ data_retention_period_in_hours=200$/);
    for (const bad of ['0', "'soon'", '1.5', '876001']) {
      const e = await failure(c.query(`ALTER TABLE k SET OPTIONS (data_retention_period_in_hours = ${bad})`));
      expect(e, bad).toMatchObject({ errno: 1210, message: expect.stringContaining('data_retention_period_in_hours') });
      expect(await failure(c.query(`CREATE TABLE opt (a INT) data_retention_period_in_hours = ${bad}`))).toMatchObject({ errno: 1210 });
    }
    await c.query('CREATE TABLE opt (a INT)');
    await c.query('ALTER TABLE opt SET OPTIONS (data_retention_period_in_hours = 12)');
    const shown = await showCreate('opt');
    expect(shown).toContain('data_retention_period_in_hours=12');
    // What SHOW CREATE TABLE prints creates the same table again (mysqldump does that).
    await c.query('DROP TABLE opt');
    await c.query(shown);
    expect(await showCreate('opt')).toBe(shown);
    await c.query('DROP TABLE opt');
  });

  it('runs in the background on a schedule', async () => {
    // Hour 300: k's 200 hours have passed for its first file, t's 48 for the file the UPDATE replaced.
    await at(300, ['--vacuum-interval-seconds', '1']);
    const deadline = Date.now() + 30_000;
    const reported = (): boolean => server?.logs.some((l) => l.msg === 'background vacuum removed files past retention') === true;
    while (!reported() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const stored = await dataFiles();
    expect(stored.has(files['k.a'] ?? '')).toBe(false);
    expect(stored.has(files['t.b'] ?? '')).toBe(false);
    for (const kept of ['t.c', 'k.b', 'fresh.a']) expect(stored.has(files[kept] ?? ''), kept).toBe(true);
    expect(server?.logs.find((l) => l.msg === 'background vacuum removed files past retention')).toMatchObject({ expiredFiles: 2, files: 2 });
    expect(await rows('SELECT count(*), sum(amount) FROM t')).toEqual([[2, '41']]);
    expect(await rows('SELECT id, amount FROM k')).toEqual([[2, 2]]);
    expect(await failure(c.query(`SELECT * FROM t AT (SNAPSHOT => '${snapshots.deleted}')`))).toMatchObject({ errno: 1412 });
  });
});
