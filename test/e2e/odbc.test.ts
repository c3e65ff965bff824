// The real server through the MariaDB ODBC driver and unixODBC, as Tableau and Power BI
// reach it: `isql` in batch mode with a DSN from a temporary odbc.ini, and a C program
// (test/clients/odbc/catalog.c, compiled here with gcc) calling the catalog functions
// (SQLTables, SQLColumns, SQLPrimaryKeys, SQLStatistics, SQLSpecialColumns,
// SQLForeignKeys, SQLGetTypeInfo) and a
// prepared SQLPrepare/SQLBindParameter/SQLExecute/SQLFetch round trip through a
// DSN-less connection string. The driver prepares statements on the server
// (COM_STMT_PREPARE / EXECUTE), so this also runs the binary protocol.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir, type ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

const DRIVER = '/usr/lib/x86_64-linux-gnu/odbc/libmaodbc.so';
const SOURCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'clients', 'odbc', 'catalog.c');
const missing = [
  existsSync(DRIVER) ? undefined : `${DRIVER} (.ci/run installs odbc-mariadb)`,
  spawnSync('isql', ['--version']).status === 0 ? undefined : 'isql (.ci/run installs unixodbc)',
  spawnSync('gcc', ['--version']).status === 0 ? undefined : 'gcc',
  existsSync('/usr/include/sql.h') ? undefined : '/usr/include/sql.h (.ci/run installs unixodbc-dev)',
].filter((m): m is string => m !== undefined);
if (missing.length > 0) console.log(`odbc tests skipped: missing ${missing.join(', ')}`);

const KINDS =
  'CREATE TABLE kinds (id INT NOT NULL AUTO_INCREMENT, ti TINYINT, si SMALLINT UNSIGNED, bi BIGINT NOT NULL DEFAULT 0, d DECIMAL(12,3), ' +
  'f FLOAT, db DOUBLE, s VARCHAR(40), tx TEXT, ch CHAR(3), bl BLOB, vb VARBINARY(16), dt DATE, dtt DATETIME, ts TIMESTAMP NULL, tm TIME, ' +
  'b BOOLEAN, PRIMARY KEY (id), UNIQUE KEY uq_s (s), KEY ix_dt_ti (dt, ti))';

/** The tab-separated lines of the catalog program whose first field is `tag`, without the tag. */
function tagged(lines: readonly string[], tag: string): string[][] {
  return lines.filter((l) => l.startsWith(`${tag}\t`)).map((l) => l.split('\t').slice(1));
}

