// MariaDB Connector/J (Debian's libmariadb-java, the driver DBeaver, Metabase and JVM
// applications load) against the built server: DatabaseMetaData over a database with
// tables of every type, a view and a table restored from a backup, and prepared
// statements of every column type, both server-side (COM_STMT_*) and client-side.
// The Java programs in test/clients/java print one line per fact; the same programs
// run against a real MariaDB on the same data, and ducksafe must print the same lines
// except where it differs on purpose (each such line is asserted on its own, with why).
// Drivers do not care where tables live, so this runs on a local warehouse only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mariadbUnavailable, startMariaDB, type MariaDBServer } from '../helpers/mariadb-server.js';
import { registerSecret } from '../helpers/run-log.js';
import { removeDir, startServer, tempDir, type ServerProcess } from '../helpers/server-process.js';

const CONNECTOR_J = '/usr/share/java/mariadb-java-client.jar';
const JAVA_SOURCES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'clients', 'java');
const hasJava = spawnSync('javac', ['-version']).status === 0 && existsSync(CONNECTOR_J);
if (!hasJava) console.log(`connector-j tests skipped: needs javac (default-jdk) and ${CONNECTOR_J} (libmariadb-java); .ci/run installs both`);
const mariadbMissing = hasJava ? await mariadbUnavailable() : undefined;
if (mariadbMissing !== undefined) console.log(`connector-j tests skipped: the differential comparison needs MariaDB: ${mariadbMissing}`);

const READER_PASSWORD = registerSecret('reader password', 'reader-pw-5b2e');

const SCHEMA = `
CREATE TABLE everything (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
  i INT NOT NULL DEFAULT 7, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  de DECIMAL(10,3), fl FLOAT, db DOUBLE, bo BOOLEAN, t1 TINYINT(1),
  ch CHAR(5), vc VARCHAR(40) NOT NULL DEFAULT 'none', tx TEXT,
  bn BINARY(4), vb VARBINARY(16), bl BLOB,
  d DATE, tm TIME, dt DATETIME(3), ts TIMESTAMP NULL, yr YEAR, js JSON, en ENUM('red','green'),
  UNIQUE KEY uk_vc (vc), KEY k_d_tm (d, tm)
);
CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(8,2));
INSERT INTO items VALUES (1, 'apple', 1.50), (2, 'pear', 2.25), (3, 'plum', NULL);
CREATE VIEW v_items AS SELECT id, name FROM items WHERE price IS NOT NULL;
CREATE USER 'reader'@'%' IDENTIFIED BY '${READER_PASSWORD}';
GRANT SELECT, INSERT ON jdbcdb.items TO 'reader'@'%';
`;

let dir: string;
let classes: string;
let server: ServerProcess;
let maria: MariaDBServer;

async function sql(port: number, text: string, database?: string): Promise<RowDataPacket[]> {
  const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', multipleStatements: true, ...(database === undefined ? {} : { database }) });
  try {
    const [rows] = await conn.query<RowDataPacket[]>(text);
    return rows;
  } finally {
    await conn.end();
  }
}

/** Polls a SHOW BACKUP/RESTORE until its one job is done. */
async function finished(port: number, show: string): Promise<RowDataPacket> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const [job] = await sql(port, show);
    if (job !== undefined && (job.State === 'FINISHED' || job.State === 'CANCELLED')) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${show}: not done in 60 s`);
}

/** Runs a compiled program; its stdout lines. Java's own failures fail the test with its stderr. */
function java(program: string, args: string[]): string[] {
  const r = spawnSync('java', ['-Duser.timezone=UTC', '-cp', `${classes}:${CONNECTOR_J}`, program, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`java ${program} exited ${String(r.status)}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trimEnd().split('\n');
}

function url(port: number, db: string, options: string[] = []): string {
  return `jdbc:mariadb://127.0.0.1:${port}/${db}?${['user=root', ...options].join('&')}`;
}

