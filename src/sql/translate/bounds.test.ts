// Goldens for the column bounds of WHERE clauses (what the engine may skip data
// files by), including the shapes that must give none. Each golden with bounds is
// then run in DuckDB twice, once over whole tables and once with every row that
// fails a bound of its table reference removed (the most any pruning can skip):
// the answers must be the same.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStatement } from '../parse/index.js';
import type { ColumnBound, PrintContext, SqlValue, Statement, TableRef } from '../statement.js';
import { quoteIdentifier, valueLiteral } from './literals.js';

const USER_VARIABLES: Readonly<Record<string, SqlValue>> = { a: 5, s: 'abc', long: 0.12345678901234566, d: '2024-01-01' };

/** Tables are DuckDB tables named tbl_<db>_<name>; `table` may narrow what a reference reads. */
function context(params: readonly SqlValue[], table: (ref: TableRef, name: string) => string = (_ref, name) => name): PrintContext {
  return {
    table: (ref) => table(ref, `"tbl_${ref.db ?? 'cur'}_${ref.name}"`.toLowerCase()),
    systemVariable: (name) => (name === 'max_connections' ? 151 : null),
    userVariable: (name) => USER_VARIABLES[name] ?? null,
    sessionFunction: () => null,
    parameter: (index) => {
      const value = params[index];
      if (value === undefined) throw new Error(`no parameter ${index}`);
      return value;
    },
  };
}

/** The bounds of a SELECT, INSERT ... SELECT, UPDATE or DELETE. */
function boundsOf(sql: string, params: readonly SqlValue[] = []): readonly ColumnBound[] | undefined {
  const statement = parseStatement(sql);
  const ctx = context(params);
  switch (statement.kind) {
    case 'select':
      return statement.query.bounds?.(ctx);
    case 'insert':
      return statement.source.kind === 'query' ? statement.source.query.bounds?.(ctx) : undefined;
    case 'update':
    case 'delete':
      return statement.bounds?.(ctx);
    default:
      throw new Error(`${sql} is a ${statement.kind}`);
  }
}

const bound = (refId: number, column: string, op: ColumnBound['op'], ...values: SqlValue[]): ColumnBound => ({ refId, column, op, values });
const t = (column: string, op: ColumnBound['op'], ...values: SqlValue[]) => bound(1, column, op, ...values);

interface Golden {
  readonly sql: string;
  readonly bounds: readonly ColumnBound[];
  readonly params: readonly SqlValue[];
}

/** Goldens that run in DuckDB too (statements MySQL refuses are checked for their bounds only). */
const goldens: Golden[] = [];

function statement(sql: string, expected: readonly ColumnBound[], params: readonly SqlValue[] = [], name = sql): void {
  goldens.push({ sql, bounds: expected, params });
  it(name, () => {
    expect(boundsOf(sql, params)).toEqual(expected);
  });
}

/** A statement MySQL refuses at execution (an unknown or ambiguous table qualifier): it must give no bound either. */
function refused(sql: string): void {
  it(sql, () => {
    expect(boundsOf(sql)).toEqual([]);
  });
}

/** A golden over `SELECT * FROM t WHERE <clause>`. */
function where(clause: string, expected: readonly ColumnBound[], params: readonly SqlValue[] = []): void {
  statement(`SELECT * FROM t WHERE ${clause}`, expected, params, clause);
}

describe('comparisons with a constant', () => {
  where('a = 5', [t('a', '=', 5)]);
  where('5 < a', [t('a', '>', 5)]);
  where('a >= 1 AND a < 10', [t('a', '>=', 1), t('a', '<', 10)]);
  where('10 >= a', [t('a', '<=', 10)]);
  where('a <= -3', [t('a', '<=', -3)]);
  where("b = 'x'", [t('b', '=', 'x')]);
  where('c > 1.5', [t('c', '>', 1.5)]);
  where('c < 1e3', [t('c', '<', 1000)]);
  where('e >= 0.01', [t('e', '>=', 0.01)]);
  where('id = 12345678901234567890', [t('id', '=', 12345678901234567890n)]);
  where('f = TRUE', [t('f', '=', true)]);
  where("d >= DATE '2024-01-01' AND d < '2024-02-01'", [t('d', '>=', '2024-01-01'), t('d', '<', '2024-02-01')]);
  where("ts < TIMESTAMP '2024-06-01 00:00:00'", [t('ts', '<', '2024-06-01 00:00:00')]);
  where('a <=> 20', [t('a', '=', 20)]);
  where('NULL <=> a', [t('a', 'isNull')]);
});

