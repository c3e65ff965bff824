// Background compaction: many small commits get merged behind the scenes, and
// nothing a reader sees changes.
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

describe.each(warehouseKinds('compaction e2e'))('background compaction on a %s warehouse', (kind) => {
  let warehouse: Warehouse | undefined;
  afterAll(async () => {
    await warehouse?.remove();
  });

  it('merges small files once a partition has enough of them, keeping every row', async () => {
    warehouse = await createWarehouse(kind);
    const server = await warehouse.start(['--compaction-min-files', '4']);
    const c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await c.query('CREATE DATABASE cp');
    await c.query('CREATE TABLE cp.t (id INT PRIMARY KEY, v VARCHAR(10))');
    for (let i = 1; i <= 10; i++) await c.query(`INSERT INTO cp.t VALUES (${i}, 'v${i}')`);
    const deadline = Date.now() + 20_000;
    const merges = (): number => server.logs.filter((l) => l.msg === 'compacted small files').length;
    while (merges() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(merges()).toBeGreaterThanOrEqual(2);
    const [rows] = await c.query<RowDataPacket[]>('SELECT id, v FROM cp.t ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Keys are still enforced over merged files.
    await expect(c.query("INSERT INTO cp.t VALUES (3, 'again')")).rejects.toMatchObject({ errno: 1062 });
    await c.end();
    expect(await server.stop()).toBe(0);

    const again = await warehouse.start(['--compaction-min-files', '0']);
    const d = await mysql.createConnection({ host: '127.0.0.1', port: again.port, user: 'root' });
    const [after] = await d.query<RowDataPacket[]>('SELECT count(*) AS n, sum(id) AS s FROM cp.t');
    expect(after[0]).toEqual({ n: 10, s: '55' });
    await d.end();
    await again.stop();
  });
});
