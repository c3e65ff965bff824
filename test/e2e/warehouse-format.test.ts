// Warehouses written by earlier versions must keep opening: the current server
// reads a copy of fixtures/warehouse-v1 and continues where it left off.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { removeDir, startServer, tempDir } from '../helpers/server-process.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'warehouse-v1');
let dir = '';

afterAll(async () => {
  if (dir !== '') await removeDir(dir);
});

describe('warehouse format 1', () => {
  it('opens, reads every row as written, and keeps committing', async () => {
    dir = await tempDir('fixture');
    const warehouse = path.join(dir, 'wh');
    await cp(FIXTURE, warehouse, { recursive: true });
    const server = await startServer({ warehouse });
    const c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'legacy', dateStrings: true });
    const [rows] = await c.query<RowDataPacket[]>('SELECT id, name, price, added, tags, flag FROM items ORDER BY id');
    expect(rows).toEqual([
      { id: 1, name: 'anvil', price: '99.90', added: '2026-11-21 10:00:00.250000', tags: ['iron'], flag: 1 },
      // `added` is DATETIME(6): MySQL prints all six fractional digits, zeros included.
      { id: 2, name: 'rope', price: '5.00', added: '2026-11-21 10:01:00.000000', tags: null, flag: 1 },
      { id: 3, name: 'lamp', price: null, added: null, tags: null, flag: 0 },
    ]);
    // The default database arrives next to what the old warehouse held.
    const [dbs] = await c.query<RowDataPacket[]>('SHOW DATABASES');
    expect(dbs.map((d) => d.Database)).toEqual(['default', 'information_schema', 'legacy']);
    const [tables] = await c.query<RowDataPacket[]>('SHOW TABLES');
    expect(tables.map((t) => t.Tables_in_legacy)).toEqual(['items']);
    const [res] = await c.query<mysql.ResultSetHeader>("INSERT INTO items (name) VALUES ('bell')");
    expect(res.insertId).toBe(4);
    await c.end();
    expect(await server.stop()).toBe(0);
  });
});
