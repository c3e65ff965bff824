// Everything committed is still there after the server stops (cleanly or by
// kill -9) and a new one opens the same warehouse.
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

let warehouse: Warehouse | undefined;

afterAll(async () => {
  await warehouse?.remove();
});

async function session(port: number) {
  return mysql.createConnection({ host: '127.0.0.1', port, user: 'root', supportBigNumbers: true, bigNumberStrings: true });
}

describe.each(warehouseKinds('restart e2e'))('restart on a %s warehouse', (kind) => {
  it('keeps databases, tables and rows across a clean stop and a kill -9', async () => {
    warehouse = await createWarehouse(kind);
    const first = await warehouse.start();
    let c = await session(first.port);
    await c.query('CREATE DATABASE shop');
    await c.query('CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(20) NOT NULL, qty INT DEFAULT 1)');
    await c.query("INSERT INTO shop.orders (item, qty) VALUES ('apple', 3), ('pear', 5)");
    await c.query("INSERT INTO shop.orders (item) VALUES ('fig')");
    await c.end();
    expect(await first.stop()).toBe(0);

    const second = await warehouse.start();
    c = await session(second.port);
    const [dbs] = await c.query<RowDataPacket[]>('SHOW DATABASES');
    expect(dbs.map((r) => r.Database)).toContain('shop');
    const [rows] = await c.query<RowDataPacket[]>('SELECT id, item, qty FROM shop.orders ORDER BY id');
    expect(rows.map((r) => [r.id, r.item, r.qty])).toEqual([
      [1, 'apple', 3],
      [2, 'pear', 5],
      [3, 'fig', 1],
    ]);
    // The auto-increment counter survives too.
    await c.query("INSERT INTO shop.orders (item) VALUES ('kiwi')");
    await c.end();
    await second.kill();

    const third = await warehouse.start();
    c = await session(third.port);
    const [after] = await c.query<RowDataPacket[]>('SELECT id, item FROM shop.orders WHERE item = \'kiwi\'');
    expect(after.map((r) => r.id)).toEqual([4]);
    const [tables] = await c.query<RowDataPacket[]>('SHOW TABLES FROM shop');
    expect(tables.map((r) => r.Tables_in_shop)).toEqual(['orders']);
    await c.end();
    await third.stop();
  });
});
