// The real `mariadb` command-line client in batch mode against the real server.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

const cli = ['mariadb', 'mysql'].find((name) => spawnSync(name, ['--version']).status === 0);
if (cli === undefined) {
  console.log('mariadb-cli tests skipped: neither `mariadb` nor `mysql` is installed (.ci/run installs mariadb-client)');
}

let server: ServerProcess;
let warehouse: Warehouse;

function run(script: string, args: string[] = []): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cli ?? 'mariadb', ['-h', '127.0.0.1', '-P', String(server.port), '-u', 'root', '--batch', '--skip-ssl', ...args], {
    input: script,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe.skipIf(cli === undefined).each(warehouseKinds('mariadb CLI e2e'))(`the ${cli ?? 'mariadb'} CLI against a %s warehouse`, (kind) => {
  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
  });
  afterAll(async () => {
    await server?.stop();
    await warehouse?.remove();
  });

  it('creates, inserts and selects in a script', () => {
    const r = run(`
      CREATE DATABASE cli;
      USE cli;
      CREATE TABLE pets (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, born DATE, weight DECIMAL(5,2));
      INSERT INTO pets VALUES (1, 'Rex', '2019-05-01', 12.50), (2, 'Tom', NULL, 4.25);
      SELECT id, name, born, weight FROM pets ORDER BY id;
      SELECT COUNT(*) AS n, SUM(weight) AS total FROM pets;
    `);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(['id\tname\tborn\tweight', '1\tRex\t2019-05-01\t12.50', '2\tTom\tNULL\t4.25', 'n\ttotal', '2\t16.75', ''].join('\n'));
  });

  it('reads the info text of UPDATE and ALTER (libmariadb expects it length-encoded)', () => {
    const r = run(`
      USE cli;
      UPDATE pets SET weight = weight + 1 WHERE id = 2;
      ALTER TABLE pets ADD COLUMN owner VARCHAR(20);
    `, ['-vvv']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Rows matched: 1  Changed: 1  Warnings: 0');
    expect(run('SELECT id, weight, owner FROM cli.pets ORDER BY id;').stdout).toBe('id\tweight\towner\n1\t12.50\tNULL\n2\t5.25\tNULL\n');
  });

  it('reports errors with errno and SQLSTATE, and the line', () => {
    const r = run('USE cli;\nSELECT 1;\nSELECT * FROM missing;\nSELECT 2;\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("ERROR 1146 (42S02) at line 3: Table 'cli.missing' doesn't exist");
    // Batch mode stops at the first error.
    expect(r.stdout).not.toContain('\n2\n');
  });

  it('reports a syntax error as 1064 and an unknown database as 1049', () => {
    expect(run('SELEKT 1;').stderr).toMatch(/^ERROR 1064 \(42000\) at line 1: You have an error in your SQL syntax/m);
    expect(run('SELECT 1;', ['-D', 'nope']).stderr).toContain("ERROR 1049 (42000): Unknown database 'nope'");
  });

  it('works in the `default` database when no database is named', () => {
    const r = run('SELECT DATABASE(); CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2); SELECT SUM(a) FROM `default`.t; DROP TABLE t;');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(['DATABASE()', 'default', 'SUM(a)', '3', ''].join('\n'));
  });

  it('runs the connect-time and status queries of an interactive session', () => {
    const r = run('select @@version_comment limit 1; SELECT DATABASE(), USER() LIMIT 1; status;', ['-D', 'cli']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ducksafe');
    expect(r.stdout).toMatch(/cli\troot@/);
    expect(r.stdout).toMatch(/Server version:\s+8\.0\.\d+-ducksafe/);
  });
});
