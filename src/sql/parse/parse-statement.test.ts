import { describe, expect, it } from 'vitest';
import { isSqlError, type ErrorName } from '../../errors/registry.js';
import type { ColumnBound, Printable, PrintContext, SqlValue, Statement } from '../statement.js';
import { parseColumnType, parseStatement, splitStatements } from './index.js';

const context = (params: readonly SqlValue[] = []): PrintContext => ({
  table: (ref) => `"tbl_${ref.db ?? 'cur'}_${ref.name}"`,
  systemVariable: (name, scope) => `${scope}:${name}`,
  userVariable: (name) => (name === 'a' ? 5 : null),
  sessionFunction: (name) => (name === 'DATABASE' ? 'shop' : null),
  parameter: (index) => params[index] ?? null,
  insertedValue: (column) => `excluded.${column}`,
});

type BoundsOf = (ctx: PrintContext) => readonly ColumnBound[];

/** `{ bounds }` when a query, UPDATE or DELETE has any, so that the many without read as before. */
function boundsOf(bounds: BoundsOf | undefined, ctx: PrintContext): { bounds?: readonly ColumnBound[] } {
  const list = bounds?.(ctx) ?? [];
  return list.length > 0 ? { bounds: list } : {};
}

/** The statement as plain data, each Printable replaced by its printed SQL, tables and bounds. */
function plain(value: unknown, ctx: PrintContext): unknown {
  if (Array.isArray(value)) return value.map((v) => plain(v, ctx));
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  if ('print' in value && typeof value.print === 'function') {
    const printable = value as Printable & { locking?: boolean; bounds?: BoundsOf };
    return {
      sql: printable.print(ctx),
      tables: printable.tables,
      ...(printable.locking === undefined ? {} : { locking: printable.locking }),
      ...boundsOf(printable.bounds, ctx),
    };
  }
  const { bounds, ...rest } = value as { bounds?: BoundsOf };
  return { ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, plain(v, ctx)])), ...boundsOf(bounds, ctx) };
}

function parsed(sql: string, params: readonly SqlValue[] = []): unknown {
  return plain(parseStatement(sql), context(params));
}

/** The SqlError a statement fails with, when it is parsed and (for queries) printed. */
function failure(sql: string): { code: ErrorName; errno: number; sqlState: string; message: string } {
  try {
    const statement = parseStatement(sql);
    plain(statement, context());
  } catch (err) {
    if (!isSqlError(err)) throw err;
    return { code: err.code, errno: err.errno, sqlState: err.sqlState, message: err.message };
  }
  throw new Error(`${sql} did not fail`);
}

const near = (text: string, line: number) =>
  `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${text}' at line ${line}`;

describe('SELECT', () => {
  it('counts the rows without LIMIT for SQL_CALC_FOUND_ROWS, in the first SELECT only', () => {
    const found = (sql: string): string | undefined => {
      const statement = parseStatement(sql);
      if (statement.kind !== 'select') throw new Error(`${sql} is not a query`);
      return statement.query.printFoundRows?.(context());
    };
    expect(found('SELECT SQL_CALC_FOUND_ROWS a FROM u WHERE a > 1 ORDER BY a LIMIT 10, 5')).toBe(
      'SELECT count(*) FROM (SELECT "a" FROM "tbl_cur_u" AS "u" WHERE ("a" > 1) ORDER BY "a")',
    );
    expect(found('SELECT DISTINCT SQL_CALC_FOUND_ROWS a FROM u UNION SELECT b FROM v LIMIT 1')).toBe(
      'SELECT count(*) FROM (SELECT DISTINCT "a" FROM "tbl_cur_u" AS "u" UNION SELECT "b" FROM "tbl_cur_v" AS "v")',
    );
    expect(found('SELECT a FROM u LIMIT 1')).toBeUndefined();
  });

  it('prints with the session context and reports no tables for a FROM-less select', () => {
    expect(parsed('select @@version_comment limit 1')).toEqual({
      kind: 'select',
      paramCount: 0,
      query: { sql: `SELECT 'default:version_comment' AS "@@version_comment" LIMIT 1`, tables: [], locking: false },
    });
  });

  it('marks FOR UPDATE and LOCK IN SHARE MODE as locking reads', () => {
    expect(parsed('SELECT a FROM t WHERE id = 1 FOR UPDATE')).toMatchObject({ query: { locking: true } });
    expect(parsed('SELECT a FROM t LOCK IN SHARE MODE')).toMatchObject({ query: { locking: true } });
    expect(parsed('SELECT a FROM t')).toMatchObject({ query: { locking: false } });
  });

  it('collects every base table, in joins, subqueries and derived tables, each with its own refId', () => {
    const statement = parseStatement(
      'SELECT * FROM t JOIN db2.u AS x ON t.id = x.id, t AS again WHERE EXISTS (SELECT 1 FROM v) AND t.a IN (SELECT a FROM (SELECT a FROM w) AS d)',
    );
    if (statement.kind !== 'select') throw new Error(statement.kind);
    expect(statement.query.tables).toEqual([
      { refId: 1, name: 't' },
      { refId: 2, db: 'db2', name: 'u', alias: 'x' },
      { refId: 3, name: 't', alias: 'again' },
      { refId: 4, name: 'v' },
      { refId: 5, name: 'w' },
    ]);
    expect(statement.query.print(context())).toBe(
      `SELECT * FROM "tbl_cur_t" AS "t" INNER JOIN "tbl_db2_u" AS "x" ON ("t"."id" = "x"."id"), "tbl_cur_t" AS "again" WHERE ((EXISTS (SELECT 1 AS "1" FROM "tbl_cur_v" AS "v")) AND ("t"."a" IN (SELECT "a" FROM (SELECT "a" FROM "tbl_cur_w" AS "w") AS "d")))`,
    );
  });

  it('does not count CTE names in scope as tables', () => {
    expect(parsed('WITH c AS (SELECT * FROM t), d AS (SELECT * FROM c JOIN c AS c2) SELECT * FROM d, shop.c')).toMatchObject({
      query: {
        tables: [
          { refId: 1, name: 't' },
          { refId: 2, db: 'shop', name: 'c' },
        ],
        sql: `WITH "c" AS (SELECT * FROM "tbl_cur_t" AS "t"), "d" AS (SELECT * FROM "c" CROSS JOIN "c" AS "c2") SELECT * FROM "d", "tbl_shop_c" AS "c"`,
      },
    });
  });

  it('scopes CTE names like MySQL: not inside their own non-recursive body, yes inside a recursive one and in subqueries', () => {
    expect(parsed('WITH t AS (SELECT * FROM t) SELECT * FROM t')).toMatchObject({ query: { tables: [{ refId: 1, name: 't' }] } });
    expect(parsed('WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r')).toMatchObject({
      query: { tables: [] },
    });
    expect(parsed('WITH C AS (SELECT 1 AS id) SELECT * FROM t WHERE id IN (SELECT id FROM c)')).toMatchObject({
      query: { tables: [{ refId: 1, name: 't' }] },
    });
  });

  it('parses time travel clauses onto the table reference', () => {
    expect(parsed("SELECT * FROM t AT (SNAPSHOT => 'ab12') AS x, u AT (TIMESTAMP => '2026-11-21 13:45:08')")).toMatchObject({
      query: {
        tables: [
          { refId: 1, name: 't', alias: 'x', asOf: { kind: 'snapshot', id: 'ab12' } },
          { refId: 2, name: 'u', asOf: { kind: 'timestamp', value: '2026-11-21 13:45:08' } },
        ],
      },
    });
    expect(parsed("SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2026-11-21 13:45:08'")).toMatchObject({
      query: { tables: [{ refId: 1, name: 't', asOf: { kind: 'timestamp', value: '2026-11-21 13:45:08' } }] },
    });
  });

  it('counts placeholders and binds them in order of appearance, subqueries and LIMIT included', () => {
    expect(parsed('SELECT ? AS p FROM t WHERE a = ? AND b IN (SELECT ?) LIMIT ?', ['x', 1, 2, 10])).toEqual({
      kind: 'select',
      paramCount: 4,
      query: {
        sql: `SELECT 'x' AS "p" FROM "tbl_cur_t" AS "t" WHERE (("a" = 1) AND ("b" IN (SELECT 2 AS "?"))) LIMIT 10`,
        tables: [{ refId: 1, name: 't' }],
        locking: false,
        bounds: [{ refId: 1, column: 'a', op: '=', values: [1] }],
      },
    });
  });

  it('runs MySQL executable comments and skips those for later versions', () => {
    expect(parsed('SELECT /*!40001 SQL_NO_CACHE */ 1 /*!90000 + 1 */')).toMatchObject({ query: { sql: 'SELECT 1 AS "1"' } });
  });

  it('reports unknown functions and wrong argument counts as MySQL does', () => {
    expect(failure('SELECT no_such_fn(1)')).toMatchObject({ code: 'ER_SP_DOES_NOT_EXIST', errno: 1305, message: 'FUNCTION NO_SUCH_FN does not exist' });
    expect(failure("SELECT LEFT('a')")).toMatchObject({
      code: 'ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT',
      message: "Incorrect parameter count in the call to native function 'LEFT'",
    });
    expect(failure('SELECT CAST(1 AS DECIMAL(40, 2))')).toMatchObject({ code: 'ER_TOO_BIG_PRECISION', errno: 1426 });
    expect(failure('SELECT MATCH (b) AGAINST (\'x\') FROM t')).toMatchObject({ code: 'ER_NOT_SUPPORTED_YET' });
  });
});

