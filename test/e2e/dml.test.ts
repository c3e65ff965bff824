// UPDATE, DELETE, TRUNCATE and key enforcement through mysql2 on the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

async function failure(p: Promise<unknown>): Promise<{ errno?: number; sqlState?: string; message?: string }> {
  return p.then(
    () => {
      throw new Error('the statement should have failed');
    },
    (e: unknown) => e as { errno?: number; sqlState?: string; message?: string },
  );
}

describe.each(warehouseKinds('dml e2e'))('DML against a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let c: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [r] = await c.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return r as unknown as unknown[][];
  };

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', multipleStatements: true });
    await c.query('CREATE DATABASE d; USE d');
  });
  afterAll(async () => {
    await c?.end();
    await server?.stop();
    await warehouse?.remove();
  });

  it('deletes exactly the matching rows, across files, and keeps the rest', async () => {
    await c.query('CREATE TABLE t (id INT PRIMARY KEY, grp VARCHAR(5), v INT)');
    await c.query("INSERT INTO t VALUES (1,'a',10),(2,'b',20),(3,'a',30)");
    await c.query("INSERT INTO t VALUES (4,'b',40),(5,'a',50)");
    await c.query("INSERT INTO t VALUES (6,'c',60)");
    const [res] = await c.query<ResultSetHeader>("DELETE FROM t WHERE grp = 'A'");
    expect(res.affectedRows).toBe(3);
    expect(await rows('SELECT id FROM t ORDER BY id')).toEqual([[2], [4], [6]]);
    const [none] = await c.query<ResultSetHeader>('DELETE FROM t WHERE id > 100');
    expect(none.affectedRows).toBe(0);
  });

  it('honours ORDER BY ... LIMIT in DELETE and UPDATE', async () => {
    await c.query('CREATE TABLE q (id INT, v INT)');
    await c.query('INSERT INTO q VALUES (1, 5), (2, 3), (3, 9), (4, 1)');
    const [d] = await c.query<ResultSetHeader>('DELETE FROM q ORDER BY v DESC LIMIT 2');
    expect(d.affectedRows).toBe(2);
    expect(await rows('SELECT id FROM q ORDER BY id')).toEqual([[2], [4]]);
    await c.query('UPDATE q SET v = v * 100 ORDER BY id LIMIT 1');
    expect(await rows('SELECT id, v FROM q ORDER BY id')).toEqual([
      [2, 300],
      [4, 1],
    ]);
  });

  it('updates with expressions and reports matched and changed rows', async () => {
    await c.query('CREATE TABLE u (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL, n INT DEFAULT 7)');
    await c.query("INSERT INTO u VALUES (1,'x',1),(2,'y',2),(3,'z',3)");
    const [res] = await c.query<ResultSetHeader>('UPDATE u SET n = n + 10 WHERE id >= 2');
    // mysql2 asks for CLIENT_FOUND_ROWS: affected rows are the matched rows.
    expect(res.affectedRows).toBe(2);
    expect(res.changedRows).toBe(2);
    const [same] = await c.query<ResultSetHeader>("UPDATE u SET name = 'x' WHERE id = 1");
    expect(same.affectedRows).toBe(1);
    expect(same.changedRows).toBe(0);
    await c.query('UPDATE u SET n = DEFAULT WHERE id = 3');
    expect(await rows('SELECT id, name, n FROM u ORDER BY id')).toEqual([
      [1, 'x', 1],
      [2, 'y', 12],
      [3, 'z', 7],
    ]);
  });

  it('refuses an UPDATE that breaks NOT NULL or a key, changing nothing', async () => {
    expect(await failure(c.query('UPDATE u SET name = NULL WHERE id = 2'))).toMatchObject({ errno: 1048, sqlState: '23000' });
    const dup = await failure(c.query('UPDATE u SET id = 1 WHERE id = 2'));
    expect(dup).toMatchObject({ errno: 1062, sqlState: '23000' });
    expect(dup.message).toBe("Duplicate entry '1' for key 'u.PRIMARY'");
    expect(await rows('SELECT id, name, n FROM u ORDER BY id')).toEqual([
      [1, 'x', 1],
      [2, 'y', 12],
      [3, 'z', 7],
    ]);
  });

  it('enforces PRIMARY KEY and UNIQUE on INSERT, case-insensitively, with NULLs allowed', async () => {
    await c.query('CREATE TABLE k (id INT PRIMARY KEY, email VARCHAR(40), UNIQUE KEY uq_email (email))');
    await c.query("INSERT INTO k VALUES (1, 'a@x.org'), (2, NULL), (3, NULL)");
    const pk = await failure(c.query("INSERT INTO k VALUES (1, 'b@x.org')"));
    expect(pk).toMatchObject({ errno: 1062, message: "Duplicate entry '1' for key 'k.PRIMARY'" });
    const uq = await failure(c.query("INSERT INTO k VALUES (4, 'A@X.ORG')"));
    expect(uq).toMatchObject({ errno: 1062, message: "Duplicate entry 'A@X.ORG' for key 'k.uq_email'" });
    const inBatch = await failure(c.query("INSERT INTO k VALUES (5, 'c@x.org'), (5, 'd@x.org')"));
    expect(inBatch).toMatchObject({ errno: 1062 });
    expect(await rows('SELECT count(*) FROM k')).toEqual([[3]]);
  });

  it('supports INSERT IGNORE, REPLACE and ON DUPLICATE KEY UPDATE', async () => {
    const [ign] = await c.query<ResultSetHeader>("INSERT IGNORE INTO k VALUES (1, 'dup@x.org'), (6, 'new@x.org')");
    expect(ign.affectedRows).toBe(1);
    const [warnings] = await c.query<RowDataPacket[]>('SHOW WARNINGS');
    expect(warnings).toEqual([{ Level: 'Warning', Code: 1062, Message: "Duplicate entry '1' for key 'k.PRIMARY'" }]);

    const [rep] = await c.query<ResultSetHeader>("REPLACE INTO k VALUES (6, 'six@x.org')");
    expect(rep.affectedRows).toBe(2);
    const [repNew] = await c.query<ResultSetHeader>("REPLACE INTO k VALUES (7, 'seven@x.org')");
    expect(repNew.affectedRows).toBe(1);

    await c.query('CREATE TABLE counters (name VARCHAR(10) PRIMARY KEY, hits INT NOT NULL)');
    await c.query("INSERT INTO counters VALUES ('home', 1)");
    const [up] = await c.query<ResultSetHeader>(
      "INSERT INTO counters VALUES ('home', 5), ('about', 1) ON DUPLICATE KEY UPDATE hits = hits + VALUES(hits)",
    );
    // 2 for the updated row, 1 for the inserted one.
    expect(up.affectedRows).toBe(3);
    const [noop] = await c.query<ResultSetHeader>("INSERT INTO counters VALUES ('about', 9) ON DUPLICATE KEY UPDATE hits = hits");
    expect(noop.affectedRows).toBe(0);
    expect(await rows('SELECT name, hits FROM counters ORDER BY name')).toEqual([
      ['about', 1],
      ['home', 6],
    ]);
    expect(await rows('SELECT id, email FROM k ORDER BY id')).toEqual([
      [1, 'a@x.org'],
      [2, null],
      [3, null],
      [6, 'six@x.org'],
      [7, 'seven@x.org'],
    ]);
  });

  it('truncates a table and restarts AUTO_INCREMENT', async () => {
    await c.query('CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
    await c.query('INSERT INTO a (v) VALUES (1), (2), (3)');
    await c.query('TRUNCATE TABLE a');
    expect(await rows('SELECT count(*) FROM a')).toEqual([[0]]);
    const [res] = await c.query<ResultSetHeader>('INSERT INTO a (v) VALUES (9)');
    expect(res.insertId).toBe(1);
  });

  it('creates tables AS SELECT (atomically) and LIKE another', async () => {
    const [res] = await c.query<ResultSetHeader>('CREATE TABLE hits AS SELECT name, hits * 2 AS doubled FROM counters WHERE hits > 0');
    expect(res.affectedRows).toBe(2);
    expect(await rows('SELECT name, doubled FROM hits ORDER BY name')).toEqual([
      ['about', 2],
      ['home', 12],
    ]);
    const [cols] = await c.query<RowDataPacket[]>('SHOW COLUMNS FROM hits');
    expect(cols.map((r) => [r.Field, r.Type])).toEqual([
      ['name', 'longtext'],
      ['doubled', 'int'],
    ]);
    // A failing SELECT leaves no table behind.
    await expect(c.query('CREATE TABLE broken AS SELECT 1 / nope FROM counters')).rejects.toMatchObject({ errno: 1054 });
    await expect(c.query('SELECT * FROM broken')).rejects.toMatchObject({ errno: 1146 });

    // An existing table gets a note and none of the rows.
    await c.query('CREATE TABLE IF NOT EXISTS hits AS SELECT name, hits AS doubled FROM counters');
    const [notes] = await c.query<RowDataPacket[]>('SHOW WARNINGS');
    expect(notes).toEqual([{ Level: 'Note', Code: 1050, Message: "Table 'hits' already exists" }]);
    expect(await rows('SELECT count(*) FROM hits')).toEqual([[2]]);

    await c.query('CREATE TABLE k2 LIKE k');
    expect(await rows('SELECT count(*) FROM k2')).toEqual([[0]]);
    await c.query("INSERT INTO k2 VALUES (1, 'a@x.org')");
    expect((await failure(c.query("INSERT INTO k2 VALUES (2, 'A@x.org')"))).errno).toBe(1062);
  });
});
