// Reading a table as it was (AT (TIMESTAMP => ...), FOR SYSTEM_TIME AS OF, AT
// (SNAPSHOT => <commit seq>)), FLASHBACK, and UNDROP, through mysql2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

/** Now, as the DATETIME text time travel takes (UTC), strictly after every commit so far. */
async function instant(): Promise<string> {
  await new Promise((r) => setTimeout(r, 15));
  const t = new Date().toISOString().replace('T', ' ').replace('Z', '');
  await new Promise((r) => setTimeout(r, 15));
  return t;
}

describe.each(warehouseKinds('time travel e2e'))('time travel on a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let c: Connection;
  const ids = async (sql: string): Promise<number[]> => {
    const [rows] = await c.query<RowDataPacket[]>(sql);
    return rows.map((r) => Number(r.id));
  };
  const times: Record<string, string> = {};

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await c.query('CREATE DATABASE tt');
    await c.query('USE tt');
    times.beforeTable = await instant();
    await c.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))');
    await c.query("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    times.full = await instant();
    await c.query('DELETE FROM t WHERE id = 2');
    times.deleted = await instant();
    await c.query("UPDATE t SET v = 'C' WHERE id = 3");
  });
  afterAll(async () => {
    await c?.end();
    await server?.stop();
    await warehouse?.remove();
  });

  it('reads every earlier state by time, in both syntaxes', async () => {
    expect(await ids('SELECT id FROM t ORDER BY id')).toEqual([1, 3]);
    expect(await ids(`SELECT id FROM t AT (TIMESTAMP => '${times.full}') ORDER BY id`)).toEqual([1, 2, 3]);
    expect(await ids(`SELECT id FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '${times.full}' ORDER BY id`)).toEqual([1, 2, 3]);
    const [v] = await c.query<RowDataPacket[]>(`SELECT v FROM t AT (TIMESTAMP => '${times.deleted}') WHERE id = 3`);
    expect(v[0]?.v).toBe('c');
  });

  it('answers "which rows did that DELETE remove" by joining the table with its past', async () => {
    const gone = await ids(`SELECT past.id FROM t AT (TIMESTAMP => '${times.full}') AS past LEFT JOIN t AS now ON now.id = past.id WHERE now.id IS NULL`);
    expect(gone).toEqual([2]);
  });

  it('undeletes rows by inserting them from an earlier state', async () => {
    const [res] = await c.query<mysql.ResultSetHeader>(`INSERT INTO t SELECT * FROM t AT (TIMESTAMP => '${times.full}') WHERE id = 2`);
    expect(res.affectedRows).toBe(1);
    expect(await ids('SELECT id FROM t ORDER BY id')).toEqual([1, 2, 3]);
  });

  it('reads by snapshot (the commit sequence number of the database)', async () => {
    // Commit 1 of the database created the table, empty.
    const [first] = await c.query<RowDataPacket[]>("SELECT count(*) AS n FROM t AT (SNAPSHOT => '1')");
    expect(Number(first[0]?.n)).toBe(0);
    expect(await ids("SELECT id FROM t AT (SNAPSHOT => '2') ORDER BY id")).toEqual([1, 2, 3]);
    await expect(c.query("SELECT * FROM t AT (SNAPSHOT => '999')")).rejects.toMatchObject({ errno: 1210 });
    await expect(c.query("SELECT * FROM t AT (SNAPSHOT => 'abc')")).rejects.toMatchObject({ errno: 1210 });
  });

  it('UNDELETE re-inserts exactly the rows that existed then and are missing now', async () => {
    await c.query('CREATE TABLE ud (id INT, v VARCHAR(5))');
    await c.query("INSERT INTO ud VALUES (1, 'a'), (2, 'b'), (2, 'b'), (3, 'c'), (4, 'd')");
    const before = await instant();
    await c.query('DELETE FROM ud WHERE id IN (2, 3, 4)');
    await c.query("INSERT INTO ud VALUES (4, 'd')");
    // Only id 2 and 3 asked for; both copies of (2, 'b') come back, (4, 'd') is not duplicated.
    const [res] = await c.query<mysql.ResultSetHeader>(`UNDELETE FROM ud WHERE id <= 3 AT (TIMESTAMP => '${before}')`);
    expect(res.affectedRows).toBe(3);
    const [rows] = await c.query<RowDataPacket[]>('SELECT id, v FROM ud ORDER BY id, v');
    expect(rows.map((r) => [r.id, r.v])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ]);
    // Run again, it finds nothing missing.
    const [again] = await c.query<mysql.ResultSetHeader>(`UNDELETE FROM ud AT (TIMESTAMP => '${before}')`);
    expect(again.affectedRows).toBe(0);
  });

  it("lists a table's history with fuse_snapshot, whose ids AT (SNAPSHOT => ...) reads", async () => {
    await c.query('CREATE TABLE h (id INT PRIMARY KEY, v INT)');
    await c.query('INSERT INTO h VALUES (1, 1), (2, 2), (3, 3)');
    await c.query('DELETE FROM h WHERE id = 2');
    await c.query('UPDATE h SET v = 30 WHERE id = 3');
    const [history] = await c.query<RowDataPacket[]>("SELECT snapshot_id, operation, user, rows_added, rows_removed, row_count FROM fuse_snapshot('tt', 'h')");
    expect(history.map((r) => [r.operation, r.user, Number(r.rows_added), Number(r.rows_removed), Number(r.row_count)])).toEqual([
      ['UPDATE', 'root', 2, 2, 2],
      ['DELETE', 'root', 2, 3, 2],
      ['INSERT', 'root', 3, 0, 3],
      ['CREATE TABLE', 'root', 0, 0, 0],
    ]);
    // Which rows did the DELETE remove: the state before it, minus the state after it.
    const del = history[1];
    const before = String(history[2]?.snapshot_id);
    const removed = await ids(
      `SELECT b.id FROM h AT (SNAPSHOT => '${before}') AS b LEFT JOIN h AT (SNAPSHOT => '${String(del?.snapshot_id)}') AS a ON a.id = b.id WHERE a.id IS NULL`,
    );
    expect(removed).toEqual([2]);
    const [latest] = await c.query<RowDataPacket[]>("SELECT snapshot_id FROM fuse_snapshot('tt', 'h') ORDER BY timestamp DESC LIMIT 1");
    expect(latest[0]?.snapshot_id).toBe(history[0]?.snapshot_id);
    await expect(c.query("SELECT * FROM fuse_snapshot('tt')")).rejects.toMatchObject({ errno: 1582 });
    await expect(c.query("SELECT * FROM fuse_snapshot('tt', 'nope')")).rejects.toMatchObject({ errno: 1146 });
    await expect(c.query("SELECT * FROM no_such_function('x')")).rejects.toMatchObject({ errno: 1305 });
  });

  it('refuses a time before the table existed, clearly', async () => {
    const err = await c.query(`SELECT * FROM t AT (TIMESTAMP => '${times.beforeTable}')`).catch((e: unknown) => e as { errno?: number; message?: string });
    expect(err).toMatchObject({ errno: 1146, message: `Table 'tt.t' did not exist at '${times.beforeTable}'` });
    await expect(c.query("SELECT * FROM t AT (TIMESTAMP => 'yesterday')")).rejects.toMatchObject({ errno: 1292 });
  });

  it('follows the table, not its name: a table created again under the name has its own history', async () => {
    await c.query('DROP TABLE t');
    await c.query('CREATE TABLE t (id INT)');
    await expect(c.query(`SELECT * FROM t AT (TIMESTAMP => '${times.full}')`)).rejects.toMatchObject({ errno: 1146 });
  });

  it('flashes a table back in one commit, keeping the states in between', async () => {
    await c.query('CREATE TABLE f (id INT PRIMARY KEY, v INT)');
    await c.query('INSERT INTO f VALUES (1, 10), (2, 20)');
    const good = await instant();
    await c.query('DELETE FROM f WHERE id = 1');
    await c.query('UPDATE f SET v = 99');
    await c.query('ALTER TABLE f ADD COLUMN extra INT DEFAULT 5');
    const bad = await instant();
    await c.query(`ALTER TABLE f FLASHBACK TO (TIMESTAMP => '${good}')`);
    const [rows] = await c.query<RowDataPacket[]>('SELECT * FROM f ORDER BY id');
    expect(rows).toEqual([
      { id: 1, v: 10 },
      { id: 2, v: 20 },
    ]);
    // The mistaken state is still there to read.
    const [then] = await c.query<RowDataPacket[]>(`SELECT id, v, extra FROM f AT (TIMESTAMP => '${bad}')`);
    expect(then).toEqual([{ id: 2, v: 99, extra: 5 }]);
    // Keys still hold after the flashback.
    await expect(c.query('INSERT INTO f VALUES (1, 0)')).rejects.toMatchObject({ errno: 1062 });
  });

  it('undrops tables, under a new name when the old one was reused, and lists what can come back', async () => {
    await c.query('CREATE TABLE u (id INT PRIMARY KEY)');
    await c.query('INSERT INTO u VALUES (1), (2)');
    await c.query('DROP TABLE u');
    const [listed] = await c.query<RowDataPacket[]>("SHOW DROP TABLES LIKE 'u'");
    expect(listed.map((r) => [r.tables, r.database, r.num_rows])).toEqual([['u', 'tt', '2']]);
    await c.query('UNDROP TABLE u');
    expect(await ids('SELECT id FROM u ORDER BY id')).toEqual([1, 2]);
    // Keys still hold after the undrop.
    await expect(c.query('INSERT INTO u VALUES (1)')).rejects.toMatchObject({ errno: 1062 });

    await c.query('DROP TABLE u');
    await c.query('CREATE TABLE u (id INT)');
    await c.query('INSERT INTO u VALUES (7)');
    const err = await c.query('UNDROP TABLE u').catch((e: unknown) => e as { errno?: number; message?: string });
    expect(err).toMatchObject({ errno: 1050, message: "Table 'u' already exists: undrop it under another name with UNDROP TABLE u AS <new_name>" });
    await c.query('UNDROP TABLE u AS u_old');
    expect(await ids('SELECT id FROM u_old ORDER BY id')).toEqual([1, 2]);
    expect(await ids('SELECT id FROM u')).toEqual([7]);
    await expect(c.query('UNDROP TABLE never_dropped')).rejects.toMatchObject({ errno: 1146 });
  });

  it('undrops a database with all its tables', async () => {
    await c.query('CREATE DATABASE gone');
    await c.query('CREATE TABLE gone.a (id INT)');
    await c.query('INSERT INTO gone.a VALUES (1), (2), (3)');
    await c.query('DROP DATABASE gone');
    await expect(c.query('SELECT * FROM gone.a')).rejects.toMatchObject({ errno: 1049 });
    await c.query('UNDROP DATABASE gone');
    expect(await ids('SELECT id FROM gone.a ORDER BY id')).toEqual([1, 2, 3]);
    await expect(c.query('UNDROP DATABASE gone')).rejects.toMatchObject({ errno: 1007 });
    await expect(c.query('UNDROP DATABASE never_was')).rejects.toMatchObject({ errno: 1049 });
  });

  it('travels in time after a restart too', async () => {
    await c.query('CREATE TABLE r (id INT)');
    await c.query('INSERT INTO r VALUES (1), (2)');
    const before = await instant();
    await c.query('DELETE FROM r');
    await c.end();
    await server.stop();
    server = await warehouse.start();
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'tt' });
    expect(await ids(`SELECT id FROM r AT (TIMESTAMP => '${before}') ORDER BY id`)).toEqual([1, 2]);
    expect(await ids('SELECT id FROM r')).toEqual([]);
    // What was undropped before the restart is still there.
    expect(await ids('SELECT id FROM u_old ORDER BY id')).toEqual([1, 2]);
    expect(await ids('SELECT id FROM gone.a ORDER BY id')).toEqual([1, 2, 3]);
  });
});
