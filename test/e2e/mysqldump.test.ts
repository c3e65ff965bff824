// mysqldump (Debian's mariadb-dump) in both directions, with the real `mariadb` CLI
// loading the dumps: a database dumped from a real MariaDB loads into ducksafe with
// the same rows, and a ducksafe database (views included) dumped by mariadb-dump loads
// back into ducksafe as an identical copy, checked with CHECKSUM TABLE. People move
// data in and out this way, and DBeaver's export runs mysqldump.
//
// Only a local warehouse: what is exercised is the dialect, not where files live.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { mariadbUnavailable, startMariaDB, type MariaDBServer } from '../helpers/mariadb-server.js';
import { createWarehouse, type Warehouse } from '../helpers/warehouses.js';
import type { ServerProcess } from '../helpers/server-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = path.join(ROOT, 'fixtures', 'bi', 'shop.sql');
const TABLES = ['customers', 'events', 'orders', 'products'] as const;

const dumpTool = ['mariadb-dump', 'mysqldump'].find((name) => spawnSync(name, ['--version']).status === 0);
const unavailable = dumpTool === undefined ? 'neither mariadb-dump nor mysqldump is installed (.ci/run installs mariadb-client)' : await mariadbUnavailable();
if (unavailable !== undefined) console.log(`[mysqldump e2e] skipped: ${unavailable}`);

// Dumps are handled as latin1 text: one character per byte, so that the bytes of BLOB
// values that are not UTF-8 reach the loading client exactly as the dump wrote them.
function client(port: number, user: string, args: readonly string[], input?: string): string {
  const r = spawnSync('mariadb', ['-h', '127.0.0.1', '-P', String(port), '-u', user, '--skip-ssl', ...args], {
    ...(input === undefined ? {} : { input: Buffer.from(input, 'latin1') }),
    encoding: 'latin1',
    timeout: 120_000,
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`mariadb ${args.join(' ')} failed (${String(r.status)}): ${r.stderr}`);
  return r.stdout;
}

function dump(port: number, user: string, db: string): string {
  const r = spawnSync(dumpTool ?? 'mariadb-dump', ['-h', '127.0.0.1', '-P', String(port), '-u', user, '--skip-ssl', '--databases', db], { encoding: 'latin1', timeout: 120_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${dumpTool ?? 'mariadb-dump'} failed (${String(r.status)}): ${r.stderr}`);
  return r.stdout;
}

/** Every row of a table as text, in key order. */
async function rowsOf(conn: Connection, table: string): Promise<(string | null)[][]> {
  const [rows] = (await conn.query({ sql: `SELECT * FROM ${table} ORDER BY 1`, rowsAsArray: true, typeCast: (field, _next) => field.string() })) as unknown as [(string | null)[][]];
  return rows;
}

async function checksums(conn: Connection, db: string): Promise<Record<string, string | null>> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(`CHECKSUM TABLE ${[...TABLES, 'typed', 'big_orders'].map((t) => `${db}.${t}`).join(', ')}`);
  return Object.fromEntries(rows.map((r) => [String(r.Table).split('.')[1], r.Checksum === null ? null : String(r.Checksum)]));
}

describe.skipIf(unavailable !== undefined)('mysqldump in and out of ducksafe', () => {
  let mariadb: MariaDBServer;
  let warehouse: Warehouse;
  let server: ServerProcess;
  let source: Connection;
  let conn: Connection;

  beforeAll(async () => {
    mariadb = await startMariaDB();
    warehouse = await createWarehouse('local');
    server = await warehouse.start();
    client(mariadb.port, mariadb.user, ['-e', 'CREATE DATABASE shop']);
    client(mariadb.port, mariadb.user, ['shop'], readFileSync(FIXTURE, 'latin1'));
    client(mariadb.port, mariadb.user, ['shop', '-e', 'CREATE VIEW big_orders AS SELECT id, customer_id, amount FROM orders WHERE amount > 100']);
    source = await mysql.createConnection({ host: '127.0.0.1', port: mariadb.port, user: mariadb.user, database: 'shop' });
    conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', supportBigNumbers: true, bigNumberStrings: true });
  }, 180_000);

  afterAll(async () => {
    await source?.end();
    await conn?.end();
    await server?.stop();
    await warehouse?.remove();
    await mariadb?.stop();
  });

  it("loads MariaDB's dump (its SET, LOCK TABLES, DISABLE KEYS and view stand-ins) with every row as MariaDB holds it", async () => {
    const script = dump(mariadb.port, mariadb.user, 'shop');
    expect(script).toContain('LOCK TABLES `orders` WRITE');
    client(server.port, 'root', [], script);
    for (const table of [...TABLES, 'big_orders']) {
      expect(await rowsOf(conn, `shop.${table}`), table).toEqual(await rowsOf(source, table));
    }
  });

  it('dumps a ducksafe database, views included, that loads back as an identical copy', async () => {
    // Every kind of value a dump must carry: bytes that are not UTF-8, quotes and backslashes, fractions, extremes.
    await conn.query(`CREATE TABLE shop.typed (id INT PRIMARY KEY, b BLOB, vb VARBINARY(10), dt DATETIME(6), tm TIME, y YEAR, j JSON,
      d DECIMAL(12,4), f DOUBLE, u BIGINT UNSIGNED, e VARCHAR(20), bo BOOLEAN, c CHAR(3))`);
    await conn.query(
      "INSERT INTO shop.typed VALUES (1, X'00FF10275C22', X'0a0d', '2024-02-29 23:59:59.123456', '12:30:00', 2024, '{\"a\": [1, \"é\"]}', -123.4567, 1.5e300, 18446744073709551615, 'naïve ☃ \\\\ \\' x', TRUE, 'ab'), (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    );
    const script = dump(server.port, 'root', 'shop');
    expect(script).toMatch(/VIEW `big_orders` AS /);
    client(server.port, 'root', [], script.replaceAll('`shop`', '`shop_copy`'));
    const original = await checksums(conn, 'shop');
    expect(Object.values(original).every((c) => c !== null && c !== '0')).toBe(true);
    expect(await checksums(conn, 'shop_copy')).toEqual(original);
    expect(await rowsOf(conn, 'shop_copy.typed')).toEqual(await rowsOf(conn, 'shop.typed'));
    const [[bytes]] = await conn.query<mysql.RowDataPacket[]>('SELECT HEX(b) AS b, e FROM shop_copy.typed WHERE id = 1');
    expect(bytes).toEqual({ b: '00FF10275C22', e: "naïve ☃ \\ ' x" });
    // The checksum follows the rows: one changed value changes it.
    await conn.query('UPDATE shop_copy.orders SET qty = qty + 1 WHERE id = 1');
    const changed = await checksums(conn, 'shop_copy');
    expect(changed.orders).not.toBe(original.orders);
    expect(changed.customers).toBe(original.customers);
  });
});