/** Removes the lines `pick` selects from both outputs, returning ducksafe's, for explicit assertions. */
function takeOut(lines: { duck: string[]; maria: string[] }, pick: (line: string) => boolean): { duck: string[]; maria: string[] } {
  const taken = { duck: lines.duck.filter(pick), maria: lines.maria.filter(pick) };
  lines.duck = lines.duck.filter((l) => !pick(l));
  lines.maria = lines.maria.filter((l) => !pick(l));
  return taken;
}

describe.skipIf(!hasJava || mariadbMissing !== undefined)('MariaDB Connector/J against ducksafe and MariaDB', () => {
  beforeAll(async () => {
    dir = await tempDir('connector-j');
    classes = path.join(dir, 'classes');
    await mkdir(classes);
    const sources = (await readdir(JAVA_SOURCES)).filter((f) => f.endsWith('.java')).map((f) => path.join(JAVA_SOURCES, f));
    const compiled = spawnSync('javac', ['-d', classes, ...sources], { encoding: 'utf8' });
    if (compiled.status !== 0) throw new Error(`javac failed: ${compiled.stderr}`);

    [server, maria] = await Promise.all([startServer(), startMariaDB()]);
    await sql(server.port, `CREATE DATABASE jdbcdb; USE jdbcdb; ${SCHEMA} CREATE DATABASE prepdb; CREATE DATABASE textdb;`);
    await sql(maria.port, `CREATE DATABASE jdbcdb; USE jdbcdb; ${SCHEMA} CREATE DATABASE prepdb; CREATE DATABASE textdb;`);

    // ducksafe's items_restored comes back from a backup; MariaDB's is a plain copy.
    const repo = path.join(dir, 'repo');
    await sql(server.port, `CREATE REPOSITORY jrepo WITH LOCAL ON LOCATION "file://${repo}"; BACKUP SNAPSHOT jdbcdb.snap TO jrepo ON (items);`);
    expect((await finished(server.port, 'SHOW BACKUP FROM jdbcdb')).State).toBe('FINISHED');
    const [snapshot] = await sql(server.port, 'SHOW SNAPSHOT ON jrepo');
    await sql(server.port, `RESTORE SNAPSHOT jdbcdb.snap FROM jrepo ON (items AS items_restored) PROPERTIES ("backup_timestamp" = "${String(snapshot?.Timestamp)}")`);
    expect((await finished(server.port, 'SHOW RESTORE FROM jdbcdb')).State).toBe('FINISHED');
    await sql(maria.port, 'CREATE TABLE items_restored (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(8,2)); INSERT INTO items_restored SELECT * FROM items;', 'jdbcdb');
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await maria?.stop();
    if (dir !== undefined) await removeDir(dir);
  });

  it('answers DatabaseMetaData as MariaDB does, restored table and view included', () => {
    const lines = { duck: java('Meta', [url(server.port, 'jdbcdb'), 'jdbcdb']), maria: java('Meta', [url(maria.port, 'jdbcdb'), 'jdbcdb']) };

    // Who the server says it is differs by design: ducksafe presents itself as MySQL 8.
    const product = takeOut(lines, (l) => l.startsWith('product '));
    expect(product.duck).toEqual([expect.stringMatching(/^product name=MySQL version=8\.0\.\d+-ducksafe-\S+ major=8 minor=0$/)]);

    // getTableTypes is a UNION without ORDER BY: SQL promises the rows, not their order.
    const types = takeOut(lines, (l) => l.startsWith('getTableTypes TABLE_TYPE='));
    expect(types.duck.sort()).toEqual(types.maria.sort());
    expect(types.duck).toHaveLength(3);

    // JSON is a type of its own in MySQL (DATA_TYPE 'json', Types.OTHER for this driver);
    // in MariaDB it is an alias of LONGTEXT.
    const json = takeOut(lines, (l) => l.includes(' COLUMN_NAME=js '));
    expect(json.duck).toEqual([expect.stringContaining(' COLUMN_NAME=js DATA_TYPE=1111 TYPE_NAME=JSON COLUMN_SIZE=null ')]);
    expect(json.maria).toEqual([expect.stringContaining(' COLUMN_NAME=js DATA_TYPE=-1 TYPE_NAME=LONGTEXT ')]);

    // MariaDB 10.2.7+ gives COLUMN_DEFAULT as SQL text ('none' quoted, NULL spelled out);
    // MySQL 8, and ducksafe, give the value itself or a real NULL.
    expect(lines.maria.filter((l) => l.includes('COLUMN_DEF=NULL')).length).toBeGreaterThan(20);
    expect(lines.duck.some((l) => l.includes('COLUMN_DEF=NULL') || l.includes("COLUMN_DEF='"))).toBe(false);
    expect(lines.duck.find((l) => l.includes(' COLUMN_NAME=vc '))).toContain(' COLUMN_DEF=none ');
    expect(lines.duck.find((l) => l.includes(' COLUMN_NAME=i '))).toContain(' COLUMN_DEF=7 ');
    lines.maria = lines.maria.map((l) => l.replace('COLUMN_DEF=NULL', 'COLUMN_DEF=null').replace(/COLUMN_DEF='([^']*)'/, 'COLUMN_DEF=$1'));

    expect(lines.duck).toEqual(lines.maria);
    // What the comparison covered, so that an empty answer on both sides cannot pass.
    expect(lines.duck.at(-1)).toBe('done');
    expect(lines.duck).toContain('getCatalogs has jdbcdb=true sorted=true');
    expect(lines.duck).toContain('getTables(VIEW) TABLE_NAME=v_items TABLE_TYPE=VIEW');
    expect(lines.duck).toContain('getPrimaryKeys(items_restored) TABLE_CAT=jdbcdb TABLE_NAME=items_restored COLUMN_NAME=id KEY_SEQ=1 PK_NAME=PRIMARY');
    expect(lines.duck).toContain('getImportedKeys(items_restored) rows=0');
    expect(lines.duck).toContain('getIndexInfo(everything) TABLE_CAT=jdbcdb TABLE_NAME=everything NON_UNIQUE=1 INDEX_NAME=k_d_tm TYPE=3 ORDINAL_POSITION=2 COLUMN_NAME=tm ASC_OR_DESC=A');
    expect(lines.duck).toContain('getIndexInfo(everything, unique) rows=2');
    expect(lines.duck).toContain("getTablePrivileges(items) TABLE_NAME=items GRANTEE='reader'@'%' PRIVILEGE=SELECT");
    expect(lines.duck).toContain('getProcedures rows=0');
    expect(lines.duck).toContain('select items_restored row 3 plum null');
    expect(lines.duck.filter((l) => l.startsWith('getColumns(everything) ') && !l.endsWith('rows=29'))).toHaveLength(28);
    expect(lines.duck.filter((l) => l.startsWith('getTypeInfo TYPE_NAME=')).length).toBeGreaterThan(20);
  }, 120_000);

  it('fails a prepare on names that do not resolve with the errors MariaDB gives, and leaves no statement behind', async () => {
    const queries = ['SELECT nosuch FROM items WHERE id = ?', 'SELECT * FROM nosuch WHERE id = ?', 'SELECT id FROM items a JOIN items b ON ? = 1', 'SELECT name FROM items WHERE id = ?'];
    /** Each query's prepare outcome, then how many statements the server holds for the connection. */
    const prepareAll = async (port: number): Promise<string[]> => {
      const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database: 'jdbcdb' });
      try {
        const outcomes: string[] = [];
        for (const q of queries) {
          outcomes.push(
            await conn.prepare(q).then(
              () => 'prepared',
              (err: unknown) => `${String((err as { errno?: number }).errno)} ${String((err as { sqlState?: string }).sqlState)}`,
            ),
          );
        }
        const [[count]] = await conn.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'");
        return [...outcomes, `open=${String(count?.Value)}`];
      } finally {
        await conn.end();
      }
    };
    const duck = await prepareAll(server.port);
    expect(duck).toEqual(await prepareAll(maria.port));
    expect(duck).toEqual(['1054 42S22', '1146 42S02', '1052 23000', 'prepared', 'open=1']);
  });

  // Without the driver's statement cache, closing a PreparedStatement sends COM_STMT_CLOSE:
  // Prepared_stmt_count shows the server forgot each one.
  for (const [mode, db, options, openWhileUsed] of [
    ['server-side prepared statements (COM_STMT_PREPARE/EXECUTE/SEND_LONG_DATA/CLOSE)', 'prepdb', ['useServerPrepStmts=true', 'cachePrepStmts=false'], 1],
    ['client-side prepared statements (text protocol, _binary literals)', 'textdb', [], 0],
  ] as const) {
    it(`round-trips every column type through ${mode} as MariaDB does`, () => {
      const lines = { duck: java('Prepared', [url(server.port, db, [...options])]), maria: java('Prepared', [url(maria.port, db, [...options])]) };

      // JSON: MySQL's own type (245) here, LONGTEXT in MariaDB (see above).
      const json = takeOut(lines, (l) => / js type=/.test(l));
      expect(json.duck).toEqual([
        expect.stringMatching(/^select metadata js type=12 typeName=JSON .* nullable=1 class=java.lang.String /),
        expect.stringMatching(/^result metadata js type=12 typeName=JSON .* nullable=1 class=java.lang.String /),
      ]);
      // SUM and AVG of a DECIMAL: DuckDB widens them to 38 digits where MariaDB adds 22 and 4;
      // the scale, and so every value, is the same.
      const sums = takeOut(lines, (l) => /^aggregate metadata (total|mean) /.test(l));
      expect(sums.duck).toEqual([
        expect.stringMatching(/^aggregate metadata total type=3 typeName=DECIMAL precision=\d+ scale=0 /),
        expect.stringMatching(/^aggregate metadata mean type=3 typeName=DECIMAL precision=\d+ scale=8 /),
      ]);

      expect(lines.duck).toEqual(lines.maria);
      expect(lines.duck.at(-1)).toBe('done');
      expect(lines.duck).toContain(`prepared statements open while one is=${openWhileUsed}`);
      expect(lines.duck).toContain('prepared statements open at the end=0');
      expect(lines.duck).toContain('insert parameterCount=27');
      const has = (prefix: string): boolean => lines.duck.some((l) => l.startsWith(prefix));
      expect(has('row 1 biu object=BigInteger:18446744073709551615 ')).toBe(true);
      expect(has('row 1 vb object=byte[]:0xff0080 ')).toBe(true);
      expect(has('row 2 dt object=Timestamp:1000-01-01 00:00:00.000001 ')).toBe(true);
      expect(has('row 4 bl object=byte[]:0x0001020304050607080900 ')).toBe(true);
      expect(lines.duck).toContain('batch keys 1 2 3 4 5');
      expect(lines.duck).toContainEqual(expect.stringMatching(/^join metadata vc type=12 typeName=VARCHAR precision=50 .* nullable=1 .* table=ptypes column=vc /));
      expect(lines.duck).toContainEqual(expect.stringMatching(/^fetched rows=890 /));
      expect(lines.duck).toContain('where ch = ? -> 4');
      expect(lines.duck).toContain('duplicate error=1062 state=23000');
      expect(lines.duck).toContainEqual(expect.stringMatching(/^reuse found=[1-9]\d* qtySum=[1-9]\d*$/));
      expect(lines.duck.filter((l) => l.startsWith('row 3 ') && l.includes(' wasNull=true'))).toHaveLength(27);
    }, 180_000);
  }
});
