// The real server through the mysql2 driver: text and binary protocol, types on
// the wire, errors with their errno, multi-statements, large results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { createConnection as createCallbackConnection } from 'mysql2';
import type { Connection, RowDataPacket, ResultSetHeader } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

async function expectError(p: Promise<unknown>, errno: number, sqlState: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { errno?: number; sqlState?: string; message?: string },
  );
  expect(err, 'the statement should have failed').toBeDefined();
  expect({ errno: err?.errno, sqlState: err?.sqlState }).toEqual({ errno, sqlState });
}

describe.each(warehouseKinds('mysql2 e2e'))('mysql2 against a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let conn: Connection;

  async function connect(extra: mysql.ConnectionOptions = {}): Promise<Connection> {
    return mysql.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'root',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      decimalNumbers: false,
      ...extra,
    });
  }

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    conn = await connect();
    await conn.query('CREATE DATABASE e2e');
    await conn.query('USE e2e');
  });

  afterAll(async () => {
    await conn?.end();
    await server?.stop();
    await warehouse?.remove();
  });

  describe('character sets', () => {
    it('speaks latin1 to a client that logs in with it, and refuses character sets it cannot transcode', async () => {
      await conn.query('CREATE TABLE words (id INT PRIMARY KEY, w VARCHAR(20))');
      await conn.query("INSERT INTO words VALUES (1, 'snow ☃'), (3, '€5')");
      const latin = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'e2e', charset: 'LATIN1_SWEDISH_CI' });
      try {
        const [[vars]] = await latin.query<RowDataPacket[]>('SELECT @@character_set_client AS client, @@character_set_results AS results');
        expect(vars).toEqual({ client: 'latin1', results: 'latin1' });
        // mysql2 sends this statement in latin1 (é is the one byte E9), and decodes results by the column's charset.
        await latin.query("INSERT INTO words VALUES (2, 'café')");
        const [fields] = await latin.query<RowDataPacket[]>('SELECT w FROM words ORDER BY id');
        // ☃ has no latin1 byte: MySQL sends '?'. € is sent as 0x80, MySQL's latin1 being
        // Windows-1252; mysql2 reads latin1 as ISO-8859-1, where 0x80 is U+0080.
        expect(fields.map((r) => r.w)).toEqual(['snow ?', 'café', '\u00805']);
        const [, columns] = await latin.query<RowDataPacket[]>('SELECT w FROM words LIMIT 1');
        expect(columns[0]?.characterSet).toBe(8);
        await expect(latin.query('SET NAMES gbk')).rejects.toMatchObject({ errno: 1115 });
      } finally {
        await latin.end();
      }
      // Stored as Unicode: a UTF-8 client reads what the latin1 client wrote.
      const [rows] = await conn.query<RowDataPacket[]>('SELECT w, HEX(w) AS h FROM words WHERE id = 2');
      expect(rows).toEqual([{ w: 'café', h: Buffer.from('café', 'utf8').toString('hex').toUpperCase() }]);
    });
  });

  describe('named locks', () => {
    it('GET_LOCK waits for RELEASE_LOCK or the end of the holding connection, as migrations tools use it', async () => {
      const other = await connect();
      const one = async (c: Connection, sql: string, params?: (string | number)[]): Promise<unknown> => {
        const [rows] = await (params === undefined ? c.query<RowDataPacket[]>(sql) : c.execute<RowDataPacket[]>(sql, params));
        return Object.values(rows[0] ?? {})[0];
      };
      try {
        const [[me]] = await conn.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
        expect(await one(conn, "SELECT GET_LOCK('migrate', 5)")).toBe('1');
        expect(await one(other, "SELECT IS_USED_LOCK('MIGRATE')")).toBe(String(me?.id));
        expect(await one(other, "SELECT GET_LOCK('migrate', 0)")).toBe('0');
        // Waiting, through a prepared statement as Flyway sends it.
        const waiting = one(other, 'SELECT GET_LOCK(?, ?)', ['migrate', 30]);
        await new Promise((r) => setTimeout(r, 100));
        expect(await one(conn, "SELECT RELEASE_LOCK('migrate')")).toBe('1');
        expect(await waiting).toBe('1');
        expect(await one(conn, "SELECT RELEASE_LOCK('migrate')")).toBe('0');
        expect(await one(conn, "SELECT RELEASE_LOCK('never_taken')")).toBe(null);
        // Taken twice, released twice; RELEASE_ALL_LOCKS counts every hold.
        expect(await one(conn, "SELECT GET_LOCK('a', 1) + GET_LOCK('a', 1) + GET_LOCK('b', 1)")).toBe('3');
        expect(await one(conn, 'SELECT RELEASE_ALL_LOCKS()')).toBe('3');
        expect(await one(conn, "SELECT IS_FREE_LOCK('a')")).toBe('1');
        await expect(conn.query("SELECT GET_LOCK('', 1)")).rejects.toMatchObject({ errno: 3057 });
      } finally {
        other.destroy();
      }
      // The end of a connection frees what it held.
      for (let i = 0; i < 50 && (await one(conn, "SELECT IS_FREE_LOCK('migrate')")) !== '1'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await one(conn, "SELECT IS_FREE_LOCK('migrate')")).toBe('1');
    });
  });

  describe('connect-time queries', () => {
    it('answers what the mysql CLI and drivers ask first', async () => {
      const [rows] = await conn.query<RowDataPacket[]>('select @@version_comment limit 1');
      expect(Object.keys(rows[0] ?? {})).toEqual(['@@version_comment']);
      expect(String(rows[0]?.['@@version_comment'])).toContain('ducksafe');
      const [v] = await conn.query<RowDataPacket[]>('SELECT VERSION(), DATABASE()');
      expect(v[0]?.['VERSION()']).toMatch(/^8\.0\.\d+/);
      expect(v[0]?.['DATABASE()']).toBe('e2e');
    });
  });

  describe('tables and types', () => {
    beforeAll(async () => {
      await conn.query(`CREATE TABLE typed (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        tiny TINYINT, small SMALLINT, big BIGINT, ubig BIGINT UNSIGNED,
        price DECIMAL(20,2), ratio DOUBLE, f FLOAT,
        name VARCHAR(20) NOT NULL DEFAULT 'anon', body TEXT,
        day DATE, at DATETIME(6), t TIME, flag BOOLEAN, data BLOB, doc JSON
      )`);
    });

    it('round-trips every column type exactly through the text protocol', async () => {
      const [res] = await conn.query<ResultSetHeader>(
        `INSERT INTO typed (tiny, small, big, ubig, price, ratio, f, name, body, day, at, t, flag, data, doc) VALUES
         (-128, 32767, 9223372036854775807, 18446744073709551615, 123456789012345678.91, 0.1, 1.5, 'zoë', 'long text', '2024-02-29', '2024-01-02 03:04:05.123456', '12:34:56', TRUE, 'abc', '{"a": 1}'),
         (NULL, NULL, -9223372036854775808, 0, -0.01, NULL, NULL, DEFAULT, NULL, NULL, NULL, NULL, FALSE, NULL, NULL)`,
      );
      expect(res.affectedRows).toBe(2);
      expect(res.insertId).toBe(1);
      const [rows] = await conn.query<RowDataPacket[]>('SELECT * FROM typed ORDER BY id');
      expect(rows).toHaveLength(2);
      const [a, b] = rows;
      expect(a?.id).toBe(1);
      expect(a?.tiny).toBe(-128);
      expect(a?.small).toBe(32767);
      expect(a?.big).toBe('9223372036854775807');
      expect(a?.ubig).toBe('18446744073709551615');
      expect(a?.price).toBe('123456789012345678.91');
      expect(a?.ratio).toBe(0.1);
      expect(a?.f).toBe(1.5);
      expect(a?.name).toBe('zoë');
      expect(a?.day).toBe('2024-02-29');
      expect(a?.at).toBe('2024-01-02 03:04:05.123456');
      expect(a?.t).toBe('12:34:56');
      expect(a?.flag).toBe(1);
      expect(Buffer.isBuffer(a?.data)).toBe(true);
      expect((a?.data as Buffer).toString()).toBe('abc');
      expect(b?.id).toBe(2);
      expect(b?.tiny).toBeNull();
      expect(b?.big).toBe('-9223372036854775808');
      expect(b?.price).toBe('-0.01');
      expect(b?.name).toBe('anon');
      expect(b?.at).toBeNull();
      expect(b?.flag).toBe(0);
    });

    it('round-trips the same values through prepared statements (binary protocol)', async () => {
      const [res] = await conn.execute<ResultSetHeader>(
        'INSERT INTO typed (big, price, name, at, day, ratio) VALUES (?, ?, ?, ?, ?, ?)',
        ['9223372036854775806', '42.50', 'prepared', '2023-12-31 23:59:59.999999', '2023-12-31', 2.25],
      );
      expect(res.affectedRows).toBe(1);
      const [rows] = await conn.execute<RowDataPacket[]>('SELECT id, big, ubig, price, name, at, day, ratio, tiny FROM typed WHERE name = ?', ['prepared']);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        big: '9223372036854775806',
        ubig: null,
        price: '42.50',
        name: 'prepared',
        at: '2023-12-31 23:59:59.999999',
        day: '2023-12-31',
        ratio: 2.25,
        tiny: null,
      });
      const [edge] = await conn.execute<RowDataPacket[]>('SELECT ubig, big FROM typed WHERE id = ?', [1]);
      expect(edge[0]).toEqual({ ubig: '18446744073709551615', big: '9223372036854775807' });
    });

    it('enforces NOT NULL, lengths and column counts with MySQL errors', async () => {
      await expectError(conn.query("INSERT INTO typed (name) VALUES (NULL)"), 1048, '23000');
      await expectError(conn.query("INSERT INTO typed (name) VALUES ('this name is far too long for twenty')"), 1406, '22001');
      await expectError(conn.query('INSERT INTO typed (name, body) VALUES (1)'), 1136, '21S01');
      await expectError(conn.query('INSERT INTO typed (nope) VALUES (1)'), 1054, '42S22');
      const [rows] = await conn.query<RowDataPacket[]>('SELECT count(*) AS n FROM typed');
      expect(rows[0]?.n).toBe('3');
    });

    it('cuts a too-long text with warning 1265 under INSERT IGNORE and a non-strict sql_mode, as MySQL does', async () => {
      await conn.query('CREATE TABLE lenient (id INT PRIMARY KEY, s VARCHAR(5), b VARBINARY(2))');
      const [ignored] = await conn.query<ResultSetHeader>("INSERT IGNORE INTO lenient (id, s) VALUES (1, 'abcdefgh'), (2, 'abc')");
      expect(ignored.warningStatus).toBe(1);
      const [warnings] = await conn.query<RowDataPacket[]>('SHOW WARNINGS');
      expect(warnings).toEqual([{ Level: 'Warning', Code: 1265, Message: "Data truncated for column 's' at row 1" }]);
      await conn.query("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
      try {
        await conn.query("INSERT INTO lenient (id, s) VALUES (3, 'fghijkl')");
        await conn.query("UPDATE lenient SET s = CONCAT(s, 'xyz') WHERE id = 2");
        // Bytes cannot be cut here, so they stay an error in every mode.
        await expectError(conn.query("INSERT INTO lenient (id, b) VALUES (4, X'010203')"), 1406, '22001');
      } finally {
        await conn.query('SET SESSION sql_mode = DEFAULT');
      }
      const [stored] = await conn.query<RowDataPacket[]>('SELECT id, s FROM lenient ORDER BY id');
      expect(stored).toEqual([
        { id: 1, s: 'abcde' },
        { id: 2, s: 'abcxy' },
        { id: 3, s: 'fghij' },
      ]);
      // Strict again: the default refuses.
      await expectError(conn.query("INSERT INTO lenient (id, s) VALUES (5, 'toolong')"), 1406, '22001');
    });

    it('runs joins, aggregates, subqueries, CTEs, window functions and LIMIT offset, count', async () => {
      await conn.query('CREATE TABLE dept (id INT PRIMARY KEY, name VARCHAR(10))');
      await conn.query('CREATE TABLE emp (id INT PRIMARY KEY, dept INT, salary INT)');
      await conn.query("INSERT INTO dept VALUES (1, 'eng'), (2, 'ops'), (3, 'empty')");
      await conn.query('INSERT INTO emp VALUES (1, 1, 100), (2, 1, 200), (3, 2, 50), (4, 2, 70), (5, 1, 300)');
      const [agg] = await conn.query<RowDataPacket[]>(
        'SELECT d.name, COUNT(e.id) AS n, SUM(e.salary) AS total FROM dept d LEFT JOIN emp e ON e.dept = d.id GROUP BY d.name ORDER BY d.name',
      );
      expect(agg.map((r): unknown[] => [r.name, r.n, r.total])).toEqual([
        ['empty', '0', null],
        ['eng', '3', '600'],
        ['ops', '2', '120'],
      ]);
      const [win] = await conn.query<RowDataPacket[]>(
        'WITH ranked AS (SELECT id, dept, RANK() OVER (PARTITION BY dept ORDER BY salary DESC) AS r FROM emp) SELECT id FROM ranked WHERE r = 1 ORDER BY id',
      );
      expect(win.map((r): unknown => r.id)).toEqual([4, 5]);
      const [sub] = await conn.query<RowDataPacket[]>('SELECT id FROM emp WHERE salary > (SELECT AVG(salary) FROM emp) ORDER BY id LIMIT 1, 1');
      expect(sub.map((r): unknown => r.id)).toEqual([5]);
    });

    it('streams a large result set', async () => {
      await conn.query('CREATE TABLE big (n BIGINT, s VARCHAR(40))');
      await conn.query(
        "INSERT INTO big WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 60000) SELECT n, CONCAT('row-', n) FROM seq",
      );
      const [rows] = await conn.query<RowDataPacket[]>('SELECT n, s FROM big ORDER BY n');
      expect(rows).toHaveLength(60000);
      expect(rows[59999]).toEqual({ n: '60000', s: 'row-60000' });
    });
  });

  describe('errors and sessions', () => {
    it('answers each bad statement with its errno and keeps the connection', async () => {
      await expectError(conn.query('SELECT * FROM no_such_table'), 1146, '42S02');
      await expectError(conn.query('SELECT no_such_column FROM typed'), 1054, '42S22');
      await expectError(conn.query('USE no_such_db'), 1049, '42000');
      await expectError(conn.query('SELEC 1'), 1064, '42000');
      await expectError(conn.query('CREATE TABLE typed (a INT)'), 1050, '42S01');
      await expectError(conn.query('CREATE DATABASE e2e'), 1007, 'HY000');
      await expectError(conn.query('SELECT @@no_such_variable'), 1193, 'HY000');
      const [ok] = await conn.query<RowDataPacket[]>('SELECT 1 AS one');
      expect(ok[0]?.one).toBe(1);
    });

    it('starts a session that names no database in `default`, and needs one for unqualified names', async () => {
      const c = await connect();
      const [current] = await c.query<RowDataPacket[]>('SELECT DATABASE() AS db');
      expect(current[0]?.db).toBe('default');
      await expectError(c.query('SELECT * FROM typed'), 1146, '42S02');
      const [rows] = await c.query<RowDataPacket[]>('SELECT count(*) AS n FROM e2e.typed');
      expect(rows[0]?.n).toBe('3');
      // Without a current database (the one in use was dropped), unqualified names have nowhere to go.
      await c.query('CREATE DATABASE scratch');
      await c.query('USE scratch');
      await c.query('DROP DATABASE scratch');
      await expectError(c.query('SELECT * FROM typed'), 1046, '3D000');
      await c.end();
    });

    it('refuses a wrong password with 1045', async () => {
      await expectError(connect({ password: 'wrong' }), 1045, '28000');
      await expectError(connect({ user: 'nobody' }), 1045, '28000');
    });

    it('runs multi-statement queries', async () => {
      const c = await connect({ multipleStatements: true, database: 'e2e' });
      const [results] = await c.query<RowDataPacket[][]>('SELECT 1 AS a; SELECT 2 AS b; SELECT name FROM dept ORDER BY id LIMIT 1');
      expect(results).toHaveLength(3);
      expect(results[0]?.[0]?.a).toBe(1);
      expect(results[1]?.[0]?.b).toBe(2);
      expect(results[2]?.[0]?.name).toBe('eng');
      await expectError(c.query('SELECT 1; SELECT * FROM nope; SELECT 3'), 1146, '42S02');
      await c.end();
    });

    it('supports SET and SHOW VARIABLES', async () => {
      await conn.query("SET NAMES utf8mb4");
      await conn.query('SET autocommit = 1, sql_mode = concat(@@sql_mode, \',STRICT_TRANS_TABLES\')');
      await conn.query('SET @x = 41');
      const [rows] = await conn.query<RowDataPacket[]>('SELECT @x + 1 AS y, @@autocommit AS ac');
      expect(Number(rows[0]?.y)).toBe(42);
      expect(rows[0]?.ac).toBe(1);
      const [vars] = await conn.query<RowDataPacket[]>("SHOW VARIABLES LIKE 'max_allowed%'");
      expect(vars.map((r) => r.Variable_name)).toEqual(['max_allowed_packet']);
    });

    it('keeps serving after a client disconnects mid-result', async () => {
      const c = createCallbackConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'e2e' });
      const stream = c.query('SELECT a.n FROM big a, big b LIMIT 5000000').stream();
      const seen = await new Promise<number>((resolve) => {
        let n = 0;
        stream.on('data', () => {
          n++;
          if (n === 1000) {
            c.destroy();
            resolve(n);
          }
        });
        stream.on('error', () => resolve(n));
      });
      expect(seen).toBe(1000);
      const [rows] = await conn.query<RowDataPacket[]>('SELECT count(*) AS n FROM dept');
      expect(rows[0]?.n).toBe('3');
    });
  });
});
