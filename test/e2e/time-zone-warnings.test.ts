// The session time zone and diagnostics through real clients: SET time_zone moves
// NOW(), FROM_UNIXTIME() and UNIX_TIMESTAMP() (the expected local times come from
// Node's own time zone database, not from ducksafe), and warnings reach the OK and
// EOF packets, SHOW WARNINGS / SHOW ERRORS and @@warning_count / @@error_count.
// The differential half (the same against MariaDB) is test/corpus/10-time-zones.sql
// and 11-warnings.sql. Also DOUBLE results with MySQL's declared decimals in the text
// protocol only. Only a local warehouse: none of this depends on storage.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, type Warehouse } from '../helpers/warehouses.js';

const cli = ['mariadb', 'mysql'].find((name) => spawnSync(name, ['--version']).status === 0);
if (cli === undefined) console.log('time zone / warnings e2e: the CLI case is skipped: neither `mariadb` nor `mysql` is installed (.ci/run installs mariadb-client)');

/** What a wall clock in `zone` shows at `epochSeconds`, as MySQL prints a DATETIME. */
function wallClock(epochSeconds: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochSeconds * 1000));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

describe('time_zone and warnings e2e', () => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let conn: Connection;

  beforeAll(async () => {
    warehouse = await createWarehouse('local');
    server = await warehouse.start();
    conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  });

  afterAll(async () => {
    await conn?.end();
    await server?.stop();
    await warehouse?.remove();
  });

  async function one(sql: string): Promise<RowDataPacket> {
    const [rows] = await conn.query<RowDataPacket[]>(sql);
    const row = rows[0];
    if (row === undefined) throw new Error(`${sql} returned no row`);
    return row;
  }

  it('follows an offset time zone in NOW(), FROM_UNIXTIME() and UNIX_TIMESTAMP()', async () => {
    await conn.query("SET time_zone = '+02:00'");
    const row = await one("SELECT @@time_zone AS tz, TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW()) AS m, FROM_UNIXTIME(0) AS f, UNIX_TIMESTAMP('1970-01-01 02:00:00') AS u");
    expect(row).toEqual({ tz: '+02:00', m: '120', f: wallClock(0, 'Etc/GMT-2'), u: '0' });
    await conn.query("SET time_zone = '-03:30'");
    const back = await one('SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW()) AS m, UNIX_TIMESTAMP(FROM_UNIXTIME(1700000000)) AS r');
    expect(back).toEqual({ m: '-210', r: '1700000000' });
  });

  it('follows a named zone across daylight saving time, as the time zone database says', async () => {
    await conn.query("SET time_zone = 'Europe/Berlin'");
    const winter = 1704067200; // 2024-01-01T00:00:00Z
    const summer = 1719792000; // 2024-07-01T00:00:00Z
    const row = await one(`SELECT FROM_UNIXTIME(${winter}) AS w, FROM_UNIXTIME(${summer}) AS s, UNIX_TIMESTAMP('${wallClock(summer, 'Europe/Berlin')}') AS u`);
    expect(row).toEqual({ w: wallClock(winter, 'Europe/Berlin'), s: wallClock(summer, 'Europe/Berlin'), u: String(summer) });
    const converted = await one("SELECT CONVERT_TZ('2024-07-01 12:00:00', 'America/New_York', 'Asia/Kolkata') AS c");
    const instant = Date.parse('2024-07-01T16:00:00Z') / 1000; // noon in New York (EDT, UTC-4)
    expect(converted.c).toBe(wallClock(instant, 'Asia/Kolkata'));
  });

  it('refuses a zone it does not know, and SYSTEM is the server zone', async () => {
    const err = await conn.query("SET time_zone = 'Mars/Olympus'").then(
      () => undefined,
      (e: unknown) => e as { errno?: number; message?: string },
    );
    expect(err?.errno).toBe(1298);
    expect(err?.message).toBe("Unknown or incorrect time zone: 'Mars/Olympus'");
    await conn.query("SET time_zone = 'SYSTEM'");
    const row = await one('SELECT @@time_zone AS tz, @@system_time_zone AS sys, TIMESTAMPDIFF(SECOND, CONVERT_TZ(NOW(), @@system_time_zone, \'+00:00\'), UTC_TIMESTAMP()) AS d');
    expect(row).toEqual({ tz: 'SYSTEM', sys: Intl.DateTimeFormat().resolvedOptions().timeZone, d: '0' });
  });

  it('counts warnings in the OK packet and lists them', async () => {
    const [header] = await conn.query<ResultSetHeader>("SET @x = 1/0, @y = CAST('12abc' AS SIGNED)");
    expect(header.warningStatus).toBe(2);
    const [list] = await conn.query<RowDataPacket[]>('SHOW WARNINGS');
    expect(list.map((r) => [r.Level, r.Code, r.Message])).toEqual([
      ['Warning', 1365, 'Division by 0'],
      ['Warning', 1292, "Truncated incorrect INTEGER value: '12abc'"],
    ]);
    expect(await one('SELECT @@warning_count AS w, @x AS x, @y AS y')).toEqual({ w: 2, x: null, y: 12 });
  });

  it('makes division by zero and bad numbers errors when strict mode changes data, warnings under INSERT IGNORE', async () => {
    await conn.query('CREATE DATABASE IF NOT EXISTS tzw');
    await conn.query('CREATE TABLE tzw.v (id INT PRIMARY KEY, n INT)');
    await expect(conn.query('INSERT INTO tzw.v VALUES (1, 1/0)')).rejects.toMatchObject({ errno: 1365, message: 'Division by 0' });
    await expect(conn.query("INSERT INTO tzw.v VALUES (1, 'x' + 1)")).rejects.toMatchObject({ errno: 1292 });
    const [ignored] = await conn.query<ResultSetHeader>('INSERT IGNORE INTO tzw.v VALUES (1, 1/0)');
    expect([ignored.affectedRows, ignored.warningStatus]).toEqual([1, 1]);
    await conn.query('INSERT INTO tzw.v VALUES (2, 5)');
    await expect(conn.query('UPDATE tzw.v SET n = n / (id - 2) WHERE id = 2')).rejects.toMatchObject({ errno: 1365 });
    // NULL divided by zero is NULL, without error, as in MySQL.
    await conn.query('UPDATE tzw.v SET n = n / 0 WHERE id = 1');
    const [rows] = await conn.query<RowDataPacket[]>('SELECT id, n FROM tzw.v ORDER BY id');
    expect(rows).toEqual([{ id: 1, n: null }, { id: 2, n: 5 }]);
  });

  it('lists the error of a statement that failed, parse errors included', async () => {
    await expect(conn.query('SELEC 1')).rejects.toMatchObject({ errno: 1064 });
    const [errors] = await conn.query<RowDataPacket[]>('SHOW ERRORS');
    expect(errors.map((r) => [r.Level, r.Code])).toEqual([['Error', 1064]]);
    expect(await one('SELECT @@error_count AS e, @@warning_count AS w')).toEqual({ e: 1, w: 1 });
    await conn.query('SELECT 1');
    const [after] = await conn.query<RowDataPacket[]>('SHOW COUNT(*) ERRORS');
    expect(after[0]?.['@@session.error_count']).toBe('1');
  });

  it('prints a DOUBLE with its declared decimals in the text protocol, whole in the binary one', async () => {
    const sql = 'SELECT PI() AS p, ROUND(LOG10(1000), 3) AS r, PI() * 2 AS free';
    const [text] = await conn.query<RowDataPacket[]>({ sql, typeCast: (field, next) => (field.type === 'DOUBLE' ? field.string() : next()) });
    expect(text[0]).toEqual({ p: '3.141593', r: '3.000', free: String(Math.PI * 2) });
    const [binary] = await conn.execute<RowDataPacket[]>(sql);
    expect(binary[0]).toEqual({ p: Math.PI, r: 3, free: Math.PI * 2 });
  });

  it.skipIf(cli === undefined)('shows the warning count the EOF packet carries in the CLI', () => {
    const r = spawnSync(cli ?? 'mariadb', ['-h', '127.0.0.1', '-P', String(server.port), '-u', 'root', '--skip-ssl', '-vvv', '-e', 'SELECT 1/0 AS a; SELECT 1 AS b'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/1 row in set, 1 warning/);
    // The second SELECT raised nothing: the CLI reports no warning for it.
    expect(r.stdout.match(/warning/g)?.length).toBe(1);
  });
});
