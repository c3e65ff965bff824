// Statements through the real server on an S3 warehouse whose every S3 request passes a
// fault-injecting proxy: a short outage is ridden through by the retry layer and the
// statement succeeds; a lasting one ends the statement with a storage error (ER 1030)
// in bounded time, the server keeps serving, and after the network heals the table holds
// exactly the rows of the statements that reported success, whatever request the outage
// began at (no partial commit, even when the data file had already reached the bucket).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { listAll } from '../../src/storage/object-store.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';
import type { S3Store } from '../../src/storage/s3/s3-store.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import type { FaultProxy } from '../helpers/fault-proxy.js';
import { createTestBucket, s3TestSettingsOrSkip } from '../helpers/s3-env.js';
import type { S3TestSettings, TestBucket } from '../helpers/s3-env.js';
import { removeDir, startServer, tempDir } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

const settings = s3TestSettingsOrSkip('S3 faults during statements');
const ER_GET_ERRNO = 1030;
const RETRY_MESSAGE = 'storage operation failed with a temporary error; retrying';

interface StatementError {
  readonly errno?: number;
  readonly sqlState?: string;
  readonly message: string;
}

async function outcome(p: Promise<unknown>): Promise<{ ok: true } | { ok: false; error: StatementError }> {
  return p.then(
    () => ({ ok: true }) as const,
    (e: unknown) => ({ ok: false, error: e as StatementError }) as const,
  );
}

describe.skipIf(settings === undefined)('statements on an S3 warehouse behind a faulty network', () => {
  const s = settings as S3TestSettings;
  let bucket: TestBucket;
  let proxy: FaultProxy;
  let cacheDir: string;
  let server: ServerProcess;
  let conn: Connection;
  /** The bucket seen directly, not through the proxy. */
  let direct: S3Store;

  const connect = (): Promise<Connection> => mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'shop' });

  async function ids(): Promise<number[]> {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT id FROM items ORDER BY id');
    return rows.map((r) => Number(r.id));
  }

  async function dataFiles(): Promise<Set<string>> {
    const found = new Set<string>();
    for await (const meta of listAll(direct, '')) if (meta.key.endsWith('.parquet')) found.add(meta.key);
    return found;
  }

  beforeAll(async () => {
    bucket = await createTestBucket(s, { versioned: true });
    proxy = await startFaultProxy(s.endpoint);
    cacheDir = await tempDir('cache');
    server = await startServer({
      warehouse: bucket.url('warehouse'),
      args: ['--cache-dir', cacheDir],
      env: {
        DUCKSAFE_S3_ENDPOINT: proxy.endpoint,
        DUCKSAFE_S3_REGION: s.region,
        DUCKSAFE_S3_ACCESS_KEY: s.accessKeyId,
        DUCKSAFE_S3_SECRET_KEY: s.secretAccessKey,
      },
    });
    direct = await openS3Store(bucket.storeOptions('warehouse'));
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await admin.query('CREATE DATABASE shop');
    await admin.query('CREATE TABLE shop.items (id INT, note VARCHAR(40))');
    await admin.end();
    conn = await connect();
  });

  afterEach(() => {
    proxy.heal();
  });

  afterAll(async () => {
    await conn?.end();
    await server?.stop();
    await direct?.close();
    await proxy?.close();
    await bucket?.remove();
    if (cacheDir !== undefined) await removeDir(cacheDir);
  });

  it('retries through a few 503s, SlowDowns and dropped connections, and the INSERT succeeds', async () => {
    const retriesBefore = server.logs.filter((l) => l.msg === RETRY_MESSAGE).length;
    const cases = [
      { fault: 'status-503', count: 2, id: 1 },
      { fault: 'slow-down', count: 2, id: 2 },
      { fault: 'drop', count: 2, id: 3 },
    ] as const;
    for (const { fault, count, id } of cases) {
      const faultedBefore = proxy.faulted;
      proxy.inject(fault, count);
      const [res] = await conn.query<ResultSetHeader>('INSERT INTO items VALUES (?, ?)', [id, `after ${fault}`]);
      expect(res.affectedRows).toBe(1);
      // Every injected fault met a request: the statement made more requests than that.
      expect(proxy.faulted - faultedBefore, fault).toBe(count);
      proxy.heal();
    }
    expect(server.logs.filter((l) => l.msg === RETRY_MESSAGE).length).toBeGreaterThan(retriesBefore);
    expect(await ids()).toEqual([1, 2, 3]);
  });

  it('ends the statement with a storage error during a lasting outage, keeps serving, and commits nothing partial', async () => {
    const committed = await ids();
    const filesBefore = await dataFiles();

    // How many S3 requests one INSERT makes, so the outage can begin at each of them in turn.
    const requestsBefore = proxy.requests;
    await conn.query('INSERT INTO items VALUES (100, ?)', ['counting run']);
    committed.push(100);
    const perInsert = proxy.requests - requestsBefore;
    expect(perInsert).toBeGreaterThan(2);

    let failures = 0;
    let successes = 1;
    for (let after = 0; after <= perInsert; after++) {
      const id = 200 + after;
      proxy.inject('drop', Infinity, after);
      const started = Date.now();
      const result = await outcome(conn.query('INSERT INTO items VALUES (?, ?)', [id, `outage after ${after} requests`]));
      if (result.ok) {
        successes += 1;
        committed.push(id);
      } else {
        failures += 1;
        expect(result.error.errno, result.error.message).toBe(ER_GET_ERRNO);
        expect(result.error.sqlState).toBe('HY000');
        expect(result.error.message).toMatch(/storage/i);
        expect(result.error.message).toContain('Temporary');
        // Each attempt fails fast on a dropped connection: the retry budget runs out in attempts, not minutes.
        expect(Date.now() - started).toBeLessThan(15_000);

        // Still down: statements that need no storage are answered, on this connection and a new one.
        const [one] = await conn.query<RowDataPacket[]>('SELECT 1 + 1 AS two');
        expect(one[0]?.two).toBe(2);
        // (Without a default database: checking one at login reads the catalog from storage.)
        const other = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
        const [version] = await other.query<RowDataPacket[]>('SELECT VERSION() AS v');
        expect(String(version[0]?.v)).toMatch(/^8\./);
        await other.end();
      }
      proxy.heal();
      expect(await ids(), `after the outage that began after ${after} requests`).toEqual([...committed].sort((a, b) => a - b));
    }
    expect(failures).toBeGreaterThan(0);
    expect(server.child.exitCode).toBeNull();

    // Some outage began after the statement's data file reached the bucket but before its
    // commit: that file is in the bucket, yet none of its rows is visible.
    const newFiles = [...(await dataFiles())].filter((k) => !filesBefore.has(k));
    expect(newFiles.length).toBeGreaterThan(successes);

    // Healed: writes and reads work as before.
    await conn.query('INSERT INTO items VALUES (999, ?)', ['healed']);
    committed.push(999);
    expect(await ids()).toEqual([...committed].sort((a, b) => a - b));
    const [count] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM items');
    expect(Number(count[0]?.n)).toBe(committed.length);
  });
});
