// External tables ([E]) through mysql2: a table whose commit log and data files live at a
// location of its own (a directory, or an S3 bucket reached with its own credentials)
// behaves like any other table, and its credentials are never shown or logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { listAll } from '../../src/storage/object-store.js';
import { createExternalLocation, type ExternalLocation } from '../helpers/external-locations.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

describe.each(warehouseKinds('external tables e2e'))('external tables with a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let location: ExternalLocation;
  let server: ServerProcess;
  let c: Connection;
  const connect = (): Promise<Connection> => mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'ext' });
  const column = async (sql: string, name = 'a'): Promise<unknown[]> => {
    const [rows] = await c.query<RowDataPacket[]>(sql);
    return rows.map((r) => r[name] as unknown);
  };

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    location = await createExternalLocation(kind);
    server = await warehouse.start();
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await c.query('CREATE DATABASE ext');
    await c.query('USE ext');
    await c.query(`CREATE TABLE t (a INT PRIMARY KEY, b VARCHAR(10)) ${location.sql}`);
  });
  afterAll(async () => {
    await c?.end();
    await server?.stop();
    await warehouse?.remove();
    await location?.remove();
  });

  it('keeps its commit log and data files at its location, and reads and writes like any table', async () => {
    await c.query("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    await c.query("UPDATE t SET b = 'TWO' WHERE a = 2");
    await c.query('DELETE FROM t WHERE a = 3');
    await c.query("INSERT INTO t VALUES (4, 'four') ON DUPLICATE KEY UPDATE b = 'x'");
    expect(await column('SELECT a, b FROM t ORDER BY a', 'b')).toEqual(['one', 'TWO', 'four']);
    await expect(c.query("INSERT INTO t VALUES (1, 'again')")).rejects.toMatchObject({ errno: 1062 });

    const store = await location.openStore();
    const stored: string[] = [];
    for await (const m of listAll(store, '')) stored.push(m.key);
    await store.close();
    expect(stored.some((k) => /^db\/[\w-]+\/_log\/\d{20}\.json$/.test(k))).toBe(true);
    expect(stored.some((k) => k.endsWith('.parquet'))).toBe(true);
  });

  it('travels in time over its own log', async () => {
    const [history] = await c.query<RowDataPacket[]>("SELECT snapshot_id, operation FROM fuse_snapshot('ext', 't')");
    expect(history.map((h) => h.operation)).toEqual(['INSERT', 'DELETE', 'UPDATE', 'INSERT', 'CREATE TABLE']);
    const afterFirstInsert = String(history[3]?.snapshot_id);
    expect(await column(`SELECT a FROM t AT (SNAPSHOT => '${afterFirstInsert}') ORDER BY a`)).toEqual([1, 2, 3]);
  });

  it('shows its location and never its credentials, in SHOW CREATE TABLE and in the log', async () => {
    const [rows] = await c.query<RowDataPacket[]>('SHOW CREATE TABLE t');
    const text = String(rows[0]?.['Create Table']);
    expect(text).toContain(`'${location.url}'`);
    // A failed statement is logged with its text; the credentials in it are not.
    await expect(c.query(`CREATE TABLE t (a INT) ${location.sql}`)).rejects.toMatchObject({ errno: 1050 });
    if (kind === 's3') {
      expect(text).toContain("secret_access_key = '******'");
      const secret = /secret_access_key = '([^']+)'/.exec(location.sql)?.[1] ?? '';
      expect(secret).not.toBe('');
      expect(text).not.toContain(secret);
      expect(JSON.stringify(server.logs)).not.toContain(secret);
    }
  });

  it('is dropped, listed as dropped, and undropped with its rows', async () => {
    await c.query('DROP TABLE t');
    expect(await column('SHOW TABLES', 'Tables_in_ext')).toEqual([]);
    expect(await column('SHOW DROP TABLES', 'tables')).toEqual(['t']);
    await expect(c.query('SELECT * FROM t')).rejects.toMatchObject({ errno: 1146 });
    await c.query('UNDROP TABLE t');
    expect(await column('SELECT a FROM t ORDER BY a')).toEqual([1, 2, 4]);
  });

  it('is renamed and altered, and its name is unique among all tables of the database', async () => {
    await c.query('CREATE TABLE local_t (a INT)');
    await expect(c.query('ALTER TABLE t RENAME TO local_t')).rejects.toMatchObject({ errno: 1050 });
    await expect(c.query('RENAME TABLE local_t TO t')).rejects.toMatchObject({ errno: 1050 });
    await c.query('RENAME TABLE t TO t2');
    await c.query('ALTER TABLE t2 ADD COLUMN c INT DEFAULT 7, RENAME TO t');
    expect(await column('SELECT c FROM t WHERE a = 1', 'c')).toEqual([7]);
    expect(await column('SHOW TABLES', 'Tables_in_ext')).toEqual(['local_t', 't']);
  });

  it('takes part in transactions on its own, not together with tables of another log', async () => {
    await c.query('BEGIN');
    await c.query("INSERT INTO t (a, b) VALUES (10, 'ten')");
    expect(await column('SELECT count(*) AS n FROM t', 'n')).toEqual([4]);
    await expect(c.query('INSERT INTO local_t VALUES (1)')).rejects.toMatchObject({ errno: 1235 });
    await c.query('COMMIT');
    expect(await column('SELECT a FROM t WHERE a = 10')).toEqual([10]);
  });

  it('is still there for a new server', async () => {
    await c.end();
    await server.stop();
    server = await warehouse.start();
    c = await connect();
    expect(await column('SELECT a FROM t ORDER BY a')).toEqual([1, 2, 4, 10]);
  });
});
