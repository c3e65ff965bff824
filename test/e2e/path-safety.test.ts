// Names and locations from SQL never escape where they belong ([H]), against the real
// built server on a local warehouse: database, table and view names that look like paths
// either get a clear MySQL error or work with their files under the warehouse; stage paths
// that climb out of the stage are refused, and a sentinel file beside the stage is never
// listed, read or removed; stages and external tables may not overlap the warehouse.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startServer, tempDir, type ServerProcess } from '../helpers/server-process.js';

/** Every file under dir, as paths relative to it, with their contents. */
async function tree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), await readFile(full, 'latin1'));
  }
  return files;
}

/** The MySQL error a statement fails with, or 'ok'. */
async function outcome(c: Connection, sql: string): Promise<{ errno?: number; message: string }> {
  try {
    await c.query(sql);
    return { message: 'ok' };
  } catch (err) {
    const e = err as { errno?: number; message: string };
    if (e.errno === undefined) throw err;
    return { errno: e.errno, message: e.message };
  }
}

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

describe('path safety on a local warehouse', () => {
  let root: string;
  let warehouseDir: string;
  let stageDir: string;
  let server: ServerProcess;
  let c: Connection;
  let outside: Map<string, string>;
  const SENTINEL = 'sentinel.csv';

  /** The files outside the warehouse directory, which nothing here may change. */
  const outsideWarehouse = async (): Promise<Map<string, string>> =>
    new Map([...(await tree(root))].filter(([f]) => !f.startsWith(`wh${path.sep}`) && !f.startsWith(`wh-cache${path.sep}`)));

  beforeAll(async () => {
    root = await tempDir('paths');
    warehouseDir = path.join(root, 'wh');
    stageDir = path.join(root, 'stage');
    await writeFile(path.join(root, SENTINEL), '1,secret\n');
    server = await startServer({ warehouse: warehouseDir, args: ['--cache-dir', path.join(root, 'wh-cache')] });
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', multipleStatements: false });
    await c.query(`CREATE STAGE s URL = '${pathToFileURL(stageDir).href}/'`);
    outside = await outsideWarehouse();
  });
  afterAll(async () => {
    await c?.end();
    await server?.stop();
    if (root !== undefined) await removeDir(root);
  });

  const NAMES = ['../x', '../../escape', 'a/b', '/abs', 'back\\slash', '..\\..\\w', '%2e%2e', '%2e%2e%2fx', '..', '.', 'n'.repeat(64)];

  it.each(NAMES)('database, table and view named %j work, or are refused with a MySQL error', async (name) => {
    const db = q(name);
    const view = q(`${name.slice(0, 63)}v`);
    const created = await outcome(c, `CREATE DATABASE ${db}`);
    if (created.errno !== undefined) {
      expect(created.errno, created.message).toBeGreaterThan(1000);
      return;
    }
    await c.query(`CREATE TABLE ${db}.${q(name)} (a INT)`);
    await c.query(`INSERT INTO ${db}.${q(name)} VALUES (1), (2)`);
    await c.query(`CREATE VIEW ${db}.${view} AS SELECT a FROM ${db}.${q(name)}`);
    const [rows] = await c.query<RowDataPacket[]>(`SELECT SUM(a) AS s FROM ${db}.${view}`);
    expect(Number(rows[0]?.s)).toBe(3);
    await c.query(`DROP DATABASE ${db}`);
    const [back] = await c.query<RowDataPacket[]>(`SHOW DATABASES LIKE '${name.replace(/\\/g, '\\\\\\\\').replace(/[%_]/g, '\\\\$&')}'`);
    expect(back).toHaveLength(0);
  });

  it('refuses names too long or holding NUL with a MySQL error', async () => {
    expect(await outcome(c, `CREATE DATABASE ${q('n'.repeat(65))}`)).toMatchObject({ errno: 1059 });
    expect(await outcome(c, `CREATE TABLE ${q('t'.repeat(65))} (a INT)`)).toMatchObject({ errno: 1059 });
    expect(await outcome(c, `CREATE DATABASE ${q('a\0b')}`)).toMatchObject({ errno: 1102 });
    await c.query('CREATE DATABASE IF NOT EXISTS plain');
    expect(await outcome(c, `CREATE TABLE plain.${q('a\0b')} (a INT)`)).toMatchObject({ errno: 1103 });
  });

  it('keeps every name-made file under the warehouse: objects are named by ids only', async () => {
    await c.query('CREATE DATABASE IF NOT EXISTS `../kept`');
    await c.query('CREATE TABLE `../kept`.`../../t` (a INT)');
    await c.query('INSERT INTO `../kept`.`../../t` VALUES (7)');
    const stored = [...(await tree(warehouseDir)).keys()];
    expect(stored.some((f) => f.startsWith(`db${path.sep}`) && f.endsWith('.parquet'))).toBe(true);
    for (const f of stored) {
      expect(f.split(path.sep)).not.toContain('..');
      expect(f).not.toMatch(/kept|%2e|nnnnnnnn|escape|slash/);
    }
    expect(await outsideWarehouse()).toEqual(outside);
  });

  it('refuses stage paths that leave the stage; the file beside it is never listed, read or removed', async () => {
    await c.query('CREATE DATABASE IF NOT EXISTS plain');
    await c.query('CREATE TABLE IF NOT EXISTS plain.t (a INT, b VARCHAR(10))');
    const attempts = [
      'LIST @s/../x',
      `LIST @s/../${SENTINEL}`,
      'LIST @s/..',
      'LIST @s/a/../../x',
      'LIST @s//x',
      'REMOVE @s/../../x',
      `REMOVE @s/../${SENTINEL}`,
      'REMOVE @s/..',
      `COPY INTO plain.t FROM @s/.. FILES = ('../x.csv') FILE_FORMAT = (TYPE = CSV)`,
      `COPY INTO plain.t FROM @s FILES = ('../${SENTINEL}') FILE_FORMAT = (TYPE = CSV)`,
      `COPY INTO plain.t FROM @s FILES = ('a/../../${SENTINEL}') FILE_FORMAT = (TYPE = CSV)`,
      `COPY INTO plain.t FROM @s FILES = ('/${SENTINEL}') FILE_FORMAT = (TYPE = CSV)`,
      `SELECT * FROM @s/../x (FILE_FORMAT => 'csv')`,
      `SELECT * FROM @s/../${SENTINEL} (FILE_FORMAT => 'csv')`,
    ];
    for (const sql of attempts) {
      const r = await outcome(c, sql);
      expect(r.errno, `${sql}: ${r.message}`).toBeDefined();
      expect(r.message, sql).not.toContain('secret');
    }
    // Encoded dots are a folder of that name inside the stage, not a way out.
    for (const sql of ['LIST @s/%2e%2e', 'LIST @s', `LIST @s/%2e%2e/${SENTINEL}`]) {
      const r = await c.query<RowDataPacket[]>(sql).then(([rows]) => rows.map((row) => String(row.name)));
      expect(r, sql).not.toContain(SENTINEL);
      expect(r.some((n) => n.includes(SENTINEL)), sql).toBe(false);
    }
    const [loaded] = await c.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM plain.t');
    expect(Number(loaded[0]?.n)).toBe(0);
    expect(await outsideWarehouse()).toEqual(outside);
  });

  it('refuses a stage or an external table over or under the warehouse directory', async () => {
    const whUrl = pathToFileURL(warehouseDir).href;
    const overlapping = [whUrl, `${whUrl}/`, `${whUrl}/db/`, `${whUrl}//db`, `${pathToFileURL(root).href}/`, 'file:///'];
    for (const url of overlapping) {
      const stage = await outcome(c, `CREATE STAGE over_wh URL = '${url}'`);
      expect(stage, url).toMatchObject({ errno: 1210, message: expect.stringMatching(/overlaps the warehouse/) as string });
      const table = await outcome(c, `CREATE TABLE plain.over_wh (a INT) '${url}'`);
      expect(table, url).toMatchObject({ errno: 1210, message: expect.stringMatching(/overlaps the warehouse/) as string });
    }
    const [stages] = await c.query<RowDataPacket[]>('SHOW STAGES');
    expect(stages.map((s) => String(s.name))).toEqual(['s']);
    expect(await outsideWarehouse()).toEqual(outside);
  });
});