describe('databases', () => {
  it('parses CREATE DATABASE and CREATE SCHEMA, with IF NOT EXISTS and charset options', () => {
    expect(parsed('CREATE DATABASE shop')).toEqual({ kind: 'createDatabase', paramCount: 0, name: 'shop', ifNotExists: false });
    expect(parsed('CREATE SCHEMA IF NOT EXISTS `my db` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci')).toEqual({
      kind: 'createDatabase',
      paramCount: 0,
      name: 'my db',
      ifNotExists: true,
    });
  });

  it('parses DROP DATABASE and DROP SCHEMA, with IF EXISTS', () => {
    expect(parsed('DROP DATABASE shop')).toEqual({ kind: 'dropDatabase', paramCount: 0, name: 'shop', ifExists: false });
    expect(parsed('drop schema if exists shop;')).toEqual({ kind: 'dropDatabase', paramCount: 0, name: 'shop', ifExists: true });
  });

  it('parses USE', () => {
    expect(parsed('USE `shop`')).toEqual({ kind: 'use', paramCount: 0, db: 'shop' });
  });
});

describe('CREATE TABLE', () => {
  it('prints NOW() in a default expression in the server zone (no session is known when the table is created)', () => {
    const statement = parseStatement('CREATE TABLE t (due DATETIME DEFAULT (NOW() + INTERVAL 1 DAY), at BIGINT DEFAULT (UNIX_TIMESTAMP()))');
    if (statement.kind !== 'createTable') throw new Error('not a CREATE TABLE');
    expect(statement.columns.map((c) => c.default)).toEqual([
      {
        kind: 'expression',
        mysql: 'NOW() + INTERVAL 1 DAY',
        duck: "cast_to_type((date_trunc('second', current_localtimestamp()) + to_days(1)), date_trunc('second', current_localtimestamp()))",
      },
      { kind: 'expression', mysql: 'UNIX_TIMESTAMP()', duck: 'CAST(floor(epoch(now())) AS BIGINT)' },
    ]);
  });

  it('reads columns, keys, defaults and table options', () => {
    const sql = `CREATE TABLE IF NOT EXISTS shop.orders (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      customer_id BIGINT NOT NULL COMMENT 'who',
      code VARCHAR(20) NULL DEFAULT 'none' UNIQUE,
      amount DECIMAL(10,2) DEFAULT 0.00,
      paid BOOLEAN DEFAULT FALSE,
      created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
      tag CHAR(8) DEFAULT (UUID()),
      PRIMARY KEY (id),
      KEY (customer_id),
      INDEX by_day (created_at DESC)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='orders' AUTO_INCREMENT=100`;
    expect(parsed(sql)).toEqual({
      kind: 'createTable',
      paramCount: 0,
      table: { db: 'shop', name: 'orders' },
      ifNotExists: true,
      columns: [
        { name: 'id', type: { base: 'INT', unsigned: true, mysql: 'int unsigned', duck: 'UINTEGER' }, notNull: true, autoIncrement: true, onUpdateCurrentTimestamp: false },
        { name: 'customer_id', type: { base: 'BIGINT', unsigned: false, mysql: 'bigint', duck: 'BIGINT' }, notNull: true, autoIncrement: false, onUpdateCurrentTimestamp: false, comment: 'who' },
        {
          name: 'code',
          type: { base: 'VARCHAR', unsigned: false, mysql: 'varchar(20)', duck: 'VARCHAR', length: 20 },
          notNull: false,
          autoIncrement: false,
          onUpdateCurrentTimestamp: false,
          default: { kind: 'literal', value: 'none' },
        },
        {
          name: 'amount',
          type: { base: 'DECIMAL', unsigned: false, mysql: 'decimal(10,2)', duck: 'DECIMAL(10,2)', length: 10, scale: 2 },
          notNull: false,
          autoIncrement: false,
          onUpdateCurrentTimestamp: false,
          default: { kind: 'literal', value: '0.00' },
        },
        {
          name: 'paid',
          type: { base: 'BOOLEAN', unsigned: false, mysql: 'tinyint(1)', duck: 'BOOLEAN', length: 1 },
          notNull: false,
          autoIncrement: false,
          onUpdateCurrentTimestamp: false,
          default: { kind: 'literal', value: false },
        },
        {
          name: 'created_at',
          type: { base: 'DATETIME', unsigned: false, mysql: 'datetime(6)', duck: 'TIMESTAMP', fsp: 6 },
          notNull: true,
          autoIncrement: false,
          onUpdateCurrentTimestamp: true,
          default: { kind: 'expression', mysql: 'CURRENT_TIMESTAMP(6)', duck: 'current_localtimestamp()' },
        },
        {
          name: 'tag',
          type: { base: 'CHAR', unsigned: false, mysql: 'char(8)', duck: 'VARCHAR', length: 8 },
          notNull: false,
          autoIncrement: false,
          onUpdateCurrentTimestamp: false,
          default: { kind: 'expression', mysql: 'UUID()', duck: 'CAST(uuid() AS VARCHAR)' },
        },
      ],
      indexes: [
        { kind: 'primary', name: 'PRIMARY', columns: ['id'] },
        { kind: 'unique', name: 'code', columns: ['code'] },
        { kind: 'index', name: 'customer_id', columns: ['customer_id'] },
        { kind: 'index', name: 'by_day', columns: ['created_at'] },
      ],
      options: { engine: 'InnoDB', charset: 'utf8mb4', collate: 'utf8mb4_0900_ai_ci', comment: 'orders', auto_increment: '100' },
    });
  });

  it('makes a column-level PRIMARY KEY an index and its column NOT NULL', () => {
    expect(failure('CREATE TABLE t (id BIGINT PRIMARY KEY, a INT KEY, b INT)')).toMatchObject({ code: 'ER_MULTIPLE_PRI_KEY', message: 'Multiple primary key defined' });
    expect(parsed('CREATE TABLE t (id BIGINT PRIMARY KEY, b INT)')).toMatchObject({
      columns: [{ name: 'id', notNull: true }, { name: 'b', notNull: false }],
      indexes: [{ kind: 'primary', name: 'PRIMARY', columns: ['id'] }],
    });
  });

  it('names unnamed keys after their first column, as MySQL does', () => {
    expect(parsed('CREATE TABLE t (a INT, b INT, KEY (a), KEY (a, b), UNIQUE (b), CONSTRAINT named UNIQUE (a))')).toMatchObject({
      indexes: [
        { kind: 'index', name: 'a', columns: ['a'] },
        { kind: 'index', name: 'a_2', columns: ['a', 'b'] },
        { kind: 'unique', name: 'b', columns: ['b'] },
        { kind: 'unique', name: 'named', columns: ['a'] },
      ],
    });
  });

  it('reads literal defaults as the values they denote', () => {
    const statement = parseStatement("CREATE TABLE t (a INT DEFAULT -1, b BIT(4) DEFAULT b'101', c VARBINARY(4) DEFAULT X'00ff', d DOUBLE DEFAULT 1e3, e DATE DEFAULT '2024-01-01', f INT DEFAULT NULL)");
    if (statement.kind !== 'createTable') throw new Error(statement.kind);
    expect(statement.columns.map((c) => c.default)).toEqual([
      { kind: 'literal', value: -1 },
      { kind: 'literal', value: 5 },
      { kind: 'literal', value: new Uint8Array([0, 255]) },
      { kind: 'literal', value: 1000 },
      { kind: 'literal', value: '2024-01-01' },
      { kind: 'literal', value: null },
    ]);
  });

  it('accepts foreign keys and CHECK constraints without enforcing them', () => {
    expect(
      parsed('CREATE TABLE t (id INT, p INT REFERENCES p (id), CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id) ON DELETE CASCADE, CHECK (id > 0))'),
    ).toMatchObject({ columns: [{ name: 'id' }, { name: 'p' }], indexes: [] });
  });

  it('refuses what MySQL refuses', () => {
    expect(failure('CREATE TABLE t (a INT, A INT)')).toMatchObject({ code: 'ER_DUP_FIELDNAME', errno: 1060, message: "Duplicate column name 'A'" });
    expect(failure('CREATE TABLE t (a INT AUTO_INCREMENT)')).toMatchObject({ code: 'ER_WRONG_AUTO_KEY', errno: 1075 });
    expect(failure('CREATE TABLE t (a INT AUTO_INCREMENT KEY, b INT AUTO_INCREMENT UNIQUE)')).toMatchObject({ code: 'ER_WRONG_AUTO_KEY' });
    expect(failure('CREATE TABLE t (a DECIMAL(39,2))')).toMatchObject({
      code: 'ER_TOO_BIG_PRECISION',
      errno: 1426,
      message: "Too-big precision 39 specified for 'a'. Maximum is 38.",
    });
    expect(failure('CREATE TABLE t (a DATETIME(7))')).toMatchObject({ code: 'ER_TOO_BIG_PRECISION', message: "Too-big precision 7 specified for 'a'. Maximum is 6." });
    expect(failure('CREATE TABLE t (a CHAR(256))')).toMatchObject({ code: 'ER_TOO_BIG_FIELDLENGTH', errno: 1074 });
    expect(failure("CREATE TABLE t (a TEXT DEFAULT 'x')")).toMatchObject({
      code: 'ER_BLOB_CANT_HAVE_DEFAULT',
      message: "BLOB, TEXT, GEOMETRY or JSON column 'a' can't have a default value",
    });
    expect(failure('CREATE TABLE t (a INT NOT NULL DEFAULT NULL)')).toMatchObject({ code: 'ER_INVALID_DEFAULT', message: "Invalid default value for 'a'" });
    expect(failure('CREATE TABLE t (a INT DEFAULT CURRENT_TIMESTAMP)')).toMatchObject({ code: 'ER_INVALID_DEFAULT' });
    expect(failure('CREATE TABLE t (a DATETIME(3) DEFAULT CURRENT_TIMESTAMP)')).toMatchObject({ code: 'ER_INVALID_DEFAULT' });
    expect(failure('CREATE TABLE t (a INT, KEY k (a), KEY k (a))')).toMatchObject({ code: 'ER_DUP_KEYNAME', message: "Duplicate key name 'k'" });
    expect(failure('CREATE TABLE t (a INT, KEY (b))')).toEqual({
      code: 'ER_KEY_COLUMN_DOES_NOT_EXITS',
      errno: 1072,
      sqlState: '42000',
      message: "Key column 'b' doesn't exist in table",
    });
    expect(failure('CREATE TABLE t (a INT NULL PRIMARY KEY)')).toEqual({
      code: 'ER_PRIMARY_CANT_HAVE_NULL',
      errno: 1171,
      sqlState: '42000',
      message: 'All parts of a PRIMARY KEY must be NOT NULL; if you need NULL in a key, use UNIQUE instead',
    });
    expect(failure('CREATE TABLE t (a INT NULL, PRIMARY KEY (a))')).toMatchObject({ code: 'ER_PRIMARY_CANT_HAVE_NULL' });
    expect(failure('CREATE TABLE t (a INT ON UPDATE CURRENT_TIMESTAMP)')).toEqual({
      code: 'ER_INVALID_ON_UPDATE',
      errno: 1294,
      sqlState: 'HY000',
      message: "Invalid ON UPDATE clause for 'a' column",
    });
    expect(failure('CREATE TABLE t (a DECIMAL(10,31))')).toMatchObject({ code: 'ER_TOO_BIG_SCALE', errno: 1425, sqlState: '42000' });
    expect(failure('CREATE TABLE t (a DECIMAL(4,5))')).toMatchObject({ code: 'ER_M_BIGGER_THAN_D', errno: 1427, sqlState: '42000' });
    expect(failure(`CREATE TABLE t (${'x'.repeat(65)} INT)`)).toMatchObject({ code: 'ER_TOO_LONG_IDENT', errno: 1059 });
    expect(failure('CREATE TABLE t (KEY (a))')).toMatchObject({ code: 'ER_TABLE_MUST_HAVE_COLUMNS' });
    expect(failure('CREATE TEMPORARY TABLE t (a INT)')).toMatchObject({ code: 'ER_NOT_SUPPORTED_YET' });
    expect(failure('CREATE TABLE t (a INT, b INT AS (a + 1))')).toMatchObject({ code: 'ER_NOT_SUPPORTED_YET' });
  });

  it('reads PARTITION BY RANGE, RANGE COLUMNS, LIST, HASH and KEY', () => {
    expect(
      parsed('CREATE TABLE t (id INT, d DATE) PARTITION BY RANGE (YEAR(d)) (PARTITION p0 VALUES LESS THAN (2020), PARTITION p1 VALUES LESS THAN MAXVALUE)'),
    ).toMatchObject({
      partition: {
        kind: 'range',
        expression: 'YEAR(d)',
        columns: ['d'],
        partitions: [
          { name: 'p0', values: [2020] },
          { name: 'p1', values: 'MAXVALUE' },
        ],
      },
    });
    expect(
      parsed("CREATE TABLE t (a INT, b VARCHAR(5)) PARTITION BY RANGE COLUMNS (a, b) (PARTITION p0 VALUES LESS THAN (10, 'm'), PARTITION p1 VALUES LESS THAN (MAXVALUE))"),
    ).toMatchObject({
      partition: { kind: 'rangeColumns', expression: 'a, b', columns: ['a', 'b'], partitions: [{ name: 'p0', values: [10, 'm'] }, { name: 'p1', values: 'MAXVALUE' }] },
    });
    expect(parsed('CREATE TABLE t (r INT) PARTITION BY LIST (r) (PARTITION east VALUES IN (1, 2), PARTITION west VALUES IN (-3, NULL))')).toMatchObject({
      partition: { kind: 'list', columns: ['r'], partitions: [{ name: 'east', values: [1, 2] }, { name: 'west', values: [-3, null] }] },
    });
    expect(parsed('CREATE TABLE t (id INT) PARTITION BY HASH (id) PARTITIONS 4')).toMatchObject({
      partition: { kind: 'hash', expression: 'id', columns: ['id'], partitions: [], count: 4 },
    });
    expect(parsed('CREATE TABLE t (id INT PRIMARY KEY) PARTITION BY KEY () PARTITIONS 2')).toMatchObject({
      partition: { kind: 'key', columns: ['id'], count: 2 },
    });
    expect(failure('CREATE TABLE t (id INT) PARTITION BY RANGE (id)')).toEqual({
      code: 'ER_PARTITIONS_MUST_BE_DEFINED_ERROR',
      errno: 1492,
      sqlState: 'HY000',
      message: 'For RANGE partitions each partition must be defined',
    });
    expect(failure('CREATE TABLE t (id INT) PARTITION BY LIST COLUMNS (id)')).toMatchObject({ message: 'For LIST partitions each partition must be defined' });
  });

  it('reads CREATE TABLE ... AS SELECT and ... LIKE', () => {
    expect(parsed('CREATE TABLE copy AS SELECT a FROM t')).toMatchObject({
      kind: 'createTable',
      columns: [],
      asSelect: { sql: 'SELECT "a" FROM "tbl_cur_t" AS "t"', tables: [{ refId: 1, name: 't' }] },
    });
    expect(parsed('CREATE TABLE copy (x INT) SELECT a AS x FROM t')).toMatchObject({ columns: [{ name: 'x' }], asSelect: { tables: [{ name: 't' }] } });
    expect(parsed('CREATE TABLE copy LIKE shop.t')).toMatchObject({ kind: 'createTable', like: { db: 'shop', name: 't' } });
    expect(parsed('CREATE TABLE copy (LIKE t)')).toMatchObject({ like: { name: 't' } });
  });
});

