// MySQL partitioning through mysql2: rows land in their partition, SHOW
// PARTITIONS reports them with Doris's columns, and partitions can be added,
// truncated and dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

describe.each(warehouseKinds('partitions e2e'))('partitions on a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let c: Connection;

  const counts = async (table: string): Promise<[string, number][]> => {
    const [rows] = await c.query<RowDataPacket[]>(`SHOW PARTITIONS FROM ${table}`);
    return rows.map((r) => [String(r.PartitionName), Number(r.RowCount)]);
  };
  const ids = async (sql: string): Promise<number[]> => {
    const [rows] = await c.query<RowDataPacket[]>(sql);
    return rows.map((r) => Number(r.id));
  };

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', dateStrings: true });
    await c.query('CREATE DATABASE pt');
    await c.query('USE pt');
  });
  afterAll(async () => {
    await c?.end();
    await server?.stop();
    await warehouse?.remove();
  });

  it('routes rows of one INSERT to their RANGE COLUMNS partitions and reports them', async () => {
    await c.query(`CREATE TABLE sales (id INT PRIMARY KEY, d DATE, amount DECIMAL(10,2))
      PARTITION BY RANGE COLUMNS (d) (
        PARTITION p2023 VALUES LESS THAN ('2024-01-01'),
        PARTITION p2024 VALUES LESS THAN ('2025-01-01'),
        PARTITION pmax VALUES LESS THAN (MAXVALUE))`);
    await c.query(`INSERT INTO sales VALUES (1, '2023-03-01', 10), (2, '2023-12-31', 20), (3, '2024-01-01', 30),
      (4, '2024-06-15', 40), (5, '2024-12-31', 50), (6, '2026-01-01', 60)`);
    expect(await counts('sales')).toEqual([
      ['p2023', 2],
      ['p2024', 3],
      ['pmax', 1],
    ]);
    const [rows] = await c.query<RowDataPacket[]>('SHOW PARTITIONS FROM sales');
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'PartitionId', 'PartitionName', 'VisibleVersion', 'VisibleVersionTime', 'State', 'PartitionKey', 'Range', 'DistributionKey',
      'Buckets', 'ReplicationNum', 'StorageMedium', 'CooldownTime', 'RemoteStoragePolicy', 'LastConsistencyCheckTime', 'DataSize',
      'IsInMemory', 'ReplicaAllocation', 'IsMutable', 'SyncWithBaseTables', 'UnsyncTables', 'CommittedVersion', 'RowCount',
    ]);
    expect(rows[1]).toMatchObject({ PartitionName: 'p2024', State: 'NORMAL', PartitionKey: 'd', Range: "['2024-01-01', '2025-01-01')" });
    expect(await ids("SELECT id FROM sales WHERE d >= '2024-01-01' AND d < '2025-01-01' ORDER BY id")).toEqual([3, 4, 5]);
  });

  it('moves an updated row to its new partition', async () => {
    await c.query("UPDATE sales SET d = '2023-07-07' WHERE id = 4");
    expect(await counts('sales')).toEqual([
      ['p2023', 3],
      ['p2024', 2],
      ['pmax', 1],
    ]);
    expect(await ids("SELECT id FROM sales WHERE d < '2024-01-01' ORDER BY id")).toEqual([1, 2, 4]);
  });

  it('truncates, drops and adds partitions', async () => {
    await c.query('ALTER TABLE sales TRUNCATE PARTITION p2023');
    expect(await ids('SELECT id FROM sales ORDER BY id')).toEqual([3, 5, 6]);
    await c.query('ALTER TABLE sales DROP PARTITION p2024');
    expect(await counts('sales')).toEqual([
      ['p2023', 0],
      ['pmax', 1],
    ]);
    expect(await ids('SELECT id FROM sales ORDER BY id')).toEqual([6]);
    // After MAXVALUE nothing can be added.
    await expect(c.query("ALTER TABLE sales ADD PARTITION (PARTITION p2030 VALUES LESS THAN ('2031-01-01'))")).rejects.toMatchObject({ errno: 1493 });
    await expect(c.query('ALTER TABLE sales DROP PARTITION nope')).rejects.toMatchObject({ errno: 1507 });
    await expect(c.query('ALTER TABLE sales DROP PARTITION p2023, pmax')).rejects.toMatchObject({ errno: 1508 });
  });

  it('refuses rows that fit no RANGE or LIST partition, until one is added', async () => {
    await c.query(`CREATE TABLE events (id INT, at DATE) PARTITION BY RANGE (YEAR(at)) (
      PARTITION p0 VALUES LESS THAN (2020), PARTITION p1 VALUES LESS THAN (2025))`);
    await c.query("INSERT INTO events VALUES (1, '2019-05-05'), (2, '2024-01-01'), (3, NULL)");
    await expect(c.query("INSERT INTO events VALUES (4, '2030-01-01')")).rejects.toMatchObject({ errno: 1526, message: 'Table has no partition for value 2030' });
    await c.query('ALTER TABLE events ADD PARTITION (PARTITION p2 VALUES LESS THAN (2031))');
    await c.query("INSERT INTO events VALUES (4, '2030-01-01')");
    // NULL goes to the first RANGE partition, as in MySQL.
    expect(await counts('events')).toEqual([
      ['p0', 2],
      ['p1', 1],
      ['p2', 1],
    ]);

    await c.query('CREATE TABLE regions (id INT, region INT) PARTITION BY LIST (region) (PARTITION east VALUES IN (1, 2), PARTITION west VALUES IN (3))');
    await c.query('INSERT INTO regions VALUES (1, 1), (2, 3), (3, 2)');
    await expect(c.query('INSERT INTO regions VALUES (4, 9)')).rejects.toMatchObject({ errno: 1526 });
    expect(await counts('regions')).toEqual([
      ['east', 2],
      ['west', 1],
    ]);
  });

  it('spreads HASH partitions and refuses RANGE/LIST-only operations on them', async () => {
    await c.query('CREATE TABLE h (id INT) PARTITION BY HASH (id) PARTITIONS 4');
    await c.query('INSERT INTO h WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100) SELECT n FROM s');
    const parts = await counts('h');
    expect(parts.map((p) => p[0])).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(parts.map((p) => p[1])).toEqual([25, 25, 25, 25]);
    await expect(c.query('ALTER TABLE h DROP PARTITION p0')).rejects.toMatchObject({ errno: 1512 });
    await expect(c.query('ALTER TABLE regions_x TRUNCATE PARTITION p0')).rejects.toMatchObject({ errno: 1146 });
    await c.query('CREATE TABLE plain (id INT)');
    await expect(c.query('ALTER TABLE plain TRUNCATE PARTITION p0')).rejects.toMatchObject({ errno: 1505 });
    expect(await counts('plain')).toEqual([['plain', 0]]);
  });

  it('keeps partitions across a restart', async () => {
    await c.end();
    await server.stop();
    server = await warehouse.start();
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'pt', dateStrings: true });
    expect(await counts('events')).toEqual([
      ['p0', 2],
      ['p1', 1],
      ['p2', 1],
    ]);
    await c.query("INSERT INTO events VALUES (5, '2030-06-01')");
    expect((await counts('events'))[2]).toEqual(['p2', 2]);
  });
});
