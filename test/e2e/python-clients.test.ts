// The real server through Python's MySQL stack as Debian ships it for /usr/bin/python3:
// PyMySQL (types, parameters it escapes itself, autocommit, errors) and SQLAlchemy 1.4
// with mysql+pymysql (connect-time queries, reflection, Core and text() queries, the
// pool's ROLLBACK), including a table restored from a backup. The programs are
// test/clients/python/*.py; each prints one JSON object that is compared here.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir, type ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

const PYTHON = '/usr/bin/python3';
const CLIENTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'clients', 'python');

function importable(module: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${module}`]).status === 0;
}
const hasPyMySQL = importable('pymysql');
const hasSqlAlchemy = hasPyMySQL && importable('sqlalchemy');
if (!hasPyMySQL) console.log(`python-clients PyMySQL tests skipped: ${PYTHON} cannot import pymysql (.ci/run installs python3-pymysql)`);
if (!hasSqlAlchemy) console.log(`python-clients SQLAlchemy tests skipped: ${PYTHON} cannot import sqlalchemy and pymysql (.ci/run installs python3-sqlalchemy)`);

/** Runs a client program; resolves with the JSON object it printed. */
function runClient(script: string, args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(CLIENTS, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`${script} exited with ${String(code)}:\n${stderr}\n${stdout}`));
      else resolve(JSON.parse(stdout) as Record<string, unknown>);
    });
  });
}

/** The statements the server refused since `from` (its log line index). */
function failedSince(server: ServerProcess, from: number): string[] {
  return server.logs.slice(from).flatMap((l) => (String(l.msg).startsWith('statement failed') ? [String(l.sql)] : []));
}

async function waitForJob(conn: Connection, kind: 'BACKUP' | 'RESTORE', db: string, label: string): Promise<Record<string, unknown>> {
  const column = kind === 'BACKUP' ? 'SnapshotName' : 'Label';
  for (const until = Date.now() + 60_000; ; ) {
    const [rows] = await conn.query<RowDataPacket[]>(`SHOW ${kind} FROM ${db} WHERE ${column} = '${label}'`);
    const row = rows[0];
    if (row !== undefined && ['FINISHED', 'CANCELLED'].includes(String(row.State))) return row;
    if (Date.now() > until) throw new Error(`${kind} ${label} did not finish: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const SHOP = [
  'CREATE TABLE customers (id INT NOT NULL AUTO_INCREMENT, email VARCHAR(80) NOT NULL, name VARCHAR(40) DEFAULT \'anon\', ' +
    'active BOOLEAN NOT NULL DEFAULT TRUE, created DATETIME, PRIMARY KEY (id), UNIQUE KEY uq_email (email), KEY ix_name (name))',
  "CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40) NOT NULL, amount DECIMAL(10,2), status VARCHAR(16) NOT NULL DEFAULT 'open', " +
    'placed DATE, KEY ix_customer_status (customer, status))',
  "INSERT INTO orders VALUES (1, 'amy', 12.50, 'paid', '2024-01-02'), (2, 'amy', 7.25, 'open', '2024-01-03'), " +
    "(3, 'bob', 30.00, 'paid', '2024-02-01'), (4, 'bob', 99.99, 'cancelled', NULL), (5, 'cat', NULL, 'open', NULL)",
  'CREATE VIEW big_orders AS SELECT id, customer, amount FROM orders WHERE amount > 10',
];

describe.each(warehouseKinds('python-clients e2e'))('Python clients against a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let conn: Connection;
  let repoDir: string;

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    repoDir = await tempDir('py-repo');
    conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await conn.query('CREATE DATABASE pyt');
    await conn.query('CREATE DATABASE shop');
    await conn.query('USE shop');
    for (const sql of SHOP) await conn.query(sql);
    // `orders`, backed up and restored under a new name: restored tables must reflect like any other.
    await conn.query(`CREATE REPOSITORY backups WITH LOCAL ON LOCATION "file://${repoDir}"`);
    await conn.query('BACKUP SNAPSHOT shop.snap1 TO backups ON (orders)');
    expect((await waitForJob(conn, 'BACKUP', 'shop', 'snap1')).State).toBe('FINISHED');
    const [snapshots] = await conn.query<RowDataPacket[]>("SHOW SNAPSHOT ON backups WHERE SNAPSHOT = 'snap1'");
    const timestamp = String(snapshots.at(-1)?.Timestamp);
    await conn.query(`RESTORE SNAPSHOT shop.snap1 FROM backups ON (orders AS orders_restored) PROPERTIES ("backup_timestamp" = "${timestamp}")`);
    expect((await waitForJob(conn, 'RESTORE', 'shop', 'snap1')).State).toBe('FINISHED');
  });

  afterAll(async () => {
    await conn?.end();
    await server?.stop();
    await warehouse?.remove();
    if (repoDir !== undefined) await removeDir(repoDir);
  });

  it.skipIf(!hasPyMySQL)('PyMySQL: types, escaped parameters, executemany, autocommit, errors', async () => {
    const logFrom = server.logs.length;
    const out = await runClient('pymysql_client.py', ['127.0.0.1', String(server.port), 'root', 'pyt']);
    expect(out.server_version).toMatch(/^8\.0\.\d+-ducksafe/);
    expect(out.autocommit_at_connect).toBe(false);
    expect(out.insert).toEqual({ rowcount: 1, lastrowid: 1 });
    expect(out.insert_nulls_lastrowid).toBe(2);

    // MySQL's type codes for columns read from a table: TINY 1, SHORT 2, LONG 3, LONGLONG 8,
    // NEWDECIMAL 246, FLOAT 4, DOUBLE 5, VAR_STRING 253 (VARCHAR, VARBINARY), STRING 254 (CHAR),
    // BLOB 252 (TEXT, BLOB), DATE 10, DATETIME 12, TIMESTAMP 7, TIME 11, JSON 245.
    expect(out.columns).toEqual([
      ['id', 3], ['ti', 1], ['si', 2], ['i', 3], ['bi', 8], ['d', 246], ['f', 4], ['db', 5], ['s', 253], ['tx', 252], ['ch', 254],
      ['bl', 252], ['vb', 253], ['dt', 10], ['dtt', 12], ['ts', 7], ['tm', 11], ['b', 1], ['j', 245],
    ]);
    const [full, empty] = out.rows as unknown[][];
    expect(full).toEqual([
      ['int', 1], ['int', -5], ['int', 300], ['int', -70000], ['int', 9007199254740993], ['Decimal', '-12.34'], ['float', 1.5], ['float', 2.25],
      ['str', 'O\'Brien \\ "quoted" ünïcødé 😀'], ['str', 'long text'], ['str', 'abc'],
      // Bytes that are not UTF-8 (0xff, 0x80) and NUL arrive inside the statement text and are stored as they are.
      ['bytes', '0001fffe2062696e6172792080'], ['bytes', 'c3a974c3a9'],
      ['date', '2024-02-29'], ['datetime', '2024-12-31T23:59:58'], ['datetime', '2024-01-02T03:04:05.123456'],
      ['timedelta', 13 * 3600 + 3 * 60 + 4], ['int', 1], ['str', '{"a": [1, 2]}'],
    ]);
    expect(empty).toEqual([['int', 2], ...Array.from({ length: 18 }, () => ['NoneType', null])]);

    expect(out.like_in).toEqual([1]);
    expect(out.named).toEqual([['int', 42], ['str', 'x\ny']]);
    expect(out.executemany_rowcount).toBe(3);
    expect(out).toMatchObject({
      uncommitted_seen_by_other: 3,
      after_rollback: 3,
      after_commit_seen_by_other: 4,
      autocommit_after_set: true,
      autocommit_insert_seen_by_other: 5,
    });
    expect(out.dict_rows).toEqual([
      { id: ['int', 4], name: ['str', 'fig'], price: ['Decimal', '9.99'] },
      { id: ['int', 3], name: ['str', 'plum'], price: ['Decimal', '3.00'] },
    ]);
    expect(out.streamed).toEqual([1, 2, 3, 4, 5]);
    expect(out.assigned).toEqual(['Decimal', '9.99']);
    expect(out.read_back).toEqual([[4, ['Decimal', '9.99']]]);
    expect(out.bytes_into_text).toEqual(['é', 'plain']);
    expect(out.errors).toEqual({
      not_utf8_into_text: { class: 'DataError', errno: 1366, message: 'Incorrect string value: the bytes are not valid utf8mb4' },
      no_such_table: { class: 'ProgrammingError', errno: 1146, message: "Table 'pyt.nosuch' doesn't exist" },
      duplicate_key: { class: 'IntegrityError', errno: 1062, message: "Duplicate entry '1' for key 'items.PRIMARY'" },
      syntax: expect.objectContaining({ class: 'ProgrammingError', errno: 1064 }) as unknown,
      unknown_column: { class: 'OperationalError', errno: 1054, message: "Unknown column 'nosuch' in 'field list'" },
    });
    expect(out.count_after_errors).toBe(5);
    expect(out.ping).toBe(true);
    // Only the statements meant to fail did: nothing PyMySQL sends on its own was refused.
    expect(failedSince(server, logFrom)).toEqual([
      "INSERT INTO items (id, name) VALUES (8, '\udcff\udcfe')",
      'SELECT * FROM nosuch',
      "INSERT INTO items VALUES (1, 'again', 1)",
      'SELEC 1',
      'SELECT nosuch FROM items',
    ]);
  });

  it.skipIf(!hasSqlAlchemy)('SQLAlchemy: connect, reflect tables, views, keys and a restored table, Core and text() queries, pool ROLLBACK, the ORM', async () => {
    const logFrom = server.logs.length;
    const out = await runClient('sqlalchemy_client.py', [`mysql+pymysql://root@127.0.0.1:${server.port}/shop`, 'shop', 'customers', 'orders', 'orders_restored']);
    expect((out.server_version_info as number[]).slice(0, 3)).toEqual([8, 0, 36]);
    expect(out).toMatchObject({ default_schema_name: 'shop', is_mariadb: false, isolation_level: 'REPEATABLE READ' });
    expect(out.isolation_levels).toEqual({
      'READ COMMITTED': ['READ COMMITTED', 'READ-COMMITTED', 0],
      SERIALIZABLE: ['SERIALIZABLE', 'SERIALIZABLE', 0],
      AUTOCOMMIT: ['REPEATABLE READ', 'REPEATABLE-READ', 1],
    });
    expect(out.schemas).toEqual(expect.arrayContaining(['information_schema', 'pyt', 'shop']));
    expect(out.tables).toEqual(['customers', 'orders', 'orders_restored']);
    expect(out.views).toEqual(['big_orders']);

    const ordersColumns = [
      { name: 'id', type: 'INTEGER', nullable: false, default: null, autoincrement: false },
      { name: 'customer', type: 'VARCHAR(40)', nullable: false, default: null, autoincrement: null },
      { name: 'amount', type: 'DECIMAL(10, 2)', nullable: true, default: null, autoincrement: null },
      { name: 'status', type: 'VARCHAR(16)', nullable: false, default: "'open'", autoincrement: null },
      { name: 'placed', type: 'DATE', nullable: true, default: null, autoincrement: null },
    ];
    const ordersReflected = {
      columns: ordersColumns,
      pk: { constrained_columns: ['id'], name: null },
      indexes: [{ name: 'ix_customer_status', columns: ['customer', 'status'], unique: false }],
      unique_constraints: [],
    };
    expect(out.reflected).toEqual({
      customers: {
        columns: [
          { name: 'id', type: 'INTEGER', nullable: false, default: null, autoincrement: true },
          { name: 'email', type: 'VARCHAR(80)', nullable: false, default: null, autoincrement: null },
          { name: 'name', type: 'VARCHAR(40)', nullable: true, default: "'anon'", autoincrement: null },
          // BOOLEAN is TINYINT(1), its default written as MySQL 8 writes it.
          { name: 'active', type: 'TINYINT', nullable: false, default: "'1'", autoincrement: false },
          { name: 'created', type: 'DATETIME', nullable: true, default: null, autoincrement: null },
        ],
        pk: { constrained_columns: ['id'], name: null },
        indexes: [
          { name: 'ix_name', columns: ['name'], unique: false },
          { name: 'uq_email', columns: ['email'], unique: true },
        ],
        unique_constraints: [{ name: 'uq_email', columns: ['email'] }],
      },
      orders: ordersReflected,
      orders_restored: ordersReflected,
    });
    expect(out.autoload).toEqual({
      customers: { columns: ['id', 'email', 'name', 'active', 'created'], primary_key: ['id'] },
      orders: { columns: ['id', 'customer', 'amount', 'status', 'placed'], primary_key: ['id'] },
      orders_restored: { columns: ['id', 'customer', 'amount', 'status', 'placed'], primary_key: ['id'] },
    });
    expect(out.core_sql).toContain('GROUP BY shop.orders.customer');
    expect(out.core_rows).toEqual([['amy', 2, '19.75'], ['bob', 1, '30.00'], ['cat', 1, null]]);
    expect(out.text_rows).toEqual([[1, '12.50'], [3, '30.00'], [4, '99.99']]);
    expect(out.after_pool_return).toBe(0);
    expect(out.after_commit).toBe(1);
    expect(out.orm_rows).toEqual([
      [1, 'a', '1.25', 0.5, true, 'red', '2024-01-01', '00ff', { k: [1, 2] }, 2 ** 40],
      [2, 'b', null, null, false, null, null, null, null, null],
    ]);
    expect(out.orm_after).toEqual([[1, '2.50']]);
    expect(out.orm_indexes).toEqual([
      ['ix_things_big', ['big'], false],
      ['name', ['name'], true],
    ]);
    expect(out.orm_indexes_after_drop).toEqual(['name']);
    expect((out.statements as string[]).map((sql) => sql.trim())).toEqual(
      expect.arrayContaining(['SHOW FULL TABLES FROM `shop`', 'SHOW CREATE TABLE `shop`.`orders_restored`', 'CREATE INDEX ix_things_big ON things (big)', 'DROP INDEX ix_things_big ON things']),
    );
    // Its connect-time queries (SET NAMES, SELECT VERSION(), @@sql_mode, @@lower_case_table_names, ...)
    // and every reflection query were answered.
    expect(failedSince(server, logFrom)).toEqual([]);

    // The restored copy holds the same rows.
    const [restored] = await conn.query<RowDataPacket[]>('SELECT id, customer, amount, status FROM orders_restored ORDER BY id');
    expect(restored.map((r) => [r.id, r.customer, r.amount, r.status])).toEqual([
      [1, 'amy', '12.50', 'paid'], [2, 'amy', '7.25', 'open'], [3, 'bob', '30.00', 'paid'], [4, 'bob', '99.99', 'cancelled'], [5, 'cat', null, 'open'],
    ]);
  });
});