describe('BETWEEN, IN and IS NULL', () => {
  where('a BETWEEN 1 AND 15', [t('a', '>=', 1), t('a', '<=', 15)]);
  where('a BETWEEN 1 AND c', [t('a', '>=', 1)]);
  where('a IN (10, 30, 50)', [t('a', 'in', 10, 30, 50)]);
  where("b IN ('x', 'y')", [t('b', 'in', 'x', 'y')]);
  where('a IN (10, NULL)', [t('a', 'in', 10)]);
  where('a IS NULL', [t('a', 'isNull')]);
  where('f IS UNKNOWN', [t('f', 'isNull')]);
});

describe('placeholders and user variables', () => {
  where('a = ?', [t('a', '=', 20)], [20]);
  where('a < ?', [t('a', '<', 10n)], [10n]);
  where('b = ? AND c > ?', [t('b', '=', 'x'), t('c', '>', 0.5)], ['x', 0.5]);
  where('a IN (?, ?)', [t('a', 'in', 10, 20)], [10, 20]);
  where('a = @a AND b <> @s', [t('a', '=', 5)]);
  where('d >= @d', [t('d', '>=', '2024-01-01')]);
  where('a BETWEEN ? AND ?', [t('a', '<=', 30)], [null, 30]);
});

describe('several conjuncts, however grouped', () => {
  where("(a = 10 AND b = 'x') AND c < 2", [t('a', '=', 10), t('b', '=', 'x'), t('c', '<', 2)]);
  where("a = 10 && b = 'x'", [t('a', '=', 10), t('b', '=', 'x')]);
  where("a = 10 AND (b = 'z' OR c = 3)", [t('a', '=', 10)]);
  where('a > 1 AND a + 1 > 5 AND t.c IS NULL', [t('a', '>', 1), t('c', 'isNull')]);
  where('a = 10 AND id IN (SELECT id FROM u WHERE u.a = 10)', [t('a', '=', 10)]);
});

describe('shapes that give no bound', () => {
  where("a = 1 OR b = 'z'", []);
  where('NOT a = 1', []);
  where('NOT (a IS NULL)', []);
  where('a <> 1', []);
  where('a != 1', []);
  where('a IS NOT NULL', []);
  where('a NOT IN (1, 2)', []);
  where('a NOT BETWEEN 1 AND 2', []);
  where('a = NULL', []);
  where('a IN (NULL)', []);
  where('a <=> c', []);
  where('a + 1 = 5', []);
  where('a = 2 + 3', []);
  where('a = - - 3', []);
  where('a = c', []);
  where('a IN (1, c)', []);
  where('a IN (SELECT a FROM u)', []);
  where('a = (SELECT max(a) FROM u)', []);
  where("LOWER(b) = 'x'", []);
  where("b LIKE 'x%'", []);
  where("BINARY b = 'x'", []);
  where("b = 'x' COLLATE utf8mb4_bin", []);
  where("b = X'78'", []);
  where("a = b'1010'", []);
  where("b = _binary'x'", []);
  where('a = @@max_connections', []);
  where('a XOR c', []);
  where('a = @never_set', []);
  where('a = ?', [], [null]);
  where('c = @long', []);
  where('e = 0.12345678901234567', []);
  where('(a, b) = (1, 2)', []);
  where("j->>'$.a' = 1", []);
  where('a', []);
  where('1 = 1', []);
});

describe('references: which table a column bounds', () => {
  statement('SELECT * FROM t', []);
  statement('SELECT 1 FROM dual WHERE 1 = 1', []);
  statement('SELECT * FROM t AS x WHERE x.a = 1 AND a = 2', [t('a', '=', 1), t('a', '=', 2)]);
  refused('SELECT * FROM t AS x WHERE t.a = 1');
  statement('SELECT * FROM shop.t WHERE shop.t.a = 1 AND other.t.a = 2 AND T.a = 3', [t('a', '=', 1), t('a', '=', 3)]);
  statement("SELECT * FROM t JOIN u ON t.id = u.id WHERE t.a = 10 AND u.b = 'x' AND c = 2", [bound(1, 'a', '=', 10), bound(2, 'b', '=', 'x')]);
  statement('SELECT * FROM t, u WHERE t.a = 1 AND u.a > 3', [bound(1, 'a', '=', 1), bound(2, 'a', '>', 3)]);
  statement('SELECT * FROM t AS x JOIN t AS y ON x.id = y.id WHERE x.a = 1 AND y.a = 2', [bound(1, 'a', '=', 1), bound(2, 'a', '=', 2)]);
  statement('SELECT * FROM t JOIN u USING (id) WHERE id = 1', []);
  statement('SELECT * FROM t JOIN (SELECT id, a FROM u) AS d ON t.id = d.id WHERE d.a = 1 AND t.a = 2', [bound(1, 'a', '=', 2)]);
  statement('SELECT * FROM (SELECT * FROM t WHERE a = 1) AS d WHERE d.a = 2', []);
  refused('SELECT * FROM t JOIN t ON t.id = t.id WHERE t.a = 1');
});

