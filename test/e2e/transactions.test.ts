// Transactions through mysql2: isolation, atomic COMMIT across tables, ROLLBACK,
// snapshot reads, first-committer-wins conflicts, autocommit=0, implicit commits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

const SERVER_STATUS_IN_TRANS = 1;
const SERVER_STATUS_AUTOCOMMIT = 2;

describe.each(warehouseKinds('transactions e2e'))('transactions on a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let a: Connection;
  let b: Connection;

  const connect = (): Promise<Connection> => mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'tx' });
  const count = async (c: Connection, table: string): Promise<number> => {
    const [r] = await c.query<RowDataPacket[]>(`SELECT count(*) AS n FROM ${table}`);
    return Number(r[0]?.n);
  };

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await admin.query('CREATE DATABASE tx');
    await admin.query('CREATE TABLE tx.orders (id INT PRIMARY KEY, item VARCHAR(10))');
    await admin.query('CREATE TABLE tx.order_lines (order_id INT, qty INT)');
    await admin.query('CREATE TABLE tx.counters (id INT PRIMARY KEY, n INT)');
    await admin.query('INSERT INTO tx.counters VALUES (1, 0)');
    await admin.end();
    a = await connect();
    b = await connect();
  });
  afterAll(async () => {
    await a?.end();
    await b?.end();
    await server?.stop();
    await warehouse?.remove();
  });

  it('keeps writes invisible to others until COMMIT, then publishes both tables at once', async () => {
    const [begin] = await a.query<ResultSetHeader>('BEGIN');
    expect(begin.serverStatus & SERVER_STATUS_IN_TRANS).toBe(SERVER_STATUS_IN_TRANS);
    await a.query("INSERT INTO orders VALUES (1, 'pen')");
    await a.query('INSERT INTO order_lines VALUES (1, 3), (1, 4)');
    expect(await count(a, 'orders')).toBe(1);
    expect(await count(b, 'orders')).toBe(0);
    expect(await count(b, 'order_lines')).toBe(0);
    const [commit] = await a.query<ResultSetHeader>('COMMIT');
    expect(commit.serverStatus & SERVER_STATUS_IN_TRANS).toBe(0);
    expect(await count(b, 'orders')).toBe(1);
    expect(await count(b, 'order_lines')).toBe(2);
  });

  it('discards everything on ROLLBACK', async () => {
    await a.query('START TRANSACTION');
    await a.query("INSERT INTO orders VALUES (2, 'ink')");
    await a.query('DELETE FROM order_lines');
    await a.query("UPDATE orders SET item = 'pencil' WHERE id = 1");
    expect(await count(a, 'order_lines')).toBe(0);
    await a.query('ROLLBACK');
    expect(await count(a, 'orders')).toBe(1);
    expect(await count(a, 'order_lines')).toBe(2);
    const [rows] = await a.query<RowDataPacket[]>('SELECT item FROM orders WHERE id = 1');
    expect(rows[0]?.item).toBe('pen');
  });

  it('reads one snapshot for the whole transaction', async () => {
    await a.query('BEGIN');
    expect(await count(a, 'orders')).toBe(1);
    await b.query("INSERT INTO orders VALUES (3, 'cap')");
    expect(await count(a, 'orders')).toBe(1);
    await a.query('COMMIT');
    expect(await count(a, 'orders')).toBe(2);
  });

  it('never loses an update: the second committer gets ER_LOCK_DEADLOCK', async () => {
    await a.query('BEGIN');
    await b.query('BEGIN');
    await a.query('UPDATE counters SET n = n + 1 WHERE id = 1');
    await b.query('UPDATE counters SET n = n + 10 WHERE id = 1');
    await a.query('COMMIT');
    await expect(b.query('COMMIT')).rejects.toMatchObject({ errno: 1213, sqlState: '40001' });
    const [rows] = await b.query<RowDataPacket[]>('SELECT n FROM counters WHERE id = 1');
    expect(rows[0]?.n).toBe(1);
    // The failed transaction is over; the retry succeeds.
    await b.query('BEGIN');
    await b.query('UPDATE counters SET n = n + 10 WHERE id = 1');
    await b.query('COMMIT');
    const [after] = await a.query<RowDataPacket[]>('SELECT n FROM counters WHERE id = 1');
    expect(after[0]?.n).toBe(11);
  });

  it('runs every statement in a transaction when autocommit is off', async () => {
    const [set] = await a.query<ResultSetHeader>('SET autocommit = 0');
    expect(set.serverStatus & SERVER_STATUS_AUTOCOMMIT).toBe(0);
    await a.query("INSERT INTO orders VALUES (4, 'mug')");
    expect(await count(b, 'orders')).toBe(2);
    await a.query('COMMIT');
    expect(await count(b, 'orders')).toBe(3);
    await a.query("INSERT INTO orders VALUES (5, 'bag')");
    await a.query('ROLLBACK');
    expect(await count(b, 'orders')).toBe(3);
    await a.query("INSERT INTO orders VALUES (6, 'hat')");
    // Turning autocommit back on commits the open transaction.
    const [on] = await a.query<ResultSetHeader>('SET autocommit = 1');
    expect(on.serverStatus & SERVER_STATUS_AUTOCOMMIT).toBe(SERVER_STATUS_AUTOCOMMIT);
    expect(await count(b, 'orders')).toBe(4);
  });

  it('commits implicitly before DDL, and keeps keys unique inside a transaction', async () => {
    await a.query('BEGIN');
    await a.query("INSERT INTO orders VALUES (7, 'box')");
    await expect(a.query("INSERT INTO orders VALUES (7, 'dup')")).rejects.toMatchObject({ errno: 1062 });
    await a.query('CREATE TABLE extra (x INT)');
    expect(await count(b, 'orders')).toBe(5);
  });

  it('READ COMMITTED reads each statement from the newest commits; REPEATABLE READ keeps its snapshot', async () => {
    const before = await count(a, 'orders');
    await a.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    try {
      await a.query('BEGIN');
      expect(await count(a, 'orders')).toBe(before);
      await b.query("INSERT INTO orders VALUES (200, 'rc')");
      expect(await count(a, 'orders')).toBe(before + 1);
      await a.query('COMMIT');
    } finally {
      await a.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    }
    await a.query('BEGIN');
    expect(await count(a, 'orders')).toBe(before + 1);
    await b.query('DELETE FROM orders WHERE id = 200');
    expect(await count(a, 'orders')).toBe(before + 1);
    await a.query('COMMIT');
    expect(await count(a, 'orders')).toBe(before);
  });

  it('SERIALIZABLE refuses the second of two transactions that each read what the other writes (no write skew)', async () => {
    await a.query('CREATE TABLE on_call (doctor VARCHAR(10) PRIMARY KEY, active INT)');
    await a.query("INSERT INTO on_call VALUES ('alice', 1), ('bob', 1)");
    const both = async (level: string, readByB: string): Promise<number | undefined> => {
      for (const c of [a, b]) await c.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${level}`);
      try {
        await a.query('UPDATE on_call SET active = 1');
        await a.query('BEGIN');
        await b.query('BEGIN');
        // a reads on_call and writes order_lines; b reads `readByB` and writes on_call.
        await a.query("SELECT COUNT(*) FROM on_call WHERE active = 1 AND doctor <> 'alice'");
        await b.query(`SELECT COUNT(*) FROM ${readByB}`);
        await a.query('INSERT INTO order_lines VALUES (1, 1)');
        await b.query("UPDATE on_call SET active = 0 WHERE doctor = 'bob'");
        await a.query('COMMIT');
        return await b.query('COMMIT').then(
          () => undefined,
          (e: unknown) => (e as { errno?: number }).errno,
        );
      } finally {
        for (const c of [a, b]) await c.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await a.query('DELETE FROM order_lines WHERE order_id = 1');
      }
    };
    // b read nothing a wrote: both commit.
    expect(await both('SERIALIZABLE', 'on_call')).toBeUndefined();
    // b read order_lines, which a wrote and committed first: snapshot isolation lets both
    // commit (write skew); SERIALIZABLE refuses b.
    expect(await both('REPEATABLE READ', 'order_lines')).toBeUndefined();
    expect(await both('SERIALIZABLE', 'order_lines')).toBe(1213);
    const [[bob]] = await a.query<RowDataPacket[]>("SELECT active FROM on_call WHERE doctor = 'bob'");
    expect(bob?.active).toBe(1);
  });

  it('refuses writes in READ ONLY transactions and sessions (1792), and under global read_only (1290) except for ADMIN', async () => {
    const before = await count(a, 'orders');
    await a.query('START TRANSACTION READ ONLY');
    expect(await count(a, 'orders')).toBe(before);
    await expect(a.query("INSERT INTO orders VALUES (100, 'ro')")).rejects.toMatchObject({ errno: 1792, sqlState: '25006' });
    await expect(a.query('UPDATE counters SET n = n + 1')).rejects.toMatchObject({ errno: 1792 });
    await a.query('COMMIT');
    await a.query('SET SESSION TRANSACTION READ ONLY');
    await expect(a.query('DELETE FROM orders')).rejects.toMatchObject({ errno: 1792 });
    await expect(a.query('CREATE TABLE ro_table (x INT)')).rejects.toMatchObject({ errno: 1792 });
    await a.query('SET SESSION TRANSACTION READ WRITE');
    await a.query("INSERT INTO orders VALUES (100, 'rw')");
    expect(await count(a, 'orders')).toBe(before + 1);

    await a.query("CREATE USER IF NOT EXISTS 'writer'@'%' IDENTIFIED BY 'w-pass-1'");
    await a.query("GRANT ALL ON tx.* TO 'writer'@'%'");
    const writer = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'writer', password: 'w-pass-1', database: 'tx' });
    try {
      await a.query('SET GLOBAL read_only = 1');
      await expect(writer.query("INSERT INTO orders VALUES (101, 'w')")).rejects.toMatchObject({ errno: 1290 });
      expect(await count(writer, 'orders')).toBe(before + 1);
      // root holds ADMIN (MySQL's SUPER), which read_only does not stop.
      await a.query('DELETE FROM orders WHERE id = 100');
    } finally {
      await a.query('SET GLOBAL read_only = 0');
      await writer.end();
    }
    expect(await count(a, 'orders')).toBe(before);
  });
});
