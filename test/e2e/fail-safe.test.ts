// Fail-safe ([E]) through the real `mariadb` CLI: Databend's flow exactly as its guide
// writes it (an external table, a stage over its folder, REMOVE, a NotFound SELECT,
// CALL system$fuse_amend, the data back), then the ways objects go missing: some files, the
// metadata, everything, again after a recovery; a store without versioning and objects from
// before versioning was on; REMOVE with a PATTERN; COPY INTO with a bad file. On a local and
// an S3 warehouse, with the external location a directory or a bucket of its own.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExternalLocation, type ExternalLocation } from '../helpers/external-locations.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { listAll } from '../../src/storage/object-store.js';
import { createWarehouse, warehouseKinds, type Warehouse, type WarehouseKind } from '../helpers/warehouses.js';

const cli = ['mariadb', 'mysql'].find((name) => spawnSync(name, ['--version']).status === 0);
if (cli === undefined) console.log('fail-safe e2e skipped: neither `mariadb` nor `mysql` is installed (.ci/run installs mariadb-client)');

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

/** One statement's result set from batch output: a record per row, by column name. */
function records(stdout: string): Record<string, string>[] {
  const [header, ...lines] = stdout.split('\n').filter((l) => l !== '');
  const names = (header ?? '').split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [names[i] ?? String(i), v])));
}