describe('outer joins: IS NULL only on the side whose rows are all kept', () => {
  statement('SELECT * FROM t LEFT JOIN u ON t.id = u.id WHERE u.b IS NULL AND u.a = 5 AND t.a IS NULL', [bound(2, 'a', '=', 5), bound(1, 'a', 'isNull')]);
  statement("SELECT * FROM t RIGHT JOIN u ON t.id = u.id WHERE t.a IS NULL AND u.a IS NULL AND t.b = 'x'", [bound(2, 'a', 'isNull'), bound(1, 'b', '=', 'x')]);
  statement('SELECT * FROM t LEFT JOIN (u JOIN v ON u.id = v.id) ON t.id = u.id WHERE v.a IS NULL AND u.a <=> NULL', []);
  statement('SELECT * FROM t LEFT JOIN u ON t.id = u.id JOIN v ON v.id = t.id WHERE u.a IS NULL AND v.a IS NULL', [bound(3, 'a', 'isNull')]);
});

describe('query shapes', () => {
  statement('SELECT a FROM t WHERE a = 1 UNION SELECT a FROM u WHERE a = 2', []);
  statement('VALUES ROW(1)', []);
  statement('TABLE t', []);
  statement('WITH c AS (SELECT * FROM t) SELECT * FROM c WHERE a = 1', []);
  statement('WITH c AS (SELECT * FROM u WHERE a = 9) SELECT * FROM t WHERE a = 1 AND id IN (SELECT id FROM c)', [bound(2, 'a', '=', 1)]);
  statement('(SELECT * FROM t WHERE a = 1) ORDER BY a LIMIT 1', [t('a', '=', 1)]);
  statement('SELECT a, COUNT(*) FROM t WHERE a > 0 GROUP BY a HAVING COUNT(*) > 1 ORDER BY a LIMIT 5 FOR UPDATE', [t('a', '>', 0)]);
  statement('INSERT INTO u SELECT id, a, b FROM t WHERE a = 1', [t('a', '=', 1)]);
});

describe('UPDATE and DELETE bound their target', () => {
  statement("UPDATE t SET a = 1 WHERE id = ? AND b IN ('x', 'y')", [t('id', '=', 3), t('b', 'in', 'x', 'y')], [3]);
  statement('UPDATE t AS x SET a = 1 WHERE x.id > 1 AND id < 9', [t('id', '>', 1), t('id', '<', 9)]);
  refused('UPDATE t AS x SET a = 1 WHERE t.id < 3');
  refused('UPDATE t SET a = 1 WHERE u.id = 1');
  statement('UPDATE t SET a = 1', []);
  statement('DELETE FROM shop.t WHERE shop.t.id = 1 AND t.a = 2 AND other.t.c = 3', [t('id', '=', 1), t('a', '=', 2)]);
  statement('DELETE FROM t WHERE id IN (SELECT id FROM u WHERE u.a = 1)', []);
  statement('DELETE FROM t WHERE a = 1 OR a = 2', []);
  statement('DELETE FROM t WHERE a BETWEEN ? AND ? ORDER BY id LIMIT 10', [t('a', '>=', 1), t('a', '<=', 9)], [1, 9]);
});

/** The rows a statement reads: a query's answer, or the target rows an UPDATE or DELETE changes. */
function readSql(statement: Statement, ctx: PrintContext): string {
  switch (statement.kind) {
    case 'select':
      return statement.query.print(ctx);
    case 'insert':
      if (statement.source.kind !== 'query') throw new Error('INSERT ... VALUES');
      return statement.source.query.print(ctx);
    case 'update':
    case 'delete': {
      const where = statement.where === undefined ? '' : ` WHERE ${statement.where.print(ctx)}`;
      return `SELECT * FROM ${ctx.table(statement.table)} AS ${quoteIdentifier(statement.table.alias ?? statement.table.name)}${where}`;
    }
    default:
      throw new Error(statement.kind);
  }
}

function predicate(b: ColumnBound): string {
  const column = quoteIdentifier(b.column);
  switch (b.op) {
    case 'isNull':
      return `${column} IS NULL`;
    case 'in':
      return `${column} IN (${b.values.map(valueLiteral).join(', ')})`;
    default:
      return `${column} ${b.op} ${valueLiteral(b.values[0] ?? null)}`;
  }
}

