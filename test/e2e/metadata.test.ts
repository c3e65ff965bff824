// What BI tools and drivers ask about the server's objects (CLIENT-COMPAT.md,
// "What clients send first"): information_schema queries as Metabase, Grafana,
// Tableau and DBeaver send them, and the SHOW statements they run at connect time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

describe.each(warehouseKinds('metadata e2e'))('metadata against a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let conn: Connection;

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
    await conn.query('CREATE DATABASE meta');
    await conn.query('USE meta');
    await conn.query(`CREATE TABLE orders (
      id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      code VARCHAR(20) NOT NULL,
      paid TINYINT(1) DEFAULT 0,
      amount DECIMAL(10,2),
      at DATETIME(3),
      note TEXT,
      UNIQUE KEY uq_code (code),
      KEY by_at (at)
    ) COMMENT='customer orders'`);
    await conn.query('CREATE TABLE plain (a INT, b BIGINT UNSIGNED)');
    await conn.query("INSERT INTO orders (code, amount, at) VALUES ('a1', 1.50, '2024-01-01 00:00:00'), ('a2', 2.00, NULL)");
  });

  afterAll(async () => {
    await conn?.end();
    await server?.stop();
    await warehouse?.remove();
  });

  const rows = async (sql: string): Promise<RowDataPacket[]> => (await conn.query<RowDataPacket[]>(sql))[0];

  describe('information_schema', () => {
    it('lists schemas and tables with MySQL names and types (DBeaver, Grafana)', async () => {
      const schemas = await rows("SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'meta'");
      expect(schemas).toEqual([{ SCHEMA_NAME: 'meta', DEFAULT_CHARACTER_SET_NAME: 'utf8mb4' }]);
      const tables = await rows("select table_name, table_type, table_rows, table_comment from information_schema.tables where table_schema = 'meta' order by table_name");
      expect(tables.map((r) => [r.TABLE_NAME, r.TABLE_TYPE, String(r.TABLE_ROWS), r.TABLE_COMMENT])).toEqual([
        ['orders', 'BASE TABLE', '2', 'customer orders'],
        ['plain', 'BASE TABLE', '0', ''],
      ]);
    });

    it('describes columns as Metabase and Grafana read them', async () => {
      const cols = await rows(
        "SELECT column_name, column_type, data_type, column_key, extra, is_nullable, numeric_precision, numeric_scale, character_maximum_length FROM information_schema.columns WHERE table_schema = 'meta' AND table_name = 'orders' ORDER BY ordinal_position",
      );
      expect(cols.map((c) => [c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE, c.COLUMN_KEY, c.EXTRA, c.IS_NULLABLE])).toEqual([
        ['id', 'int', 'int', 'PRI', 'auto_increment', 'NO'],
        ['code', 'varchar(20)', 'varchar', 'UNI', '', 'NO'],
        ['paid', 'tinyint(1)', 'tinyint', '', '', 'YES'],
        ['amount', 'decimal(10,2)', 'decimal', '', '', 'YES'],
        ['at', 'datetime(3)', 'datetime', 'MUL', '', 'YES'],
        ['note', 'text', 'text', '', '', 'YES'],
      ]);
      const amount = cols.find((c) => c.COLUMN_NAME === 'amount');
      expect([String(amount?.NUMERIC_PRECISION), String(amount?.NUMERIC_SCALE)]).toEqual(['10', '2']);
      expect(String(cols.find((c) => c.COLUMN_NAME === 'code')?.CHARACTER_MAXIMUM_LENGTH)).toBe('20');
      // Grafana filters by lower-case data_type names.
      const numeric = await rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'meta' AND data_type IN ('int', 'bigint', 'decimal') ORDER BY table_name, ordinal_position");
      expect(numeric.map((r) => r.COLUMN_NAME)).toEqual(['id', 'amount', 'a', 'b']);
    });

    it('joins key_column_usage to table_constraints (Metabase) and to referential_constraints (Tableau)', async () => {
      const keys = await rows(`SELECT kcu.column_name, tc.constraint_type
        FROM information_schema.key_column_usage kcu
        JOIN information_schema.table_constraints tc
          ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema AND tc.table_name = kcu.table_name
        WHERE kcu.table_schema = 'meta' AND kcu.table_name = 'orders' ORDER BY kcu.column_name`);
      expect(keys.map((k) => [k.COLUMN_NAME, k.CONSTRAINT_TYPE])).toEqual([
        ['code', 'UNIQUE'],
        ['id', 'PRIMARY KEY'],
      ]);
      const fks = await rows(`SELECT A.COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE A
        JOIN information_schema.REFERENTIAL_CONSTRAINTS B ON A.CONSTRAINT_NAME = B.CONSTRAINT_NAME AND A.CONSTRAINT_SCHEMA = B.CONSTRAINT_SCHEMA
        WHERE A.TABLE_SCHEMA = 'meta'`);
      expect(fks).toEqual([]);
    });

    it('lists index columns in STATISTICS and aggregates over it', async () => {
      const stats = await rows("SELECT index_name, count(*) AS n, min(non_unique) AS nu FROM information_schema.statistics WHERE table_schema = 'meta' GROUP BY index_name ORDER BY index_name");
      expect(stats.map((s) => [s.index_name ?? s.INDEX_NAME, String(s.n), String(s.nu)])).toEqual([
        ['by_at', '1', '1'],
        ['PRIMARY', '1', '0'],
        ['uq_code', '1', '0'],
      ]);
    });

    it('answers for the server-wide tables and rejects unknown ones with 1109', async () => {
      const coll = await rows('SELECT COLLATION_NAME FROM information_schema.COLLATIONS WHERE ID IN (33, 45, 63, 224, 255) ORDER BY ID');
      expect(coll.map((c) => c.COLLATION_NAME)).toEqual(['utf8mb3_general_ci', 'utf8mb4_general_ci', 'binary', 'utf8mb4_unicode_ci', 'utf8mb4_0900_ai_ci']);
      const [id] = await rows('SELECT CONNECTION_ID() AS id');
      const procs = await rows('SELECT ID, USER, DB, COMMAND FROM information_schema.PROCESSLIST');
      expect(procs.map((p) => [String(p.ID), p.USER, p.DB, p.COMMAND])).toContainEqual([String(id?.id), 'root', 'meta', 'Query']);
      expect(await rows('SELECT * FROM information_schema.ROUTINES')).toEqual([]);
      const err = await conn.query('SELECT * FROM information_schema.nothing_here').then(
        () => undefined,
        (e: unknown) => e as { errno?: number },
      );
      expect(err?.errno).toBe(1109);
    });

    it('can be the current database (USE information_schema), read-only even for root', async () => {
      const browse = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'information_schema' });
      try {
        const [[current]] = await browse.query<RowDataPacket[]>('SELECT DATABASE() AS db');
        expect(current?.db).toBe('information_schema');
        const [listed] = await browse.query<RowDataPacket[]>("SHOW FULL TABLES LIKE 'S%'");
        expect(listed.map((r) => Object.values(r))).toEqual([
          ['SCHEMATA', 'SYSTEM VIEW'],
          ['SCHEMA_PRIVILEGES', 'SYSTEM VIEW'],
          ['STATISTICS', 'SYSTEM VIEW'],
        ]);
        const [tables] = await browse.query<RowDataPacket[]>("SELECT table_name FROM tables WHERE table_schema = 'meta' ORDER BY 1");
        expect(tables.map((r) => r.TABLE_NAME)).toEqual(['orders', 'plain']);
        const [columns] = await browse.query<RowDataPacket[]>('SHOW COLUMNS FROM ENGINES');
        expect(columns.map((c) => c.Field)).toEqual(['ENGINE', 'SUPPORT', 'COMMENT', 'TRANSACTIONS', 'XA', 'SAVEPOINTS']);
        for (const sql of ['CREATE TABLE t (a INT)', 'DELETE FROM tables', 'DROP DATABASE information_schema']) {
          const failed = await browse.query(sql).then(
            () => undefined,
            (e: unknown) => e as { errno?: number },
          );
          expect(failed?.errno, sql).toBe(1044);
        }
        await browse.query('USE meta');
        const [[back]] = await browse.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM orders');
        expect(String(back?.n)).toBe('2');
      } finally {
        await browse.end();
      }
    });
  });

  describe('SHOW', () => {
    it('SHOW FULL TABLES FROM db has Table_type (SQLAlchemy)', async () => {
      const [r, fields] = await conn.query<RowDataPacket[]>('SHOW FULL TABLES FROM meta');
      expect(fields.map((f: FieldPacket) => f.name)).toEqual(['Tables_in_meta', 'Table_type']);
      expect(r.map((x) => x.Table_type)).toEqual(['BASE TABLE', 'BASE TABLE']);
    });

    it('SHOW KEYS returns 15 columns, also for a table without keys (ODBC)', async () => {
      const [r, fields] = await conn.query<RowDataPacket[]>('SHOW KEYS FROM orders');
      expect(fields).toHaveLength(15);
      expect(r.map((x) => [x.Key_name, x.Column_name, String(x.Non_unique)])).toEqual([
        ['PRIMARY', 'id', '0'],
        ['uq_code', 'code', '0'],
        ['by_at', 'at', '1'],
      ]);
      const [none, noneFields] = await conn.query<RowDataPacket[]>('SHOW INDEX FROM plain');
      expect(none).toEqual([]);
      expect(noneFields.map((f: FieldPacket) => f.name)).toEqual(['Table', 'Non_unique', 'Key_name', 'Seq_in_index', 'Column_name', 'Collation', 'Cardinality', 'Sub_part', 'Packed', 'Null', 'Index_type', 'Comment', 'Index_comment', 'Visible', 'Expression']);
    });

    it('SHOW TABLE STATUS, ENGINES, CHARSET, COLLATION (DBeaver, Connector/NET)', async () => {
      const status = await rows("SHOW TABLE STATUS LIKE 'ord%'");
      expect(status.map((s) => [s.Name, String(s.Rows), String(s.Auto_increment), s.Comment])).toEqual([['orders', '2', '3', 'customer orders']]);
      const engines = await rows('SHOW ENGINES');
      expect(engines.find((e) => e.Support === 'DEFAULT')?.Engine).toBe('DUCKSAFE');
      const charsets = await rows("SHOW CHARSET LIKE 'utf8mb4'");
      expect(charsets.map((c) => [c.Charset, c['Default collation'], String(c.Maxlen)])).toEqual([['utf8mb4', 'utf8mb4_0900_ai_ci', '4']]);
      const ids = (await rows('SHOW COLLATION')).map((c) => Number(c.Id));
      // Every collation a result can carry: binary and what clients ask for at login.
      for (const id of [8, 33, 45, 46, 63, 83, 224, 255]) expect(ids).toContain(id);
    });

    it('SHOW PROCESSLIST, SHOW STATUS, SHOW GRANTS FOR CURRENT_USER() (Metabase)', async () => {
      const procs = await rows('SHOW PROCESSLIST');
      expect(procs.some((p) => p.Info === 'SHOW PROCESSLIST' && p.Command === 'Query')).toBe(true);
      const status = await rows("SHOW GLOBAL STATUS LIKE 'Threads_connected'");
      expect(Number(status[0]?.Value)).toBeGreaterThanOrEqual(1);
      const [grants, fields] = await conn.query<RowDataPacket[]>('SHOW GRANTS FOR CURRENT_USER()');
      expect(fields.map((f: FieldPacket) => f.name)).toEqual(['Grants for root@%']);
      expect(Object.values(grants[0] ?? {})).toEqual(['GRANT ALL PRIVILEGES ON *.* TO `root`@`%` WITH GRANT OPTION']);
    });

    it('names the column of SHOW DATABASES LIKE after the pattern', async () => {
      const [r, fields] = await conn.query<RowDataPacket[]>("SHOW DATABASES LIKE 'me%'");
      expect(fields.map((f: FieldPacket) => f.name)).toEqual(['Database (me%)']);
      expect(r.map((x) => Object.values(x)[0])).toEqual(['meta']);
    });

    it('KILL QUERY of an unknown id answers 1094', async () => {
      const err = await conn.query('KILL QUERY 999999').then(
        () => undefined,
        (e: unknown) => e as { errno?: number },
      );
      expect(err?.errno).toBe(1094);
    });

    it('KILL QUERY interrupts a running statement (1317) and keeps the connection; KILL closes it', async () => {
      const victim = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
      const [[row]] = await victim.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
      const id = String(row?.id);
      // Seven-way cross join of a 26-row table: minutes of work unless interrupted.
      const c = (n: string): string => `information_schema.COLLATIONS ${n}`;
      const heavy = `SELECT COUNT(*) FROM ${['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(c).join(', ')} WHERE a.ID + b.ID + c.ID + d.ID + e.ID + f.ID + g.ID > 0`;
      const running = victim.query(heavy).then(
        () => undefined,
        (e: unknown) => e as { errno?: number; sqlState?: string },
      );
      // It shows in the process list for as long as it runs, its rows included.
      let seen = 0;
      for (let i = 0; i < 600 && seen < 3; i++) {
        const procs = await rows(`SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ${id}`);
        if (String(procs[0]?.INFO ?? '').startsWith('SELECT COUNT')) seen++;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen).toBe(3);
      await conn.query(`KILL QUERY ${id}`);
      expect(await running).toMatchObject({ errno: 1317, sqlState: '70100' });
      const [[alive]] = await victim.query<RowDataPacket[]>('SELECT 1 AS one');
      expect(alive?.one).toBe(1);
      await conn.query(`KILL ${id}`);
      await expect(victim.query('SELECT 1')).rejects.toBeTruthy();
      victim.destroy();
      const left = await rows(`SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ${id}`);
      expect(left).toEqual([]);
    });
  });
});