describe.skipIf(cli === undefined).each(warehouseKinds('fail-safe e2e'))('fail-safe on a %s warehouse', (kind: WarehouseKind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  const locations: ExternalLocation[] = [];

  const run = (script: string, database?: string): Run => {
    const args = ['-h', '127.0.0.1', '-P', String(server.port), '-u', 'root', '--batch', '--skip-ssl', ...(database === undefined ? [] : ['-D', database])];
    const r = spawnSync(cli ?? 'mariadb', args, { input: script, encoding: 'utf8', timeout: 60_000 });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  };
  /** Runs statements that must all succeed; returns what they printed. */
  const ok = (script: string, database?: string): string => {
    const r = run(script, database);
    expect(r.stderr, script).toBe('');
    expect(r.status, script).toBe(0);
    return r.stdout;
  };
  /** Runs one statement that must fail; returns its error line. */
  const fails = (statement: string, database?: string): string => {
    const r = run(statement, database);
    expect(r.status, statement).toBe(1);
    return r.stderr;
  };
  const amend = (db: string, table: string, dryRun = false): Record<string, string> => {
    const [row] = records(ok(`CALL system$fuse_amend('${db}', '${table}')${dryRun ? ' DRY RUN' : ''};`));
    if (row === undefined) throw new Error('fuse_amend returned no row');
    return row;
  };
  const location = async (options: { versioned?: boolean } = {}): Promise<ExternalLocation> => {
    const created = await createExternalLocation(kind, options);
    locations.push(created);
    return created;
  };
  const restart = async (): Promise<void> => {
    await server.stop();
    server = await warehouse.start();
  };

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
  });
  afterAll(async () => {
    await server?.stop();
    await warehouse?.remove();
    for (const l of locations) await l.remove();
  });

  it("runs Databend's flow as written", async () => {
    const at = await location();
    // No database named: the session works in `default`, as in Databend.
    ok(`
      CREATE TABLE t(a INT) ${at.sql};
      INSERT INTO t VALUES (1), (2), (3);
      CREATE STAGE test_fail_safe URL = ${at.sql};
      REMOVE @test_fail_safe;
    `);
    const notFound = fails('SELECT * FROM t;');
    expect(notFound).toMatch(/^ERROR 1017 \(HY000\) at line 1: Storage object not found \(NotFound\): .*\.parquet/m);
    expect(notFound).toContain(at.url.replace(/\/$/, ''));
    const report = amend('default', 't');
    expect(report).toMatchObject({ table: 'default.t', objects_checked: '3', objects_missing: '3', objects_recovered: '3', objects_not_recoverable: '0' });
    expect(ok('SELECT SUM(a) FROM t;')).toBe('SUM(a)\n6\n');
  });

  it('recovers some removed files, which a dry run first only reports, and again after a second removal', async () => {
    const at = await location();
    ok(`
      CREATE DATABASE partial;
      USE partial;
      CREATE TABLE p (id INT, v VARCHAR(5)) ${at.sql};
      INSERT INTO p VALUES (1, 'a');
      INSERT INTO p VALUES (2, 'b');
      INSERT INTO p VALUES (3, 'c');
      CREATE STAGE partial_stage URL = ${at.sql};
    `);
    const parquet = records(ok("LIST @partial_stage PATTERN = '[.]parquet$';")).map((r) => r.name ?? '');
    expect(parquet).toHaveLength(3);
    const victim = parquet[1] ?? '';
    // A PATTERN that hits only one of the files.
    expect(ok(`REMOVE @partial_stage PATTERN = '${victim.replace(/[.]/g, '[.]')}'; LIST @partial_stage PATTERN = '[.]parquet$';`)).not.toContain(victim);
    expect(fails('SELECT COUNT(*) FROM p;', 'partial')).toContain(victim);

    const dry = amend('partial', 'p', true);
    expect(dry).toMatchObject({ objects_missing: '1', objects_recovered: '0', objects_not_recoverable: '0' });
    expect(dry.missing).toContain(victim);
    expect(fails('SELECT COUNT(*) FROM p;', 'partial')).toContain(victim);
    expect(amend('partial', 'p')).toMatchObject({ objects_missing: '1', objects_recovered: '1' });
    expect(ok('SELECT COUNT(*) FROM p;', 'partial')).toBe('COUNT(*)\n3\n');

    ok('REMOVE @partial_stage;');
    // Four commits and three files.
    expect(amend('partial', 'p')).toMatchObject({ objects_recovered: '7', objects_not_recoverable: '0' });
    expect(ok('SELECT GROUP_CONCAT(v ORDER BY id) AS v FROM p;', 'partial')).toBe('v\na,b,c\n');
    expect(amend('partial', 'p')).toMatchObject({ objects_missing: '0', objects_recovered: '0' });
  });

  it('recovers removed metadata, which a new server refuses to read until then', async () => {
    const at = await location();
    ok(`
      CREATE DATABASE meta;
      CREATE TABLE meta.m (a INT) ${at.sql};
      INSERT INTO meta.m VALUES (10), (20);
      CREATE STAGE meta_stage URL = ${at.sql};
      REMOVE @meta_stage PATTERN = '/_log/';
    `);
    expect(records(ok('LIST @meta_stage;')).map((r) => r.name ?? '')).toEqual([expect.stringMatching(/[.]parquet$/)]);
    await restart();
    // The newest state is gone: the table must not read as empty or as an older state.
    expect(fails('SELECT SUM(a) FROM meta.m;')).toMatch(/ERROR 1017 .*_log\/0+1\.json/);
    expect(amend('meta', 'm')).toMatchObject({ objects_missing: '2', objects_recovered: '2', objects_not_recoverable: '0' });
    expect(ok('SELECT SUM(a) FROM meta.m;')).toBe('SUM(a)\n30\n');
  });

  it('recovers a warehouse table whose files and database log were removed', async () => {
    ok(`
      CREATE DATABASE wh;
      CREATE TABLE wh.w (a INT);
      INSERT INTO wh.w VALUES (4), (5);
      SELECT SUM(a) FROM wh.w;
    `);
    // A stage may not overlap the warehouse, so the objects go through the store itself,
    // and a restart drops the server's local copies of them.
    const store = await warehouse.openStore();
    try {
      const objects: string[] = [];
      for await (const meta of listAll(store, 'db/')) objects.push(meta.key);
      const dbPrefix = objects.find((n) => n.endsWith('.parquet'))?.split('/').slice(0, 2).join('/') ?? 'none';
      // The database's whole prefix: its log and the table's files.
      const removed = objects.filter((n) => n.startsWith(`${dbPrefix}/`));
      for (const key of removed) await store.delete(key);
      await restart();
      expect(fails('SELECT SUM(a) FROM wh.w;')).toContain('Storage object not found');
      expect(amend('wh', 'w')).toMatchObject({ objects_recovered: String(removed.length), objects_not_recoverable: '0' });
    } finally {
      await store.close();
    }
    expect(ok('SELECT SUM(a) FROM wh.w;')).toBe('SUM(a)\n9\n');
  });

  it('recovers a table whose whole location was removed, on a new server from the location alone', async () => {
    const at = await location();
    ok(`
      CREATE DATABASE gone;
      CREATE TABLE gone.g (a INT) ${at.sql};
      INSERT INTO gone.g VALUES (7);
      INSERT INTO gone.g VALUES (8);
      CREATE STAGE gone_stage URL = ${at.sql};
      REMOVE @gone_stage;
    `);
    expect(ok('LIST @gone_stage;')).toBe('');
    await restart();
    expect(fails('SELECT * FROM gone.g;')).toContain('ERROR 1017');
    expect(amend('gone', 'g')).toMatchObject({ objects_missing: '5', objects_recovered: '5', objects_not_recoverable: '0' });
    expect(ok('SELECT SUM(a) FROM gone.g;')).toBe('SUM(a)\n15\n');
  });

  it('loads staged files with COPY INTO in one commit, and nothing at all when one file is bad', async () => {
    const at = await location();
    const store = await at.openStore();
    await store.put('in/a.csv', Buffer.from('id,name\n1,apple\n2,pear\n'));
    await store.put('in/b.csv', Buffer.from('id,name\n3,fig\n'));
    await store.put('bad/c.csv', Buffer.from('id,name\n4,kiwi\n'));
    await store.put('bad/d.csv', Buffer.from('id,name\nfive,plum\n'));
    await store.close();
    const loaded = ok(`
      CREATE DATABASE copied;
      USE copied;
      CREATE TABLE fruit (id INT PRIMARY KEY, name VARCHAR(10));
      CREATE STAGE files URL = ${at.sql};
      COPY INTO fruit FROM @files/in PATTERN = '.*[.]csv' FILE_FORMAT = (TYPE = CSV, SKIP_HEADER = 1);
    `);
    expect(records(loaded)).toEqual([
      { File: 'in/a.csv', Rows_loaded: '2', Errors_seen: '0', First_error: 'NULL', First_error_line: 'NULL' },
      { File: 'in/b.csv', Rows_loaded: '1', Errors_seen: '0', First_error: 'NULL', First_error_line: 'NULL' },
    ]);
    const before = ok("SELECT COUNT(*) AS n FROM fruit; SELECT COUNT(*) AS n FROM fuse_snapshot('copied', 'fruit');", 'copied');
    const error = fails('COPY INTO fruit FROM @files/bad FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1);', 'copied');
    expect(error).toMatch(/^ERROR 1292 .*'bad\/d\.csv'.*'five'.*nothing was loaded/m);
    // Neither c.csv's row nor a commit was kept.
    expect(ok("SELECT COUNT(*) AS n FROM fruit; SELECT COUNT(*) AS n FROM fuse_snapshot('copied', 'fruit');", 'copied')).toBe(before);
    expect(ok("SELECT name FROM @files/in (FILE_FORMAT => 'csv') WHERE id = 3;")).toBe('name\nfig\n');
  });

  it('says that versioning is required where the location keeps no versions', async (ctx) => {
    if (kind === 'local') {
      console.log('[fail-safe e2e] local store: skipping "no versioning" (the local store always keeps versions)');
      ctx.skip();
    }
    const at = await location({ versioned: false });
    ok(`CREATE DATABASE plain; CREATE TABLE plain.u (a INT) ${at.sql}; INSERT INTO plain.u VALUES (1);`);
    expect(fails("CALL system$fuse_amend('plain', 'u');")).toMatch(/^ERROR 1290 \(HY000\).*needs bucket versioning/m);
  });

  it('reports objects written before versioning was on as not recoverable', async (ctx) => {
    if (kind === 'local') {
      console.log('[fail-safe e2e] local store: skipping "written before versioning" (the local store always keeps versions)');
      ctx.skip();
    }
    const at = await location({ versioned: false });
    ok(`CREATE DATABASE early; CREATE TABLE early.e (a INT) ${at.sql}; INSERT INTO early.e VALUES (1); CREATE STAGE early_stage URL = ${at.sql};`);
    await at.enableVersioning();
    // A new server opens the location afresh and sees versioning on.
    await restart();
    ok("REMOVE @early_stage PATTERN = '[.]parquet$';");
    const report = amend('early', 'e');
    expect(report).toMatchObject({ objects_missing: '1', objects_recovered: '0', objects_not_recoverable: '1' });
    expect(report.not_recoverable).toMatch(/[.]parquet: it was written before bucket versioning was enabled/);
    expect(fails('SELECT * FROM early.e;')).toContain('ERROR 1017');
  });
});
