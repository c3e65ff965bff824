// Differential test of MySQL semantics: every query of test/corpus/*.sql runs on a real
// MariaDB (Debian's mariadbd, started here on loopback) and on the real built ducksafe
// server, both loaded with fixtures/bi/shop.sql, through mysql2's text protocol. The
// expected result of a query is whatever MariaDB answers: no hand-written results.
//
// Compared: column names, and every value as the text protocol carries it (NULL apart
// from the string 'NULL'). The one normalisation: a query without a top-level ORDER BY
// has no defined row order, so both sides' rows are sorted before comparing.
// A query may fail on both sides (same errno expected). Exclusions (corpus/exclusions.ts)
// are the few queries that cannot match, each with its reason; they still run and are
// reported, and an excluded query that starts passing fails the test so the list stays true.
//
// Only a local warehouse: the dialect does not depend on where the Parquet files live.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, FieldPacket } from 'mysql2/promise';
import { mariadbUnavailable, startMariaDB, type MariaDBServer } from '../helpers/mariadb-server.js';
import { createWarehouse, type Warehouse } from '../helpers/warehouses.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { EXCLUSIONS } from '../corpus/exclusions.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS_DIR = path.join(ROOT, 'test', 'corpus');
const FIXTURE = path.join(ROOT, 'fixtures', 'bi', 'shop.sql');
const DATABASE = 'bi';
/** Named zones the corpus uses: MariaDB knows them once its time zone tables hold them. */
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];