describe('bounds never change an answer (run in DuckDB)', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    // What the engine sets for every session.
    await connection.run("SET TimeZone = 'UTC'");
    await connection.run("SET default_null_order = 'nulls_first_on_asc_last_on_desc'");
    await connection.run("SET default_collation = 'noaccent.nocase'");
    await connection.run('CREATE TABLE tbl_cur_t (id UBIGINT, a INTEGER, b VARCHAR, c DOUBLE, d DATE, e DECIMAL(20,2), f BOOLEAN, ts TIMESTAMP, j JSON)');
    await connection.run(`INSERT INTO tbl_cur_t VALUES
      (1, 10, 'x', 1.5, DATE '2024-01-07', 0.01, TRUE, TIMESTAMP '2024-03-05 14:07:09', '{"a": 1}'),
      (2, 20, 'X', 0.5, DATE '2024-02-29', 1.25, FALSE, TIMESTAMP '2024-12-31 23:59:59', '{"a": 2}'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (4, 30, 'y', 2.5, DATE '2023-12-31', 0.12, TRUE, TIMESTAMP '2024-05-31 23:59:59', '{"a": 1}'),
      (5, 1, 'z', 2, DATE '2024-02-01', 0.00, NULL, TIMESTAMP '2024-06-01 00:00:00', NULL),
      (6, 15, 'Y', 1000, DATE '2024-01-01', -5.50, FALSE, NULL, NULL),
      (9, 5, 'abc', 1.5, NULL, 1.00, TRUE, NULL, NULL),
      (12345678901234567890, -3, 'w', 0.25, DATE '2024-01-31', 7.00, FALSE, TIMESTAMP '2023-01-01 00:00:00', NULL)`);
    await connection.run('CREATE TABLE tbl_shop_t AS SELECT * FROM tbl_cur_t');
    await connection.run('CREATE TABLE tbl_cur_u (id UBIGINT, a INTEGER, b VARCHAR)');
    await connection.run("INSERT INTO tbl_cur_u VALUES (1, 10, 'x'), (4, 40, 'z'), (3, NULL, NULL), (7, 5, 'v')");
    await connection.run('CREATE TABLE tbl_cur_v (id UBIGINT, a INTEGER)');
    await connection.run('INSERT INTO tbl_cur_v VALUES (1, NULL), (4, 2), (8, 3)');
  });

  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  const rows = async (sql: string): Promise<string[]> => {
    const reader = await connection.runAndReadAll(sql);
    return reader
      .getRowsJson()
      .map((row) => JSON.stringify(row))
      .sort();
  };

  /** Whether the answer is the same with every row that fails a bound of its reference removed; and whether any row was removed. */
  const compare = async (golden: Golden): Promise<{ same: boolean; pruned: boolean; answered: boolean }> => {
    const statement = parseStatement(golden.sql);
    // The bounds as computed, not as the golden says: this checks the code, the goldens check the shapes.
    const bounds = boundsOf(golden.sql, golden.params) ?? [];
    const whole = await rows(readSql(statement, context(golden.params)));
    const narrowed: string[] = [];
    const pruning = context(golden.params, (ref, name) => {
      const own = bounds.filter((b) => b.refId === ref.refId);
      if (own.length === 0) return name;
      const sql = `(SELECT * FROM ${name} WHERE ${own.map((b) => `coalesce(${predicate(b)}, FALSE)`).join(' AND ')})`;
      narrowed.push(`SELECT (SELECT count(*) FROM ${name}) - (SELECT count(*) FROM ${sql})`);
      return sql;
    });
    const pruned = await rows(readSql(statement, pruning));
    let removed = false;
    for (const sql of narrowed) if ((await rows(sql))[0] !== '["0"]') removed = true;
    return { same: JSON.stringify(pruned) === JSON.stringify(whole), pruned: removed, answered: whole.length > 0 };
  };

  const withBounds = goldens.filter((g) => g.bounds.length > 0);

  for (const golden of goldens) {
    it(golden.sql, async () => {
      expect(await compare(golden)).toMatchObject({ same: true });
    });
  }

  it('prunes rows in most goldens while they still answer rows, so the checks above are not vacuous', async () => {
    let telling = 0;
    for (const golden of withBounds) {
      const result = await compare(golden);
      if (result.pruned && result.answered) telling++;
    }
    expect(withBounds.length).toBeGreaterThanOrEqual(40);
    expect(telling).toBeGreaterThanOrEqual(35);
  });
});
