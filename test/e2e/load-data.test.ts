// LOAD DATA LOCAL INFILE with real clients: the `mariadb` CLI (--local-infile=1)
// and mysql2 (infileStreamFactory) send the file over the connection.
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { removeDir, tempDir, type ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

const cli = ['mariadb', 'mysql'].find((name) => spawnSync(name, ['--version']).status === 0);
if (cli === undefined) console.log('LOAD DATA CLI cases skipped: neither `mariadb` nor `mysql` is installed');

describe.each(warehouseKinds('load data e2e'))('LOAD DATA LOCAL INFILE on a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let conn: Connection;
  let dir: string;

  const rows = async (sql: string): Promise<RowDataPacket[]> => (await conn.query<RowDataPacket[]>(sql))[0];

  beforeAll(async () => {
    dir = await tempDir('load');
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', dateStrings: true, infileStreamFactory: (p: string) => createReadStream(p) });
    await conn.query('CREATE DATABASE ld');
    await conn.query('USE ld');
    await conn.query('CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, born DATE, score DECIMAL(5,1), note TEXT)');
  });

  afterAll(async () => {
    await conn?.end();
    await server?.stop();
    await warehouse?.remove();
    await removeDir(dir);
  });

  it('loads CSV through mysql2 with FIELDS/LINES options, IGNORE 1 LINES and a column list, in one commit', async () => {
    const file = path.join(dir, 'people.csv');
    await writeFile(file, 'name;id;born\r\n"Smith; John";1;2001-02-03\r\n"Say ""hi""";2;\\N\r\nplain;3;1999-12-31\r\n');
    const [res] = await conn.query<ResultSetHeader>(
      `LOAD DATA LOCAL INFILE '${file}' INTO TABLE people FIELDS TERMINATED BY ';' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '\\\\' LINES TERMINATED BY '\\r\\n' IGNORE 1 LINES (name, id, born)`,
    );
    expect(res.affectedRows).toBe(3);
    expect(await rows('SELECT id, name, born, score FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'Smith; John', born: '2001-02-03', score: null },
      { id: 2, name: 'Say "hi"', born: null, score: null },
      { id: 3, name: 'plain', born: '1999-12-31', score: null },
    ]);
    const history = await rows("SELECT operation, rows_added FROM fuse_snapshot('ld', 'people') ORDER BY CAST(snapshot_id AS UNSIGNED) DESC LIMIT 1");
    expect(history).toEqual([{ operation: 'INSERT', rows_added: 3 }]);
  });

  it('skips duplicate keys by default with LOCAL, replaces them with REPLACE, and reports the counts', async () => {
    const file = path.join(dir, 'more.tsv');
    await writeFile(file, '3\tcarol\t\\N\t7.5\tnew\n4\tdan\t2000-01-01\t\t\\N\n');
    const [skipped] = await conn.query<ResultSetHeader>(`LOAD DATA LOCAL INFILE '${file}' INTO TABLE people`);
    expect(skipped.affectedRows).toBe(1);
    const [warnings] = await conn.query<RowDataPacket[]>('SHOW WARNINGS');
    expect(warnings.map((w) => [w.Code, w.Message])).toEqual([[1062, "Duplicate entry '3' for key 'people.PRIMARY'"]]);
    // An empty field in a numeric column is 0, as in MySQL.
    expect(await rows('SELECT name, score, note FROM people WHERE id = 4')).toEqual([{ name: 'dan', score: '0.0', note: null }]);
    await conn.query(`LOAD DATA LOCAL INFILE '${file}' REPLACE INTO TABLE people`);
    expect(await rows('SELECT name, score, note FROM people WHERE id = 3')).toEqual([{ name: 'carol', score: '7.5', note: 'new' }]);
  });

  it('keeps the file order over more rows than one DuckDB row group: AUTO_INCREMENT by line, the last duplicate wins with REPLACE', async () => {
    // 130,000 lines, then keys 1..5 again: more than DuckDB's 122,880-row group, where a parallel scan could reorder.
    const lines = Array.from({ length: 130_000 }, (_v, i) => `${i + 1}\tfirst`);
    for (let k = 1; k <= 5; k++) lines.push(`${k}\tlast`);
    const file = path.join(dir, 'big.tsv');
    await writeFile(file, lines.join('\n') + '\n');
    await conn.query('CREATE TABLE seq (id INT AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, v VARCHAR(10))');
    await conn.query(`LOAD DATA LOCAL INFILE '${file}' INTO TABLE seq (k, v)`);
    expect(await rows('SELECT COUNT(*) AS n, SUM(id <> k) AS misplaced FROM seq WHERE id <= 130000')).toEqual([{ n: 130_000, misplaced: '0' }]);
    expect(await rows('SELECT id, k FROM seq WHERE id > 130000 ORDER BY id')).toEqual([1, 2, 3, 4, 5].map((k) => ({ id: 130_000 + k, k })));

    await conn.query('CREATE TABLE keyed (k INT PRIMARY KEY, v VARCHAR(10))');
    await conn.query(`LOAD DATA LOCAL INFILE '${file}' INTO TABLE keyed`);
    expect(await rows("SELECT COUNT(*) AS n, SUM(v = 'last') AS last FROM keyed")).toEqual([{ n: 130_000, last: '0' }]);
    await conn.query(`LOAD DATA LOCAL INFILE '${file}' REPLACE INTO TABLE keyed`);
    expect(await rows("SELECT k FROM keyed WHERE v = 'last' ORDER BY k")).toEqual([1, 2, 3, 4, 5].map((k) => ({ k })));
    await conn.query('DROP TABLE seq');
    await conn.query('DROP TABLE keyed');
  });

  it('answers MySQL errors: unknown table before the transfer, server-side files refused', async () => {
    const file = path.join(dir, 'x.tsv');
    await writeFile(file, '1\n');
    const errno = (p: Promise<unknown>): Promise<number | undefined> =>
      p.then(
        () => undefined,
        (e: unknown) => (e as { errno?: number }).errno,
      );
    expect(await errno(conn.query(`LOAD DATA LOCAL INFILE '${file}' INTO TABLE nope`))).toBe(1146);
    expect(await errno(conn.query(`LOAD DATA INFILE '${file}' INTO TABLE people`))).toBe(1235);
    expect(await errno(conn.prepare(`LOAD DATA LOCAL INFILE '${file}' INTO TABLE people`))).toBe(1295);
    // The connection is still in step after the failures.
    expect(await rows('SELECT COUNT(*) AS n FROM people')).toEqual([{ n: 4 }]);
  });

  it.skipIf(cli === undefined)('loads through the mariadb CLI with --local-infile=1, and is refused without it', async () => {
    const file = path.join(dir, 'cli.csv');
    await writeFile(file, '10,"cli, one"\n11,two\n');
    const run = (local: string, sql: string): { stdout: string; stderr: string } => {
      const r = spawnSync(cli ?? 'mariadb', ['-h', '127.0.0.1', '-P', String(server.port), '-u', 'root', '--batch', '--skip-ssl', `--local-infile=${local}`, '-vv', 'ld'], { input: sql, encoding: 'utf8', timeout: 30_000 });
      return { stdout: r.stdout, stderr: r.stderr };
    };
    const ok = run('1', `LOAD DATA LOCAL INFILE '${file}' INTO TABLE people FIELDS TERMINATED BY ',' ENCLOSED BY '"' (id, name);\nSELECT name FROM people WHERE id >= 10 ORDER BY id;\n`);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('Records: 2  Deleted: 0  Skipped: 0  Warnings: 0');
    expect(ok.stdout).toContain('name\ncli, one\ntwo\n');
    const refused = run('0', `LOAD DATA LOCAL INFILE '${file}' INTO TABLE people;\n`);
    expect(refused.stderr).toMatch(/ERROR (3948|2068|4166)/);
    expect(await rows('SELECT COUNT(*) AS n FROM people WHERE id >= 10')).toEqual([{ n: 2 }]);
  });
});