/** Loads TIME_ZONES into MariaDB's mysql.time_zone* tables (mariadb-tzinfo-to-sql, one file each). */
async function loadTimeZones(port: number): Promise<void> {
  const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database: 'mysql', multipleStatements: true });
  try {
    for (const zone of TIME_ZONES) {
      await conn.query(execFileSync('mariadb-tzinfo-to-sql', [path.join('/usr/share/zoneinfo', zone), zone], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    }
  } finally {
    await conn.end();
  }
}

interface CorpusQuery {
  /** file:line of the query's first line, its name in reports and in EXCLUSIONS. */
  readonly id: string;
  readonly sql: string;
}

/** A corpus file holds queries separated by blank lines; a trailing `;` is dropped. */
function readCorpus(): CorpusQuery[] {
  const queries: CorpusQuery[] = [];
  for (const file of readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
    const lines = readFileSync(path.join(CORPUS_DIR, file), 'utf8').split('\n');
    let start = -1;
    let block: string[] = [];
    const flush = (): void => {
      const sql = block.join('\n').trim().replace(/;\s*$/, '');
      // A block of comments only is a heading.
      if (sql !== '' && !block.every((l) => l.trim().startsWith('-- '))) queries.push({ id: `${file}:${start + 1}`, sql });
      block = [];
      start = -1;
    };
    lines.forEach((line, i) => {
      if (line.trim() === '') {
        flush();
        return;
      }
      if (start < 0) start = i;
      block.push(line);
    });
    flush();
  }
  return queries;
}

/** Splits the fixture script on the `;` that ends a line (its strings hold none). */
function fixtureStatements(): string[] {
  return readFileSync(FIXTURE, 'utf8')
    .split(/;\n/)
    .map((s) => s.replace(/^--.*$/gm, '').trim())
    .filter((s) => s !== '');
}

/** True when the query orders its result: an ORDER BY outside every parenthesis. */
function ordersRows(sql: string): boolean {
  let flat = sql.replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"/g, "''");
  for (let prev = ''; prev !== flat; ) {
    prev = flat;
    flat = flat.replace(/\([^()]*\)/g, '()');
  }
  return /\border\s+by\b/i.test(flat);
}

type Outcome =
  | { readonly ok: true; readonly columns: readonly string[]; readonly rows: readonly (readonly (string | null)[])[] }
  | { readonly ok: false; readonly errno: number | undefined; readonly message: string };

async function runQuery(conn: Connection, sql: string, sortRows: boolean): Promise<Outcome> {
  try {
    const [rows, fields] = (await conn.query({ sql, rowsAsArray: true, typeCast: (field, _next) => field.string() })) as unknown as [
      (string | null)[][],
      FieldPacket[] | undefined,
    ];
    const columns = (fields ?? []).map((f) => f.name);
    const data = Array.isArray(rows) ? rows.map((r) => r.map((v) => (v === null ? null : String(v)))) : [];
    if (sortRows) data.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
    return { ok: true, columns, rows: data };
  } catch (err) {
    const e = err as { errno?: number; message?: string };
    return { ok: false, errno: e.errno, message: e.message ?? String(err) };
  }
}

/** Undefined when both answers match, else a short description of the first difference. */
function difference(expected: Outcome, actual: Outcome): string | undefined {
  if (!expected.ok || !actual.ok) {
    if (!expected.ok && !actual.ok) return expected.errno === actual.errno ? undefined : `errno ${String(actual.errno)} (${actual.message}), MariaDB ${String(expected.errno)}`;
    if (!actual.ok) return `ducksafe failed: ${String(actual.errno)} ${actual.message}`;
    return `MariaDB failed (${expected.ok ? '' : `${String(expected.errno)} ${expected.message}`}) but ducksafe answered`;
  }
  if (JSON.stringify(expected.columns) !== JSON.stringify(actual.columns)) {
    return `columns ${JSON.stringify(actual.columns)}, MariaDB ${JSON.stringify(expected.columns)}`;
  }
  if (expected.rows.length !== actual.rows.length) return `${actual.rows.length} rows, MariaDB ${expected.rows.length}`;
  for (let i = 0; i < expected.rows.length; i++) {
    const e = JSON.stringify(expected.rows[i]);
    const a = JSON.stringify(actual.rows[i]);
    if (e !== a) return `row ${i}: ${a}, MariaDB ${e}`;
  }
  return undefined;
}

const unavailable = await mariadbUnavailable();
const ci = (process.env.CI ?? '') !== '' && process.env.CI !== 'false';
if (unavailable !== undefined && !ci) console.log(`[mysql corpus] skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined && !ci)('MySQL corpus: ducksafe against MariaDB', () => {
  const corpus = readCorpus();
  let mariadb: MariaDBServer;
  let warehouse: Warehouse;
  let server: ServerProcess;
  let expectedConn: Connection;
  let actualConn: Connection;

  async function load(conn: Connection): Promise<void> {
    await conn.query(`CREATE DATABASE ${DATABASE}`);
    await conn.query(`USE ${DATABASE}`);
    for (const statement of fixtureStatements()) await conn.query(statement);
    // The corpus's FROM_UNIXTIME and UNIX_TIMESTAMP read the session time zone.
    await conn.query("SET time_zone = '+00:00'");
  }

  beforeAll(async () => {
    mariadb = await startMariaDB();
    await loadTimeZones(mariadb.port);
    warehouse = await createWarehouse('local');
    server = await warehouse.start();
    const options = { host: '127.0.0.1', user: 'root', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true } as const;
    expectedConn = await mysql.createConnection({ ...options, port: mariadb.port });
    actualConn = await mysql.createConnection({ ...options, port: server.port });
    await load(expectedConn);
    await load(actualConn);
  });

  afterAll(async () => {
    await expectedConn?.end();
    await actualConn?.end();
    await server?.stop();
    await warehouse?.remove();
    await mariadb?.stop();
  });

  it('has at least 300 queries, and every exclusion names one of them', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const ids = new Set(corpus.map((q) => q.id));
    expect(Object.keys(EXCLUSIONS).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('answers every query as MariaDB does', async () => {
    const failures: string[] = [];
    const fixedExclusions: string[] = [];
    let passed = 0;
    let excluded = 0;
    for (const query of corpus) {
      const sortRows = !ordersRows(query.sql);
      const expected = await runQuery(expectedConn, query.sql, sortRows);
      const actual = await runQuery(actualConn, query.sql, sortRows);
      const diff = difference(expected, actual);
      const reason = EXCLUSIONS[query.id];
      if (reason !== undefined) {
        excluded++;
        if (diff === undefined) fixedExclusions.push(query.id);
        continue;
      }
      if (diff === undefined) passed++;
      else failures.push(`${query.id}: ${query.sql.replace(/\s+/g, ' ').slice(0, 160)}\n    ${diff.slice(0, 400)}`);
    }
    console.log(
      `[mysql corpus] ${corpus.length} queries against MariaDB ${mariadb.version}: ${passed} passed, ${failures.length} failed, ${excluded} excluded`,
    );
    if (failures.length > 0) console.log(failures.join('\n'));
    expect(fixedExclusions, 'excluded queries that now pass: remove them from test/corpus/exclusions.ts').toEqual([]);
    expect(failures).toEqual([]);
  });
});