describe.skipIf(missing.length > 0).each(warehouseKinds('odbc e2e'))('MariaDB ODBC driver against a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let conn: Connection;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let program: string;

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    dir = await tempDir('odbc');
    // unixODBC reads its driver list and DSNs from here instead of /etc.
    await writeFile(path.join(dir, 'odbcinst.ini'), `[MariaDB]\nDescription=MariaDB Connector/ODBC\nDriver=${DRIVER}\n`);
    await writeFile(path.join(dir, 'odbc.ini'), `[ducksafe]\nDriver=MariaDB\nServer=127.0.0.1\nPort=${server.port}\nUser=root\nDatabase=od\n`);
    env = { ...process.env, ODBCSYSINI: dir, ODBCINI: path.join(dir, 'odbc.ini') };
    program = path.join(dir, 'catalog');
    const cc = spawnSync('gcc', ['-Wall', '-Wextra', '-Werror', '-o', program, SOURCE, '-lodbc'], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr}`);

    conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await conn.query('CREATE DATABASE od');
    await conn.query('USE od');
    await conn.query(KINDS);
    await conn.query('CREATE VIEW recent AS SELECT id, dt FROM kinds WHERE dt IS NOT NULL');
  });

  afterAll(async () => {
    await conn?.end();
    await server?.stop();
    await warehouse?.remove();
    if (dir !== undefined) await removeDir(dir);
  });

  function isql(statements: readonly string[]): { lines: string[]; stderr: string } {
    const r = spawnSync('isql', ['ducksafe', '-b', '-c', '-d|', '-v'], { input: `${statements.join('\n')}\n`, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    return { lines: r.stdout.split('\n').filter((l) => l !== ''), stderr: r.stderr };
  }

  function failed(from: number): string[] {
    return server.logs.slice(from).flatMap((l) => (String(l.msg).startsWith('statement failed') ? [String(l.sql)] : []));
  }

  it('isql: what Tableau and Power BI send first, SHOW KEYS, prepared INSERT and SELECT, ODBC escapes', () => {
    const logFrom = server.logs.length;
    const { lines } = isql([
      'SET SQL_AUTO_IS_NULL = 0',
      'set @@sql_select_limit=DEFAULT',
      'SELECT CONNECTION_ID() > 0 AS connected',
      'SHOW KEYS FROM kinds',
      "INSERT INTO kinds (bi, s, d, dt, tm) VALUES (7, 'isql ü', 1.5, '2024-03-01', '01:02:03')",
      "INSERT INTO kinds (bi, s, d, dt) VALUES (8, 'two', -0.25, NULL)",
      'SELECT id, bi, s, d, dt, b FROM kinds ORDER BY id',
      // ODBC escape sequences, as generic ODBC tools write functions, dates and outer joins.
      "SELECT {fn UCASE(k.s)} AS up, {fn LENGTH(k.s)} AS len, {d '2024-03-01'} = k.dt AS same FROM {oj kinds k LEFT OUTER JOIN recent r ON r.id = k.id} WHERE r.id IS NULL",
    ]);
    expect(lines).toEqual([
      'connected',
      '1',
      'Table|Non_unique|Key_name|Seq_in_index|Column_name|Collation|Cardinality|Sub_part|Packed|Null|Index_type|Comment|Index_comment|Visible|Expression',
      'kinds|0|PRIMARY|1|id|A|0||||BTREE|||YES|',
      'kinds|0|uq_s|1|s|A|0|||YES|BTREE|||YES|',
      'kinds|1|ix_dt_ti|1|dt|A||||YES|BTREE|||YES|',
      'kinds|1|ix_dt_ti|2|ti|A||||YES|BTREE|||YES|',
      'id|bi|s|d|dt|b',
      '1|7|isql ü|1.500|2024-03-01|',
      '2|8|two|-0.250||',
      'up|len|same',
      'TWO|3|',
    ]);
    expect(failed(logFrom)).toEqual([]);
  });

  // The driver prepares on the server by default; NO_SSPS=1 makes it substitute parameters itself.
  it.each([
    ['server-side', ''],
    ['client-side', ';NO_SSPS=1'],
  ])('a C program: SQLTables, SQLColumns, SQLPrimaryKeys, SQLStatistics, SQLGetTypeInfo and a bound-parameter round trip (%s prepares)', (_how, option) => {
    const logFrom = server.logs.length;
    const r = spawnSync(program, [`DRIVER={MariaDB};SERVER=127.0.0.1;PORT=${server.port};USER=root;DATABASE=od${option}`, 'od', 'kinds'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(tagged(lines, 'INFO')).toEqual([['MySQL', '08.00.000036']]);
    // odbc_params is the program's own table, left by an earlier run.
    expect(tagged(lines, 'TABLE').filter(([, name]) => name !== 'odbc_params')).toEqual([
      ['od', 'kinds', 'TABLE'],
      ['od', 'recent', 'VIEW'],
    ]);
    // COLUMN_NAME, DATA_TYPE (SQL_* codes; the driver reports text as wide types), TYPE_NAME,
    // COLUMN_SIZE, DECIMAL_DIGITS, NULLABLE, ORDINAL_POSITION: what MariaDB 10.11 answers for the same table.
    expect(tagged(lines, 'COLUMN')).toEqual([
      ['id', '4', 'INT', '10', '0', '1', '1'],
      ['ti', '-6', 'TINYINT', '3', '0', '1', '2'],
      ['si', '5', 'SMALLINT UNSIGNED', '5', '0', '1', '3'],
      ['bi', '-5', 'BIGINT', '19', '0', '0', '4'],
      ['d', '3', 'DECIMAL', '12', '3', '1', '5'],
      ['f', '7', 'FLOAT', '7', 'NULL', '1', '6'],
      ['db', '8', 'DOUBLE', '15', 'NULL', '1', '7'],
      ['s', '-9', 'VARCHAR', '40', 'NULL', '1', '8'],
      ['tx', '-10', 'TEXT', '65535', 'NULL', '1', '9'],
      ['ch', '-8', 'CHAR', '3', 'NULL', '1', '10'],
      ['bl', '-4', 'BLOB', '65535', 'NULL', '1', '11'],
      ['vb', '-3', 'VARBINARY', '16', 'NULL', '1', '12'],
      ['dt', '91', 'DATE', '10', 'NULL', '1', '13'],
      ['dtt', '93', 'DATETIME', '19', 'NULL', '1', '14'],
      ['ts', '93', 'TIMESTAMP', '19', 'NULL', '1', '15'],
      ['tm', '92', 'TIME', '8', 'NULL', '1', '16'],
      ['b', '-6', 'TINYINT', '3', '0', '1', '17'],
    ]);
    expect(tagged(lines, 'PK')).toEqual([['id', '1', 'PRIMARY']]);
    // NON_UNIQUE, INDEX_NAME, TYPE (SQL_INDEX_OTHER), ORDINAL_POSITION, COLUMN_NAME
    expect(tagged(lines, 'INDEX')).toEqual([
      ['0', 'PRIMARY', '3', '1', 'id'],
      ['0', 'uq_s', '3', '1', 's'],
      ['1', 'ix_dt_ti', '3', '1', 'dt'],
      ['1', 'ix_dt_ti', '3', '2', 'ti'],
    ]);
    // The primary key and the unique key identify a row (MariaDB 10.11 answers the same).
    expect(tagged(lines, 'SPECIAL')).toEqual([
      ['id', '4', 'int'],
      ['s', '-9', 'varchar'],
    ]);
    // SQLForeignKeys runs the driver's KEY_COLUMN_USAGE query; kinds references no table.
    expect(tagged(lines, 'FK')).toEqual([]);
    const types = tagged(lines, 'TYPE');
    expect(types).toHaveLength(43);
    expect(types).toEqual(
      expect.arrayContaining([['INT', '4'], ['BIGINT', '-5'], ['DECIMAL', '3'], ['DOUBLE', '8'], ['VARCHAR', '12'], ['VARCHAR', '-9'], ['DATE', '91'], ['DATETIME', '93'], ['TIME', '92'], ['BLOB', '-4']]),
    );

    expect(tagged(lines, 'INSERTED')).toEqual([['1']]);
    // SQLDescribeCol: name, SQL type, decimal digits.
    expect(tagged(lines, 'DESCRIBE').map(([name, type]) => [name, type])).toEqual([
      ['i', '4'], ['d', '3'], ['f', '8'], ['s', '12'], ['dt', '91'], ['ts', '93'],
    ]);
    expect(tagged(lines, 'DESCRIBE')[1]).toEqual(['d', '3', '2']);
    expect(tagged(lines, 'FETCHED')).toEqual([['42', '1234.56', '2.500', 'héllo, ODBC', '2024-02-29', '2024-12-31 23:59:58']]);
    expect(tagged(lines, 'ROWS')).toEqual([['1']]);
    expect(failed(logFrom)).toEqual([]);
  });
});