describe('DROP TABLE and TRUNCATE', () => {
  it('parses DROP TABLE with several tables and IF EXISTS', () => {
    expect(parsed('DROP TABLE IF EXISTS a, shop.b')).toEqual({ kind: 'dropTable', paramCount: 0, tables: [{ name: 'a' }, { db: 'shop', name: 'b' }], ifExists: true });
    expect(parsed('DROP TABLES a CASCADE')).toEqual({ kind: 'dropTable', paramCount: 0, tables: [{ name: 'a' }], ifExists: false });
  });

  it('parses TRUNCATE [TABLE]', () => {
    expect(parsed('TRUNCATE TABLE t')).toEqual({ kind: 'truncate', paramCount: 0, table: { name: 't' } });
    expect(parsed('truncate shop.t')).toEqual({ kind: 'truncate', paramCount: 0, table: { db: 'shop', name: 't' } });
  });
});

describe('ALTER TABLE', () => {
  const int = { base: 'INT', unsigned: false, mysql: 'int', duck: 'INTEGER' };
  const column = (name: string, extra: object = {}) => ({ name, type: int, notNull: false, autoIncrement: false, onUpdateCurrentTimestamp: false, ...extra });
  const actions = (sql: string) => {
    const statement = parseStatement(sql);
    if (statement.kind !== 'alterTable') throw new Error(statement.kind);
    return statement.actions;
  };

  it('reads the table and its actions in the order written', () => {
    expect(parsed('ALTER TABLE shop.t ADD COLUMN c INT NOT NULL DEFAULT 0 AFTER b, DROP COLUMN d')).toEqual({
      kind: 'alterTable',
      paramCount: 0,
      table: { db: 'shop', name: 't' },
      actions: [
        { kind: 'addColumn', column: column('c', { notNull: true, default: { kind: 'literal', value: 0 } }), position: { kind: 'after', column: 'b' } },
        { kind: 'dropColumn', name: 'd' },
      ],
    });
    expect(parsed('ALTER TABLE t')).toEqual({ kind: 'alterTable', paramCount: 0, table: { name: 't' }, actions: [] });
  });

  it('reads ADD [COLUMN] with FIRST / AFTER, and ADD (c1 def, c2 def)', () => {
    expect(actions('ALTER TABLE t ADD c INT FIRST, ADD `d` INT')).toEqual([
      { kind: 'addColumn', column: column('c'), position: { kind: 'first' } },
      { kind: 'addColumn', column: column('d') },
    ]);
    expect(actions('ALTER TABLE t ADD COLUMN (c INT, d INT NOT NULL, INDEX (c))')).toEqual([
      { kind: 'addColumn', column: column('c') },
      { kind: 'addColumn', column: column('d', { notNull: true }) },
      { kind: 'addIndex', index: { kind: 'index', columns: ['c'] } },
    ]);
  });

  it('adds the keys a column definition declares after the column, leaving unnamed keys for the engine to name', () => {
    expect(actions('ALTER TABLE t ADD COLUMN id INT AUTO_INCREMENT PRIMARY KEY FIRST, MODIFY code INT UNIQUE')).toEqual([
      { kind: 'addColumn', column: column('id', { notNull: true, autoIncrement: true }), position: { kind: 'first' } },
      { kind: 'addIndex', index: { kind: 'primary', name: 'PRIMARY', columns: ['id'] } },
      { kind: 'modifyColumn', column: column('code') },
      { kind: 'addIndex', index: { kind: 'unique', columns: ['code'] } },
    ]);
  });

  it('reads MODIFY, CHANGE, RENAME COLUMN and ALTER COLUMN ... SET/DROP DEFAULT', () => {
    expect(actions("ALTER TABLE t MODIFY COLUMN c BIGINT UNSIGNED NOT NULL COMMENT 'n' FIRST, CHANGE a b VARCHAR(10) AFTER c, RENAME COLUMN x TO y")).toEqual([
      {
        kind: 'modifyColumn',
        column: { name: 'c', type: { base: 'BIGINT', unsigned: true, mysql: 'bigint unsigned', duck: 'UBIGINT' }, notNull: true, autoIncrement: false, onUpdateCurrentTimestamp: false, comment: 'n' },
        position: { kind: 'first' },
      },
      {
        kind: 'changeColumn',
        from: 'a',
        column: { name: 'b', type: { base: 'VARCHAR', unsigned: false, mysql: 'varchar(10)', duck: 'VARCHAR', length: 10 }, notNull: false, autoIncrement: false, onUpdateCurrentTimestamp: false },
        position: { kind: 'after', column: 'c' },
      },
      { kind: 'renameColumn', from: 'x', to: 'y' },
    ]);
    expect(actions("ALTER TABLE t ALTER COLUMN a SET DEFAULT 'x', ALTER b DROP DEFAULT, ALTER c SET DEFAULT -1.5, ALTER d SET DEFAULT (UUID()), ALTER e SET DEFAULT CURRENT_TIMESTAMP(3)")).toEqual([
      { kind: 'alterDefault', column: 'a', default: { kind: 'literal', value: 'x' } },
      { kind: 'alterDefault', column: 'b' },
      { kind: 'alterDefault', column: 'c', default: { kind: 'literal', value: '-1.5' } },
      { kind: 'alterDefault', column: 'd', default: { kind: 'expression', mysql: 'UUID()', duck: 'CAST(uuid() AS VARCHAR)' } },
      { kind: 'alterDefault', column: 'e', default: { kind: 'expression', mysql: 'CURRENT_TIMESTAMP(3)', duck: "date_trunc('millisecond', current_localtimestamp())" } },
    ]);
  });

  it('reads RENAME [TO | AS] with a database, and the index forms', () => {
    expect(actions('ALTER TABLE t RENAME TO shop.u')).toEqual([{ kind: 'renameTable', to: { db: 'shop', name: 'u' } }]);
    expect(actions('ALTER TABLE t RENAME AS u')).toEqual([{ kind: 'renameTable', to: { name: 'u' } }]);
    expect(actions('ALTER TABLE t RENAME u')).toEqual([{ kind: 'renameTable', to: { name: 'u' } }]);
    expect(actions('ALTER TABLE t ADD PRIMARY KEY (a, b), ADD UNIQUE KEY uk (c), ADD UNIQUE INDEX (c, d), ADD INDEX (d), ADD KEY k2 (e DESC), ADD CONSTRAINT named UNIQUE (f)')).toEqual([
      { kind: 'addIndex', index: { kind: 'primary', name: 'PRIMARY', columns: ['a', 'b'] } },
      { kind: 'addIndex', index: { kind: 'unique', name: 'uk', columns: ['c'] } },
      { kind: 'addIndex', index: { kind: 'unique', columns: ['c', 'd'] } },
      { kind: 'addIndex', index: { kind: 'index', columns: ['d'] } },
      { kind: 'addIndex', index: { kind: 'index', name: 'k2', columns: ['e'] } },
      { kind: 'addIndex', index: { kind: 'unique', name: 'named', columns: ['f'] } },
    ]);
    expect(actions('ALTER TABLE t DROP INDEX k, DROP KEY k2, DROP PRIMARY KEY, DROP INDEX `PRIMARY`')).toEqual([
      { kind: 'dropIndex', name: 'k' },
      { kind: 'dropIndex', name: 'k2' },
      { kind: 'dropPrimaryKey' },
      { kind: 'dropPrimaryKey' },
    ]);
  });

  it('reads CREATE [UNIQUE] INDEX and DROP INDEX ... ON as ALTER TABLE ADD / DROP INDEX', () => {
    const created = parseStatement('CREATE UNIQUE INDEX uq_a_b USING BTREE ON shop.t (a, b DESC) COMMENT \'x\' ALGORITHM = INPLACE LOCK = NONE');
    expect(created).toMatchObject({ kind: 'alterTable', table: { db: 'shop', name: 't' } });
    expect(actions('CREATE UNIQUE INDEX uq_a_b USING BTREE ON shop.t (a, b DESC) COMMENT \'x\' ALGORITHM = INPLACE LOCK = NONE')).toEqual([
      { kind: 'addIndex', index: { kind: 'unique', name: 'uq_a_b', columns: ['a', 'b'] } },
    ]);
    expect(actions('CREATE INDEX ix_things_big ON things (big)')).toEqual([{ kind: 'addIndex', index: { kind: 'index', name: 'ix_things_big', columns: ['big'] } }]);
    expect(actions('DROP INDEX ix_things_big ON things ALGORITHM=DEFAULT')).toEqual([{ kind: 'dropIndex', name: 'ix_things_big' }]);
    expect(actions('DROP INDEX `PRIMARY` ON t')).toEqual([{ kind: 'dropPrimaryKey' }]);
  });

  it('reads ADD, DROP and TRUNCATE PARTITION', () => {
    expect(actions("ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN (2030), PARTITION p4 VALUES LESS THAN MAXVALUE, PARTITION p5 VALUES IN (1, 'x', NULL))")).toEqual([
      {
        kind: 'addPartitions',
        partitions: [
          { name: 'p3', values: [2030] },
          { name: 'p4', values: 'MAXVALUE' },
          { name: 'p5', values: [1, 'x', null] },
        ],
      },
    ]);
    expect(actions('ALTER TABLE t DROP PARTITION p0, `p 1`')).toEqual([{ kind: 'dropPartitions', names: ['p0', 'p 1'] }]);
    expect(actions('ALTER TABLE t TRUNCATE PARTITION p0, p1')).toEqual([{ kind: 'truncatePartitions', names: ['p0', 'p1'] }]);
    expect(actions('ALTER TABLE t TRUNCATE PARTITION ALL')).toEqual([{ kind: 'truncatePartitions', names: 'ALL' }]);
    expect(actions('ALTER TABLE t ALGORITHM=INPLACE, DROP PARTITION p0')).toEqual([{ kind: 'dropPartitions', names: ['p0'] }]);
  });

  it('merges adjacent table options into one setOptions, names lower-cased', () => {
    expect(actions("ALTER TABLE t ENGINE=InnoDB, COMMENT='hi' AUTO_INCREMENT 5 DEFAULT CHARSET=utf8mb4 COLLATE utf8mb4_bin, ROW_FORMAT DYNAMIC")).toEqual([
      { kind: 'setOptions', options: { engine: 'InnoDB', comment: 'hi', auto_increment: '5', charset: 'utf8mb4', collate: 'utf8mb4_bin', row_format: 'DYNAMIC' } },
    ]);
    expect(actions('ALTER TABLE t MODIFY c INT, ENGINE InnoDB, ADD d INT, KEY_BLOCK_SIZE = 8')).toEqual([
      { kind: 'modifyColumn', column: column('c') },
      { kind: 'setOptions', options: { engine: 'InnoDB' } },
      { kind: 'addColumn', column: column('d') },
      { kind: 'setOptions', options: { key_block_size: '8' } },
    ]);
    expect(actions('ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci')).toEqual([
      { kind: 'setOptions', options: { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' } },
    ]);
  });

  it("reads Databend's SET OPTIONS and FLASHBACK TO", () => {
    expect(actions("ALTER TABLE t SET OPTIONS (data_retention_period_in_hours = 240, Block_Size = '1M')")).toEqual([
      { kind: 'setOptions', options: { data_retention_period_in_hours: '240', block_size: '1M' } },
    ]);
    expect(actions("ALTER TABLE t FLASHBACK TO (SNAPSHOT => 'ab12')")).toEqual([{ kind: 'flashback', to: { kind: 'snapshot', id: 'ab12' } }]);
    expect(actions("alter table t flashback to (timestamp => '2026-11-21 13:45:08')")).toEqual([
      { kind: 'flashback', to: { kind: 'timestamp', value: '2026-11-21 13:45:08' } },
    ]);
  });

  it('accepts what only changes how MySQL works: ALGORITHM, LOCK, FORCE, foreign keys, CHECKs, index visibility', () => {
    expect(actions('ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE, ADD COLUMN x INT, FORCE')).toEqual([{ kind: 'addColumn', column: column('x') }]);
    expect(actions('ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) ON DELETE CASCADE, DROP FOREIGN KEY fk2, ADD CHECK (a > 0)')).toEqual([]);
    expect(actions('ALTER TABLE t DROP CHECK c1, ALTER CHECK c2 NOT ENFORCED, ALTER INDEX k INVISIBLE')).toEqual([]);
    expect(parsed('/*!40000 ALTER TABLE `orders` DISABLE KEYS */')).toEqual({ kind: 'noop', paramCount: 0, what: 'ALTER TABLE ... KEYS' });
  });

  it('checks column definitions the way CREATE TABLE does', () => {
    expect(failure('ALTER TABLE t ADD c DECIMAL(40,2)')).toMatchObject({ code: 'ER_TOO_BIG_PRECISION', message: "Too-big precision 40 specified for 'c'. Maximum is 38." });
    expect(failure("ALTER TABLE t ADD c TEXT DEFAULT 'x'")).toMatchObject({ code: 'ER_BLOB_CANT_HAVE_DEFAULT' });
    expect(failure('ALTER TABLE t MODIFY c INT ON UPDATE CURRENT_TIMESTAMP')).toMatchObject({ code: 'ER_INVALID_ON_UPDATE', errno: 1294 });
    expect(failure('ALTER TABLE t CHANGE a a INT NULL PRIMARY KEY')).toMatchObject({ code: 'ER_PRIMARY_CANT_HAVE_NULL', errno: 1171 });
    expect(failure('ALTER TABLE t ADD c INT NOT NULL DEFAULT NULL')).toMatchObject({ code: 'ER_INVALID_DEFAULT', message: "Invalid default value for 'c'" });
    expect(failure('ALTER TABLE t ADD c INT DEFAULT CURRENT_TIMESTAMP')).toMatchObject({ code: 'ER_INVALID_DEFAULT' });
    expect(failure('ALTER TABLE t ALTER c SET DEFAULT (@x + 1)')).toMatchObject({ code: 'ER_INVALID_DEFAULT' });
    expect(failure('ALTER TABLE t ADD c INT AS (a + 1)')).toMatchObject({ code: 'ER_NOT_SUPPORTED_YET' });
    expect(failure(`ALTER TABLE t ADD ${'x'.repeat(65)} INT`)).toMatchObject({ code: 'ER_TOO_LONG_IDENT' });
    expect(failure(`ALTER TABLE t RENAME TO ${'x'.repeat(65)}`)).toMatchObject({ code: 'ER_TOO_LONG_IDENT' });
  });

  it('refuses within one statement what MySQL refuses whatever the table holds', () => {
    expect(failure('ALTER TABLE t ADD a INT, ADD A INT')).toMatchObject({ code: 'ER_DUP_FIELDNAME', message: "Duplicate column name 'A'" });
    expect(failure('ALTER TABLE t ADD a INT, RENAME COLUMN b TO a')).toMatchObject({ code: 'ER_DUP_FIELDNAME' });
    expect(failure('ALTER TABLE t ADD PRIMARY KEY (a), ADD b INT PRIMARY KEY')).toMatchObject({ code: 'ER_MULTIPLE_PRI_KEY' });
    expect(failure('ALTER TABLE t ADD INDEX k (a), ADD UNIQUE k (b)')).toMatchObject({ code: 'ER_DUP_KEYNAME', message: "Duplicate key name 'k'" });
    expect(failure('ALTER TABLE t ADD a INT AUTO_INCREMENT KEY, ADD b INT AUTO_INCREMENT KEY')).toMatchObject({ code: 'ER_WRONG_AUTO_KEY' });
    // Dropping and re-adding in one statement is how MySQL redefines a key.
    expect(actions('ALTER TABLE t DROP INDEX k, ADD INDEX k (b)')).toEqual([
      { kind: 'dropIndex', name: 'k' },
      { kind: 'addIndex', index: { kind: 'index', name: 'k', columns: ['b'] } },
    ]);
  });

  it('names what it does not support', () => {
    const cases: [string, string][] = [
      ['ALTER TABLE t ADD FULLTEXT INDEX (a)', 'FULLTEXT indexes'],
      ['ALTER TABLE t RENAME KEY a TO b', 'RENAME INDEX'],
      ['ALTER TABLE t DROP CONSTRAINT c', 'DROP CONSTRAINT'],
      ['ALTER TABLE t ALTER COLUMN a SET INVISIBLE', 'invisible columns'],
      ['ALTER TABLE t ORDER BY a', 'ALTER TABLE ... ORDER BY'],
      ['ALTER TABLE t COALESCE PARTITION 2', 'COALESCE PARTITION'],
      ['ALTER TABLE t REORGANIZE PARTITION p0 INTO (PARTITION p1 VALUES LESS THAN (5))', 'REORGANIZE PARTITION'],
      ['ALTER TABLE t DISCARD TABLESPACE', 'DISCARD TABLESPACE'],
      ['ALTER TABLE t ADD PARTITION PARTITIONS 2', 'ADD PARTITION PARTITIONS'],
      ['ALTER TABLE t PARTITION BY HASH (id) PARTITIONS 4', 'ALTER TABLE ... PARTITION BY'],
      ['ALTER TABLE t REMOVE PARTITIONING', 'REMOVE PARTITIONING'],
      ['ALTER IGNORE TABLE t ADD c INT', 'ALTER IGNORE TABLE'],
    ];
    for (const [sql, what] of cases) {
      expect(failure(sql)).toEqual({ code: 'ER_NOT_SUPPORTED_YET', errno: 1235, sqlState: '42000', message: `This version of ducksafe doesn't yet support '${what}'` });
    }
  });

  it('points a syntax error at the offending token', () => {
    expect(failure('ALTER TABLE t ADD COLUMN')).toMatchObject({ code: 'ER_PARSE_ERROR', message: near('', 1) });
    expect(failure('ALTER TABLE t DROP COLUMN a b')).toMatchObject({ message: near('b', 1) });
    expect(failure('ALTER TABLE t CHANGE a INT')).toMatchObject({ message: near('INT', 1) });
    expect(failure('ALTER TABLE t RENAME COLUMN a b')).toMatchObject({ message: near('b', 1) });
    expect(failure("ALTER TABLE t FLASHBACK TO (SNAPSHOT = 'x')")).toMatchObject({ message: near("= 'x')", 1) });
    expect(failure('ALTER TABLE t SET OPTIONS (a)')).toMatchObject({ message: near(')', 1) });
    expect(failure('ALTER TABLE t\n  ADD COLUMN a INT,\n  DROP COLUMN')).toMatchObject({ message: near('', 3) });
    // Partition maintenance stands alone, as in MySQL.
    expect(failure('ALTER TABLE t ADD c INT, DROP PARTITION p0')).toMatchObject({ message: near('PARTITION p0', 1) });
    expect(failure('ALTER TABLE t TRUNCATE PARTITION p0 ADD x INT')).toMatchObject({ message: near('ADD x INT', 1) });
  });
});

describe('RENAME TABLE and OPTIMIZE TABLE', () => {
  it('reads RENAME TABLE a TO b [, c TO d]', () => {
    expect(parsed('RENAME TABLE a TO b, shop.c TO archive.c')).toEqual({
      kind: 'renameTable',
      paramCount: 0,
      renames: [
        { from: { name: 'a' }, to: { name: 'b' } },
        { from: { db: 'shop', name: 'c' }, to: { db: 'archive', name: 'c' } },
      ],
    });
    expect(failure('RENAME TABLE a b')).toMatchObject({ code: 'ER_PARSE_ERROR', message: near('b', 1) });
    expect(failure(`RENAME TABLE a TO ${'x'.repeat(65)}`)).toMatchObject({ code: 'ER_TOO_LONG_IDENT' });
  });

  it('reads OPTIMIZE [NO_WRITE_TO_BINLOG | LOCAL] TABLE t [, u]', () => {
    expect(parsed('OPTIMIZE TABLE t, shop.u')).toEqual({ kind: 'optimize', paramCount: 0, tables: [{ name: 't' }, { db: 'shop', name: 'u' }] });
    expect(parsed('OPTIMIZE NO_WRITE_TO_BINLOG TABLE t')).toEqual({ kind: 'optimize', paramCount: 0, tables: [{ name: 't' }] });
    expect(parsed('optimize local tables t')).toEqual({ kind: 'optimize', paramCount: 0, tables: [{ name: 't' }] });
    expect(failure('OPTIMIZE t')).toMatchObject({ code: 'ER_PARSE_ERROR', message: near('t', 1) });
  });
});

describe('INSERT and REPLACE', () => {
  const value = (sql: string) => ({ kind: 'expr', expr: { sql, tables: [] } });

  it('reads VALUES rows, DEFAULT and placeholders', () => {
    expect(parsed('INSERT IGNORE INTO t (a, b) VALUES (?, ?), (?, DEFAULT)', [1, 'x', 3])).toEqual({
      kind: 'insert',
      paramCount: 3,
      table: { name: 't' },
      columns: ['a', 'b'],
      source: { kind: 'values', rows: [[value('1'), value("'x'")], [value('3'), { kind: 'default' }]] },
      ignore: true,
      replace: false,
    });
  });

  it('reads VALUE and the SET form', () => {
    expect(parsed('INSERT INTO t VALUE (1, 2)')).toMatchObject({ source: { kind: 'values', rows: [[value('1'), value('2')]] } });
    expect(parsed("INSERT INTO shop.t SET a = 1, b = 'x'")).toMatchObject({
      table: { db: 'shop', name: 't' },
      columns: ['a', 'b'],
      source: { kind: 'values', rows: [[value('1'), value("'x'")]] },
    });
  });

  it('reads INSERT ... SELECT with its tables', () => {
    expect(parsed('INSERT INTO t (a) SELECT a FROM u WHERE a > ?', [5])).toMatchObject({
      paramCount: 1,
      columns: ['a'],
      source: { kind: 'query', query: { sql: 'SELECT "a" FROM "tbl_cur_u" AS "u" WHERE ("a" > 5)', tables: [{ refId: 1, name: 'u' }] } },
    });
    expect(parsed("INSERT INTO t SELECT * FROM t AT (TIMESTAMP => '2026-11-21 13:45:08') WHERE id = 42")).toMatchObject({
      source: { query: { tables: [{ name: 't', asOf: { kind: 'timestamp', value: '2026-11-21 13:45:08' } }] } },
    });
  });

  it('reads REPLACE INTO', () => {
    expect(parsed('REPLACE INTO t VALUES (1)')).toMatchObject({ kind: 'insert', replace: true, ignore: false });
  });

  it('prints VALUES(col) and the row alias of ON DUPLICATE KEY UPDATE through the context', () => {
    expect(parsed('INSERT INTO t (a, b) VALUES (1, 2) ON DUPLICATE KEY UPDATE b = VALUES(b) + b, a = DEFAULT')).toMatchObject({
      onDuplicate: [
        { column: 'b', value: value('(excluded.b + "b")') },
        { column: 'a', value: { kind: 'default' } },
      ],
    });
    expect(parsed('INSERT INTO t (a, b) VALUES (1, 2) AS new ON DUPLICATE KEY UPDATE b = new.b + t.b')).toMatchObject({
      onDuplicate: [{ column: 'b', value: value('(excluded.b + "t"."b")') }],
    });
    expect(parsed('INSERT INTO t (a, b) VALUES (1, 2) AS new (x, y) ON DUPLICATE KEY UPDATE b = new.y')).toMatchObject({
      onDuplicate: [{ column: 'b', value: value('excluded.b') }],
    });
  });

  it('needs the insertedValue hook for VALUES(col), and gives NULL outside ON DUPLICATE KEY UPDATE as MySQL does', () => {
    const statement = parseStatement('INSERT INTO t (a) VALUES (VALUES(a)) ON DUPLICATE KEY UPDATE a = VALUES(a)');
    if (statement.kind !== 'insert' || statement.source.kind !== 'values') throw new Error(statement.kind);
    const full = context();
    const withoutHook: PrintContext = {
      table: (ref) => full.table(ref),
      systemVariable: (name, scope) => full.systemVariable(name, scope),
      userVariable: (name) => full.userVariable(name),
      sessionFunction: (name) => full.sessionFunction(name),
      parameter: (index) => full.parameter(index),
    };
    expect(plain(statement.source.rows, withoutHook)).toEqual([[value('NULL')]]);
    expect(() => plain(statement.onDuplicate, withoutHook)).toThrow(expect.objectContaining({ code: 'ER_NOT_SUPPORTED_YET' }));
  });

  it('refuses rows of the wrong width', () => {
    expect(failure('INSERT INTO t (a, b) VALUES (1, 2), (3)')).toMatchObject({
      code: 'ER_WRONG_VALUE_COUNT_ON_ROW',
      errno: 1136,
      message: "Column count doesn't match value count at row 2",
    });
    expect(failure('INSERT INTO t VALUES (1, 2), (3)')).toMatchObject({ code: 'ER_WRONG_VALUE_COUNT_ON_ROW' });
  });
});

describe('UPDATE and DELETE', () => {
  it('reads a single-table UPDATE with WHERE, ORDER BY and LIMIT', () => {
    expect(parsed('UPDATE t AS x SET a = a + 1, x.b = DEFAULT WHERE x.id IN (SELECT id FROM u) ORDER BY id DESC LIMIT 10')).toEqual({
      kind: 'update',
      paramCount: 0,
      table: { refId: 1, name: 't', alias: 'x' },
      assignments: [
        { column: 'a', value: { kind: 'expr', expr: { sql: '("a" + 1)', tables: [] } } },
        { column: 'b', value: { kind: 'default' } },
      ],
      where: { sql: '("x"."id" IN (SELECT "id" FROM "tbl_cur_u" AS "u"))', tables: [{ refId: 2, name: 'u' }] },
      orderBy: [{ expr: { sql: '"id"', tables: [] }, direction: 'DESC' }],
      limit: 10,
    });
  });

  it('reads a single-table DELETE', () => {
    expect(parsed('DELETE FROM shop.t WHERE a = ? ORDER BY id LIMIT 5', [3])).toEqual({
      kind: 'delete',
      paramCount: 1,
      table: { refId: 1, db: 'shop', name: 't' },
      where: { sql: '("a" = 3)', tables: [] },
      orderBy: [{ expr: { sql: '"id"', tables: [] }, direction: 'ASC' }],
      limit: 5,
      bounds: [{ refId: 1, column: 'a', op: '=', values: [3] }],
    });
    expect(parsed('DELETE FROM t')).toEqual({ kind: 'delete', paramCount: 0, table: { refId: 1, name: 't' } });
  });

  it('says multi-table forms are not supported', () => {
    expect(failure('UPDATE t JOIN u ON t.id = u.id SET t.a = u.a')).toMatchObject({ code: 'ER_NOT_SUPPORTED_YET', message: "This version of ducksafe doesn't yet support 'multi-table UPDATE'" });
    expect(failure('DELETE t FROM t JOIN u ON t.id = u.id')).toMatchObject({ code: 'ER_NOT_SUPPORTED_YET' });
  });
});

describe('DESCRIBE and SHOW', () => {
  const show = (sql: string) => (parsed(sql) as { show: unknown }).show;

  it('reads DESCRIBE, DESC and EXPLAIN of a table', () => {
    expect(parsed('DESCRIBE t')).toEqual({ kind: 'describe', paramCount: 0, table: { name: 't' } });
    expect(parsed('DESC shop.t')).toEqual({ kind: 'describe', paramCount: 0, table: { db: 'shop', name: 't' } });
    expect(parsed('EXPLAIN t')).toEqual({ kind: 'describe', paramCount: 0, table: { name: 't' } });
    expect(parsed("DESCRIBE t 'a%'")).toEqual({ kind: 'show', paramCount: 0, show: { kind: 'columns', table: { name: 't' }, full: false, filter: { kind: 'like', pattern: 'a%' } } });
    expect(failure('EXPLAIN SELECT 1')).toMatchObject({ code: 'ER_NOT_SUPPORTED_YET', message: "This version of ducksafe doesn't yet support 'EXPLAIN'" });
  });

  it('reads SHOW [FULL] COLUMNS / FIELDS FROM t [FROM db] [LIKE | WHERE]', () => {
    expect(show('SHOW COLUMNS FROM t')).toEqual({ kind: 'columns', table: { name: 't' }, full: false });
    expect(show("SHOW FULL FIELDS IN t FROM shop LIKE 'a%'")).toEqual({ kind: 'columns', table: { db: 'shop', name: 't' }, full: true, filter: { kind: 'like', pattern: 'a%' } });
    expect(show("SHOW COLUMNS FROM shop.t WHERE Field = 'id'")).toEqual({
      kind: 'columns',
      table: { db: 'shop', name: 't' },
      full: false,
      filter: { kind: 'where', expr: { sql: `("Field" = 'id')`, tables: [] } },
    });
  });

  it('reads SHOW DATABASES / SCHEMAS [LIKE | WHERE]', () => {
    expect(show('SHOW DATABASES')).toEqual({ kind: 'databases' });
    expect(show("SHOW SCHEMAS LIKE 'sh%'")).toEqual({ kind: 'databases', filter: { kind: 'like', pattern: 'sh%' } });
    expect(show('SHOW DATABASES WHERE `Database` <> "mysql"')).toEqual({ kind: 'databases', filter: { kind: 'where', expr: { sql: `("Database" <> 'mysql')`, tables: [] } } });
  });

  it('reads SHOW [FULL] TABLES [FROM | IN db] [LIKE | WHERE]', () => {
    expect(show('SHOW TABLES')).toEqual({ kind: 'tables', full: false });
    expect(show('SHOW FULL TABLES FROM shop')).toEqual({ kind: 'tables', db: 'shop', full: true });
    expect(show("SHOW TABLES IN shop LIKE 'o%'")).toEqual({ kind: 'tables', db: 'shop', full: false, filter: { kind: 'like', pattern: 'o%' } });
    expect(show("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'")).toMatchObject({ kind: 'tables', full: true, filter: { kind: 'where' } });
  });

  it('reads the other SHOW statements clients send', () => {
    expect(show('SHOW CREATE TABLE shop.t')).toEqual({ kind: 'createTable', table: { db: 'shop', name: 't' } });
    expect(show('SHOW CREATE DATABASE IF NOT EXISTS shop')).toEqual({ kind: 'createDatabase', db: 'shop', ifNotExists: true });
    expect(show('SHOW CREATE SCHEMA shop')).toEqual({ kind: 'createDatabase', db: 'shop', ifNotExists: false });
    expect(show('SHOW INDEX FROM t')).toEqual({ kind: 'index', table: { name: 't' } });
    expect(show('SHOW INDEXES IN t FROM shop')).toEqual({ kind: 'index', table: { db: 'shop', name: 't' } });
    expect(show("SHOW KEYS FROM t WHERE Key_name = 'PRIMARY'")).toMatchObject({ kind: 'index', filter: { kind: 'where' } });
    expect(show("SHOW TABLE STATUS FROM shop LIKE 't%'")).toEqual({ kind: 'tableStatus', db: 'shop', filter: { kind: 'like', pattern: 't%' } });
    expect(show('SHOW VARIABLES')).toEqual({ kind: 'variables', scope: 'default' });
    expect(show("SHOW SESSION VARIABLES LIKE 'sql_mode'")).toEqual({ kind: 'variables', scope: 'session', filter: { kind: 'like', pattern: 'sql_mode' } });
    expect(show("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('a', 'b')")).toMatchObject({ kind: 'variables', scope: 'global', filter: { kind: 'where' } });
    expect(show("SHOW LOCAL STATUS LIKE 'Ssl_cipher'")).toEqual({ kind: 'status', scope: 'session', filter: { kind: 'like', pattern: 'Ssl_cipher' } });
    expect(show('SHOW /*!50002 GLOBAL */ STATUS')).toEqual({ kind: 'status', scope: 'global' });
    expect(show('SHOW WARNINGS')).toEqual({ kind: 'warnings', count: false });
    expect(show('SHOW ERRORS LIMIT 5')).toEqual({ kind: 'errors', count: false, limit: 5 });
    expect(show('SHOW COUNT(*) WARNINGS')).toEqual({ kind: 'warnings', count: true });
    expect(show('SHOW STORAGE ENGINES')).toEqual({ kind: 'engines' });
    expect(show('SHOW ENGINES')).toEqual({ kind: 'engines' });
    expect(show("SHOW CHARACTER SET LIKE 'utf8%'")).toEqual({ kind: 'charset', filter: { kind: 'like', pattern: 'utf8%' } });
    expect(show('SHOW CHARSET')).toEqual({ kind: 'charset' });
    expect(show('SHOW COLLATION WHERE Charset = "utf8mb4"')).toMatchObject({ kind: 'collation', filter: { kind: 'where' } });
    expect(show('SHOW PROCESSLIST')).toEqual({ kind: 'processlist' });
    expect(show('SHOW FULL PROCESSLIST')).toEqual({ kind: 'processlist' });
    expect(show('SHOW PLUGINS')).toEqual({ kind: 'plugins' });
    expect(show('SHOW PRIVILEGES')).toEqual({ kind: 'privileges' });
    expect(show('SHOW GRANTS')).toEqual({ kind: 'grants' });
    expect(show('SHOW GRANTS FOR CURRENT_USER()')).toEqual({ kind: 'grants' });
    expect(show("SHOW GRANTS FOR 'app'@'%'")).toEqual({ kind: 'grants', user: 'app@%' });
    expect(show('SHOW PARTITIONS FROM t')).toEqual({ kind: 'partitions', table: { name: 't' } });
  });
});

describe('SET', () => {
  const assignments = (sql: string) => (parsed(sql) as { assignments: unknown }).assignments;
  const expr = (sql: string) => ({ kind: 'expr', expr: { sql, tables: [] } });

  it('reads the assignments MySQL Connector/J sends, the scope carrying over', () => {
    expect(assignments("set autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES')")).toEqual([
      { kind: 'system', scope: 'default', name: 'autocommit', value: expr('1') },
      { kind: 'system', scope: 'default', name: 'sql_mode', value: expr(`('default:sql_mode' || ',STRICT_TRANS_TABLES')`) },
    ]);
    expect(assignments('SET GLOBAL a = 1, b = 2, SESSION c = 3, d = 4')).toEqual([
      { kind: 'system', scope: 'global', name: 'a', value: expr('1') },
      { kind: 'system', scope: 'global', name: 'b', value: expr('2') },
      { kind: 'system', scope: 'session', name: 'c', value: expr('3') },
      { kind: 'system', scope: 'session', name: 'd', value: expr('4') },
    ]);
  });

  it('reads @@ forms, DEFAULT, and bare words such as ON', () => {
    expect(assignments('SET @@session.max_execution_time = 10, @@GLOBAL.x = 2, @@y = 3')).toEqual([
      { kind: 'system', scope: 'session', name: 'max_execution_time', value: expr('10') },
      { kind: 'system', scope: 'global', name: 'x', value: expr('2') },
      { kind: 'system', scope: 'default', name: 'y', value: expr('3') },
    ]);
    expect(assignments('set @@sql_select_limit=DEFAULT')).toEqual([{ kind: 'system', scope: 'default', name: 'sql_select_limit', value: { kind: 'default' } }]);
    expect(assignments('SET SESSION sql_mode = DEFAULT')).toEqual([{ kind: 'system', scope: 'session', name: 'sql_mode', value: { kind: 'default' } }]);
    expect(assignments('SET x = ON, y = OFF, sql_mode = TRADITIONAL')).toEqual([
      { kind: 'system', scope: 'default', name: 'x', value: { kind: 'keyword', word: 'ON' } },
      { kind: 'system', scope: 'default', name: 'y', value: { kind: 'keyword', word: 'OFF' } },
      { kind: 'system', scope: 'default', name: 'sql_mode', value: { kind: 'keyword', word: 'TRADITIONAL' } },
    ]);
    expect(assignments('SET SQL_AUTO_IS_NULL = 0, AUTOCOMMIT = 0')).toEqual([
      { kind: 'system', scope: 'default', name: 'sql_auto_is_null', value: expr('0') },
      { kind: 'system', scope: 'default', name: 'autocommit', value: expr('0') },
    ]);
  });

  it('reads user variables', () => {
    expect(assignments("SET @a = 1, @`b c` := 'x', @d = @a + 1")).toEqual([
      { kind: 'user', name: 'a', value: { sql: '1', tables: [] } },
      { kind: 'user', name: 'b c', value: { sql: "'x'", tables: [] } },
      { kind: 'user', name: 'd', value: { sql: '(5 + 1)', tables: [] } },
    ]);
  });

  it('reads SET NAMES and SET CHARACTER SET', () => {
    expect(assignments('SET NAMES utf8mb4')).toEqual([{ kind: 'names', charset: 'utf8mb4' }]);
    expect(assignments("SET NAMES 'utf8mb4' COLLATE 'utf8mb4_unicode_ci'")).toEqual([{ kind: 'names', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' }]);
    expect(assignments('SET NAMES DEFAULT')).toEqual([{ kind: 'names', charset: 'utf8mb4' }]);
    expect(assignments('SET CHARACTER SET latin1')).toEqual([
      { kind: 'system', scope: 'session', name: 'character_set_client', value: { kind: 'keyword', word: 'latin1' } },
      { kind: 'system', scope: 'session', name: 'character_set_results', value: { kind: 'keyword', word: 'latin1' } },
      { kind: 'system', scope: 'session', name: 'character_set_connection', value: expr("'default:character_set_database'") },
    ]);
  });

  it('reads SET TRANSACTION', () => {
    expect(assignments('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')).toEqual([{ kind: 'transaction', scope: 'session', isolation: 'READ-COMMITTED' }]);
    expect(assignments('SET TRANSACTION READ ONLY')).toEqual([{ kind: 'transaction', scope: 'default', readOnly: true }]);
    expect(assignments('SET GLOBAL TRANSACTION READ WRITE, ISOLATION LEVEL SERIALIZABLE')).toEqual([
      { kind: 'transaction', scope: 'global', readOnly: false, isolation: 'SERIALIZABLE' },
    ]);
  });

  it('runs the SET inside an executable comment', () => {
    expect(assignments('/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */')).toEqual([{ kind: 'user', name: 'old_sql_mode', value: { sql: "'default:sql_mode'", tables: [] } }]);
  });
});

describe('transactions, KILL, LOCK, FLUSH', () => {
  it('reads BEGIN and START TRANSACTION', () => {
    expect(parsed('BEGIN')).toEqual({ kind: 'begin', paramCount: 0, readOnly: false });
    expect(parsed('BEGIN WORK')).toEqual({ kind: 'begin', paramCount: 0, readOnly: false });
    expect(parsed('START TRANSACTION')).toEqual({ kind: 'begin', paramCount: 0, readOnly: false });
    expect(parsed('START TRANSACTION READ ONLY')).toEqual({ kind: 'begin', paramCount: 0, readOnly: true });
    expect(parsed('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ WRITE')).toEqual({ kind: 'begin', paramCount: 0, readOnly: false });
  });

  it('reads COMMIT and ROLLBACK, with WORK and the default completion', () => {
    expect(parsed('COMMIT')).toEqual({ kind: 'commit', paramCount: 0 });
    expect(parsed('COMMIT WORK AND NO CHAIN NO RELEASE')).toEqual({ kind: 'commit', paramCount: 0 });
    expect(parsed('ROLLBACK WORK')).toEqual({ kind: 'rollback', paramCount: 0 });
    expect(failure('COMMIT AND CHAIN')).toMatchObject({ code: 'ER_NOT_SUPPORTED_YET' });
    expect(failure('ROLLBACK TO SAVEPOINT s')).toMatchObject({ code: 'ER_NOT_SUPPORTED_YET' });
  });

  it('reads KILL [CONNECTION | QUERY] id', () => {
    expect(parsed('KILL 12')).toEqual({ kind: 'kill', paramCount: 0, target: 'connection', id: 12 });
    expect(parsed('KILL CONNECTION 12')).toEqual({ kind: 'kill', paramCount: 0, target: 'connection', id: 12 });
    expect(parsed('KILL QUERY 12')).toEqual({ kind: 'kill', paramCount: 0, target: 'query', id: 12 });
  });

  it('accepts LOCK TABLES, UNLOCK TABLES and FLUSH as no-ops', () => {
    expect(parsed('LOCK TABLES t READ, u AS x LOW_PRIORITY WRITE')).toEqual({ kind: 'noop', paramCount: 0, what: 'LOCK TABLES' });
    expect(parsed('UNLOCK TABLES')).toEqual({ kind: 'noop', paramCount: 0, what: 'UNLOCK TABLES' });
    expect(parsed('FLUSH PRIVILEGES')).toEqual({ kind: 'noop', paramCount: 0, what: 'FLUSH' });
    expect(parsed('FLUSH TABLES t1, t2 WITH READ LOCK')).toEqual({ kind: 'noop', paramCount: 0, what: 'FLUSH' });
  });

  it("accepts mysqldump's ALTER TABLE ... DISABLE KEYS / ENABLE KEYS as no-ops", () => {
    expect(parsed('/*!40000 ALTER TABLE `orders` DISABLE KEYS */')).toEqual({ kind: 'noop', paramCount: 0, what: 'ALTER TABLE ... KEYS' });
    expect(parsed('ALTER TABLE shop.orders ENABLE KEYS')).toEqual({ kind: 'noop', paramCount: 0, what: 'ALTER TABLE ... KEYS' });
  });
});

describe('errors', () => {
  it('answers a syntax error in MySQL words, pointing at the offending token', () => {
    expect(failure('SELECT * FORM t')).toEqual({ code: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000', message: near('FORM t', 1) });
    expect(failure('SELEC 1')).toMatchObject({ message: near('SELEC 1', 1) });
    expect(failure('SHOW FOO')).toMatchObject({ message: near('FOO', 1) });
  });

  it('gives the line of the error in a statement over several lines', () => {
    expect(failure('SELECT a,\n  b\nFROM t WHERE x = = 1')).toMatchObject({ message: near('= 1', 3) });
  });

  it('points at the end for a statement cut short', () => {
    expect(failure('SELECT a FROM t WHERE')).toMatchObject({ message: near('', 1) });
    expect(failure('INSERT INTO t VALUES (1,\n')).toMatchObject({ message: near('', 2) });
  });

  it('points at an unterminated string or comment, not at the end', () => {
    expect(failure("SELECT 'abc")).toMatchObject({ message: near("'abc", 1) });
    expect(failure('SELECT 1 /* never closed')).toMatchObject({ message: near('/* never closed', 1) });
  });

  it('quotes at most 80 characters of the rest of the statement', () => {
    const rest = `FROM ${'x'.repeat(100)}`;
    expect(failure(`SELECT * * ${rest}`).message).toBe(near(`* ${rest}`.slice(0, 80), 1));
  });

  it('answers a statement nested too deeply for the parser with ER_STACK_OVERRUN_NEED_MORE', () => {
    const depth = 20000;
    expect(failure(`SELECT ${'('.repeat(depth)}1${')'.repeat(depth)}`)).toMatchObject({ code: 'ER_STACK_OVERRUN_NEED_MORE', errno: 1436, sqlState: 'HY000' });
  });

  it('answers nothing but whitespace and comments with ER_EMPTY_QUERY', () => {
    for (const sql of ['', '   ', '-- a comment', '/* a comment */', '/*!99999 SELECT 1 */']) {
      expect(failure(sql)).toEqual({ code: 'ER_EMPTY_QUERY', errno: 1065, sqlState: '42000', message: 'Query was empty' });
    }
  });

  it('says "not supported" for MySQL statements ducksafe does not have', () => {
    const cases: [string, string][] = [
      ['HANDLER t OPEN', 'HANDLER'],
      ['ALTER TABLE t RENAME INDEX a TO b', 'RENAME INDEX'],
      ['RENAME USER a TO b', 'RENAME USER'],
      ['ALTER EVENT e DISABLE', 'ALTER EVENT'],
      ['CREATE DEFINER=app PROCEDURE p() BEGIN END', 'CREATE DEFINER'],
      ['CREATE FULLTEXT INDEX i ON t (a)', 'CREATE FULLTEXT'],
      ['DROP TRIGGER tr', 'DROP TRIGGER'],
      ['SHOW TRIGGERS', 'SHOW TRIGGERS'],
      ['SHOW CREATE TRIGGER tr', 'SHOW CREATE TRIGGER'],
      ['SET ROLE ALL', 'SET ROLE'],
      ['/* app */ PREPARE s FROM "SELECT 1"', 'PREPARE'],
    ];
    for (const [sql, what] of cases) {
      expect(failure(sql)).toEqual({ code: 'ER_NOT_SUPPORTED_YET', errno: 1235, sqlState: '42000', message: `This version of ducksafe doesn't yet support '${what}'` });
    }
  });
});

describe('a mysqldump file', () => {
  const dump = `-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ '';
CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`shop\` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */;
USE \`shop\`;
DROP TABLE IF EXISTS \`orders\`;
CREATE TABLE \`orders\` (
  \`id\` int NOT NULL AUTO_INCREMENT,
  \`amount\` decimal(10,2) NOT NULL DEFAULT '0.00',
  \`note\` text COLLATE utf8mb4_unicode_ci,
  \`status\` enum('new','paid') CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci NOT NULL DEFAULT 'new',
  \`created_at\` timestamp NULL DEFAULT CURRENT_TIMESTAMP,
  \`updated_at\` datetime DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (\`id\`),
  CONSTRAINT \`fk\` FOREIGN KEY (\`id\`) REFERENCES \`other\` (\`id\`) ON DELETE CASCADE
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci ROW_FORMAT=DYNAMIC;
LOCK TABLES \`orders\` WRITE;
/*!40000 ALTER TABLE \`orders\` DISABLE KEYS */;
INSERT INTO \`orders\` VALUES (1,10.50,'it\\'s \\"fine\\"\\nreally','new','2024-01-01 10:00:00',NULL),(2,-3.00,NULL,'paid',NULL,NULL);
/*!40000 ALTER TABLE \`orders\` ENABLE KEYS */;
UNLOCK TABLES;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
-- Dump completed`;

  it('splits and parses every statement', () => {
    const kinds = splitStatements(dump).map((sql) => parseStatement(sql).kind);
    expect(kinds).toEqual(['set', 'set', 'set', 'set', 'set', 'createDatabase', 'use', 'dropTable', 'createTable', 'noop', 'noop', 'insert', 'noop', 'noop', 'set']);
  });

  it('reads the dumped rows with their escapes', () => {
    const insert = splitStatements(dump).map((sql) => parseStatement(sql)).find((s) => s.kind === 'insert');
    expect(plain(insert, context())).toMatchObject({
      source: {
        rows: [
          [{ expr: { sql: '1' } }, { expr: { sql: '10.50' } }, { expr: { sql: `'it''s "fine"\nreally'` } }, { expr: { sql: "'new'" } }, { expr: { sql: "'2024-01-01 10:00:00'" } }, { expr: { sql: 'NULL' } }],
          [{ expr: { sql: '2' } }, { expr: { sql: '(- 3.00)' } }, { expr: { sql: 'NULL' } }, { expr: { sql: "'paid'" } }, { expr: { sql: 'NULL' } }, { expr: { sql: 'NULL' } }],
        ],
      },
    });
  });
});

describe('parseColumnType', () => {
  it('reads back the types SHOW COLUMNS prints', () => {
    expect(parseColumnType('int unsigned')).toEqual({ base: 'INT', unsigned: true, mysql: 'int unsigned', duck: 'UINTEGER' });
    expect(parseColumnType('decimal(10,2)')).toMatchObject({ mysql: 'decimal(10,2)', duck: 'DECIMAL(10,2)' });
    expect(parseColumnType("enum('a','b''c')")).toMatchObject({ mysql: "enum('a','b''c')", values: ['a', "b'c"] });
    expect(parseColumnType('tinyint(1)')).toMatchObject({ base: 'TINYINT', mysql: 'tinyint(1)', duck: 'TINYINT' });
  });

  it('refuses what is not a type', () => {
    expect(() => parseColumnType('int nonsense')).toThrow(expect.objectContaining({ code: 'ER_PARSE_ERROR' }));
  });
});

describe('every statement kind', () => {
  it('is produced by some statement above', () => {
    const kinds = new Set<Statement['kind']>();
    const samples = [
      'SELECT 1', 'CREATE DATABASE d', 'DROP DATABASE d', 'USE d', 'CREATE TABLE t (a INT)', 'DROP TABLE t', 'TRUNCATE t',
      'INSERT INTO t VALUES (1)', 'UPDATE t SET a = 1', 'DELETE FROM t', 'SHOW TABLES', 'DESCRIBE t', 'SET @a = 1', 'BEGIN',
      'COMMIT', 'ROLLBACK', 'KILL 1', 'UNLOCK TABLES', 'ALTER TABLE t ADD b INT', 'RENAME TABLE t TO u', 'OPTIMIZE TABLE t', 'CHECKSUM TABLE t',
      'UNDROP TABLE t', 'UNDROP DATABASE d', 'CREATE VIEW v AS SELECT 1', 'DROP VIEW v', "LOAD DATA LOCAL INFILE 'f' INTO TABLE t", "UNDELETE FROM t AT (SNAPSHOT => '1')", 'SHOW REPOSITORIES', 'VACUUM TABLE t',
      "CALL system$fuse_amend('d', 't')", "CREATE USER 'u'@'%'",
    ];
    for (const sql of samples) kinds.add(parseStatement(sql).kind);
    const all: Record<Statement['kind'], true> = {
      select: true, createDatabase: true, dropDatabase: true, use: true, createTable: true, createView: true, dropView: true, loadData: true, dropTable: true, truncate: true, insert: true,
      update: true, delete: true, show: true, describe: true, set: true, begin: true, commit: true, rollback: true, kill: true, noop: true,
      alterTable: true, renameTable: true, optimize: true, checksum: true, undropTable: true, undropDatabase: true, undelete: true, backupAdmin: true,
      vacuum: true, failSafe: true, userAdmin: true,
    };
    expect([...kinds].sort()).toEqual(Object.keys(all).sort());
  });
});

describe('CHECKSUM TABLE', () => {
  it('parses tables, QUICK and EXTENDED', () => {
    expect(parseStatement('CHECKSUM TABLE a, db.b EXTENDED')).toEqual({ kind: 'checksum', paramCount: 0, tables: [{ name: 'a' }, { db: 'db', name: 'b' }] });
    expect(parseStatement('checksum tables t quick')).toEqual({ kind: 'checksum', paramCount: 0, tables: [{ name: 't' }] });
    expect(() => parseStatement('CHECKSUM TABLE')).toThrow(/SQL syntax/);
  });
});

describe('UNDROP and SHOW DROP TABLES', () => {
  it('parses the Databend forms', () => {
    expect(parseStatement('UNDROP TABLE db.t')).toMatchObject({ kind: 'undropTable', table: { db: 'db', name: 't' } });
    expect(parseStatement('undrop table t AS t_old')).toMatchObject({ kind: 'undropTable', table: { name: 't' }, as: { name: 't_old' } });
    expect(parseStatement('UNDROP SCHEMA shop')).toMatchObject({ kind: 'undropDatabase', name: 'shop' });
    expect(parseStatement("SHOW DROP TABLES FROM shop LIKE 'o%'")).toMatchObject({ kind: 'show', show: { kind: 'dropTables', db: 'shop', filter: { kind: 'like', pattern: 'o%' } } });
    expect(() => parseStatement('UNDROP TABLE')).toThrow(/near '' at line 1/);
    expect(parseStatement("UNDELETE FROM t WHERE id = 42 AT (TIMESTAMP => '2026-11-21 10:00:00')")).toMatchObject({
      kind: 'undelete',
      table: { name: 't', asOf: { kind: 'timestamp', value: '2026-11-21 10:00:00' } },
    });
    expect(parseStatement("UNDELETE FROM db.t AT (SNAPSHOT => '7')")).toMatchObject({ kind: 'undelete', table: { db: 'db', name: 't', asOf: { kind: 'snapshot', id: '7' } } });
    expect(() => parseStatement('UNDELETE FROM t WHERE id = 1')).toThrow(/SQL syntax/);
  });
});


describe('VACUUM', () => {
  it('parses the Databend forms', () => {
    expect(parseStatement('VACUUM TABLE t')).toEqual({ kind: 'vacuum', paramCount: 0, dryRun: false, target: { kind: 'table', table: { name: 't' } } });
    expect(parseStatement('vacuum table shop.orders dry run;')).toEqual({
      kind: 'vacuum',
      paramCount: 0,
      dryRun: true,
      target: { kind: 'table', table: { db: 'shop', name: 'orders' } },
    });
    expect(parseStatement('VACUUM DROP TABLE')).toEqual({ kind: 'vacuum', paramCount: 0, dryRun: false, target: { kind: 'dropped' } });
    expect(parseStatement('VACUUM DROP TABLE FROM `shop` DRY RUN')).toEqual({ kind: 'vacuum', paramCount: 0, dryRun: true, target: { kind: 'dropped', db: 'shop' } });
  });

  it('refuses what is not VACUUM', () => {
    expect(() => parseStatement('VACUUM t')).toThrow(/SQL syntax/);
    expect(() => parseStatement('VACUUM TABLE t DRY')).toThrow(/SQL syntax/);
    expect(() => parseStatement('VACUUM TABLE t DRYRUN')).toThrow(/SQL syntax/);
    expect(() => parseStatement('VACUUM DROP TABLE FROM')).toThrow(/SQL syntax/);
  });
});
