// Views: CREATE [OR REPLACE] VIEW, reading them (joined, nested, renamed
// columns), SHOW CREATE VIEW, listing, DROP VIEW, and their durability across a
// restart (they live in the database's commit log).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

async function errnoOf(p: Promise<unknown>): Promise<number | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (e as { errno?: number }).errno,
  );
}

describe.each(warehouseKinds('views e2e'))('views on a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let conn: Connection;

  const connect = (): Promise<Connection> => mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'vw', supportBigNumbers: true, bigNumberStrings: true });
  const rows = async (sql: string): Promise<RowDataPacket[]> => (await conn.query<RowDataPacket[]>(sql))[0];

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    const setup = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await setup.query('CREATE DATABASE vw');
    await setup.end();
    conn = await connect();
    await conn.query('CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(6,2))');
    await conn.query('CREATE TABLE sales (item_id INT, qty INT)');
    await conn.query("INSERT INTO items VALUES (1, 'apple', 0.50), (2, 'pear', 0.75), (3, 'fig', 2.00)");
    await conn.query('INSERT INTO sales VALUES (1, 3), (1, 2), (3, 1)');
  });

  afterAll(async () => {
    await conn?.end();
    await server?.stop();
    await warehouse?.remove();
  });

  it('reads a view like a table: filtered, joined, nested, with renamed columns', async () => {
    await conn.query('CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 1');
    await conn.query('CREATE VIEW totals (item, sold) AS SELECT item_id, SUM(qty) FROM sales GROUP BY item_id');
    await conn.query('CREATE VIEW cheap_totals AS SELECT c.name, t.sold FROM cheap c JOIN totals t ON t.item = c.id');
    expect(await rows('SELECT name FROM cheap ORDER BY id')).toEqual([{ name: 'apple' }, { name: 'pear' }]);
    expect(await rows('SELECT item, sold FROM totals WHERE sold > 1')).toEqual([{ item: 1, sold: '5' }]);
    expect(await rows('SELECT * FROM cheap_totals')).toEqual([{ name: 'apple', sold: '5' }]);
    expect(await rows('SELECT i.name FROM items i JOIN vw.totals t ON t.item = i.id ORDER BY i.name')).toEqual([{ name: 'apple' }, { name: 'fig' }]);
    // A view reads the current data, not a copy.
    await conn.query('INSERT INTO sales VALUES (2, 4)');
    expect(await rows('SELECT name, sold FROM cheap_totals ORDER BY name')).toEqual([
      { name: 'apple', sold: '5' },
      { name: 'pear', sold: '4' },
    ]);
  });

  it('lists views in SHOW FULL TABLES and information_schema, and shows their definition', async () => {
    const listed = await rows("SHOW FULL TABLES WHERE Table_type = 'VIEW'");
    expect(listed.map((r) => Object.values(r))).toEqual([
      ['cheap', 'VIEW'],
      ['cheap_totals', 'VIEW'],
      ['totals', 'VIEW'],
    ]);
    const tables = await rows("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'vw' AND table_type = 'VIEW' ORDER BY 1");
    expect(tables.map((r) => r.TABLE_NAME)).toEqual(['cheap', 'cheap_totals', 'totals']);
    const views = await rows("SELECT view_definition FROM information_schema.views WHERE table_name = 'cheap'");
    expect(views).toEqual([{ VIEW_DEFINITION: 'SELECT id, name FROM items WHERE price < 1' }]);
    const [created] = await rows('SHOW CREATE VIEW totals');
    expect(created?.View).toBe('totals');
    expect(created?.['Create View']).toBe('CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW `totals` (`item`,`sold`) AS SELECT item_id, SUM(qty) FROM sales GROUP BY item_id');
  });

  it('describes a view\'s columns: DESCRIBE, SHOW CREATE TABLE and information_schema.COLUMNS', async () => {
    const described = await rows('DESCRIBE totals');
    expect(described.map((r) => [r.Field, r.Type, r.Key])).toEqual([
      ['item', 'int', ''],
      ['sold', 'decimal(38,0)', ''],
    ]);
    const [asTable] = await rows('SHOW CREATE TABLE cheap');
    expect(Object.keys(asTable ?? {})).toEqual(['View', 'Create View', 'character_set_client', 'collation_connection']);
    const cols = await rows("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'vw' AND table_name IN ('cheap', 'items') ORDER BY table_name, ordinal_position");
    expect(cols.map((c) => [c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE])).toEqual([
      ['cheap', 'id', 'int'],
      // A column read straight from a table keeps that column's type, as in MySQL.
      ['cheap', 'name', 'varchar'],
      ['items', 'id', 'int'],
      ['items', 'name', 'varchar'],
      ['items', 'price', 'decimal'],
    ]);
  });

  it('answers MySQL errors for name clashes, bad column lists, missing tables and recursion', async () => {
    expect(await errnoOf(conn.query('CREATE VIEW items AS SELECT 1'))).toBe(1050);
    expect(await errnoOf(conn.query('CREATE TABLE cheap (a INT)'))).toBe(1050);
    expect(await errnoOf(conn.query('CREATE VIEW cheap AS SELECT 1'))).toBe(1050);
    expect(await errnoOf(conn.query('CREATE VIEW bad (a) AS SELECT 1, 2'))).toBe(1353);
    expect(await errnoOf(conn.query('CREATE VIEW bad AS SELECT * FROM nowhere'))).toBe(1146);
    expect(await errnoOf(conn.query('CREATE OR REPLACE VIEW cheap AS SELECT * FROM cheap_totals'))).toBe(1462);
    expect(await errnoOf(conn.query('SHOW CREATE VIEW items'))).toBe(1347);
    expect(await errnoOf(conn.query('DROP VIEW nope'))).toBe(1051);
    // Nothing was changed by the failures.
    expect(await rows('SELECT COUNT(*) AS n FROM cheap')).toEqual([{ n: '2' }]);
  });

  it('replaces and drops views, and keeps them across a restart', async () => {
    await conn.query('CREATE OR REPLACE VIEW cheap AS SELECT id, name FROM items WHERE price < 0.6');
    await conn.query('CREATE VIEW doomed AS SELECT 1 AS one');
    await conn.query('DROP VIEW IF EXISTS doomed, never_was');
    const [warnings] = await conn.query<RowDataPacket[]>('SHOW WARNINGS');
    expect(warnings.map((w) => w.Message)).toEqual(["Unknown table 'vw.never_was'"]);
    await conn.end();
    expect(await server.stop()).toBe(0);
    server = await warehouse.start();
    conn = await connect();
    expect(await rows('SELECT name FROM cheap')).toEqual([{ name: 'apple' }]);
    expect((await rows('SHOW TABLES')).map((r) => Object.values(r)[0])).toEqual(['cheap', 'cheap_totals', 'items', 'sales', 'totals']);
  });

  it('reads a view with the sql_mode it was written under (ANSI_QUOTES, PIPES_AS_CONCAT)', async () => {
    await conn.query("SET SESSION sql_mode = 'ANSI'");
    try {
      await conn.query(`CREATE VIEW ansi_names AS SELECT "name" || '!' AS "shout" FROM items WHERE "id" = 3`);
    } finally {
      await conn.query('SET SESSION sql_mode = DEFAULT');
    }
    expect(await rows('SELECT shout FROM ansi_names')).toEqual([{ shout: 'fig!' }]);
    await conn.query('DROP VIEW ansi_names');
  });

  it('reads a view as it was: its definition then, over its tables then, in this and other databases', async () => {
    await conn.query('CREATE DATABASE vw_other');
    await conn.query('CREATE TABLE vw_other.rates (item_id INT, rate INT)');
    await conn.query('INSERT INTO vw_other.rates VALUES (1, 10)');
    await conn.query('CREATE VIEW rated AS SELECT i.name, r.rate FROM items i JOIN vw_other.rates r ON r.item_id = i.id');
    await conn.query('CREATE VIEW rated_names AS SELECT name FROM rated');
    // A commit to items after the views, so that its snapshot id (the database's commit number) sees them.
    await conn.query("INSERT INTO items VALUES (4, 'kiwi', 5.00)");
    const [[snap]] = await conn.query<RowDataPacket[]>("SELECT snapshot_id FROM fuse_snapshot('vw', 'items') LIMIT 1");
    const then = String(snap?.snapshot_id);
    // Every database's commits are far enough apart to be told apart by time.
    await new Promise((r) => setTimeout(r, 20));
    const [[clock]] = await conn.query<RowDataPacket[]>('SELECT NOW(6) AS t');
    await new Promise((r) => setTimeout(r, 20));
    await conn.query("UPDATE items SET name = 'APPLE' WHERE id = 1");
    await conn.query('INSERT INTO vw_other.rates VALUES (3, 30)');
    await conn.query('CREATE OR REPLACE VIEW rated AS SELECT name, 0 AS rate FROM items');
    expect(await rows('SELECT name, rate FROM rated ORDER BY name')).toEqual([
      { name: 'APPLE', rate: 0 },
      { name: 'fig', rate: 0 },
      { name: 'kiwi', rate: 0 },
      { name: 'pear', rate: 0 },
    ]);
    const stamp = clock?.t instanceof Date ? clock.t.toISOString().replace('T', ' ').replace('Z', '') : String(clock?.t);
    for (const at of [`AT (SNAPSHOT => '${then}')`, `AT (TIMESTAMP => '${stamp}')`, `FOR SYSTEM_TIME AS OF TIMESTAMP '${stamp}'`]) {
      expect(await rows(`SELECT name, rate FROM rated ${at} ORDER BY name`), at).toEqual([{ name: 'apple', rate: 10 }]);
      // A view read at a past point reads the views it names at that point too.
      expect(await rows(`SELECT name FROM rated_names ${at}`), at).toEqual([{ name: 'apple' }]);
    }
    // A view dropped since is still readable at a time it existed.
    await conn.query('DROP VIEW rated_names');
    expect(await rows(`SELECT name FROM rated_names AT (SNAPSHOT => '${then}')`)).toEqual([{ name: 'apple' }]);
    expect(await errnoOf(conn.query('SELECT * FROM rated_names'))).toBe(1146);
    expect(await errnoOf(conn.query("SELECT * FROM rated AT (SNAPSHOT => '999999')"))).toBe(1210);
    expect(await errnoOf(conn.query("SELECT * FROM rated AT (TIMESTAMP => '2001-01-01 00:00:00')"))).toBe(1146);
  });
});
