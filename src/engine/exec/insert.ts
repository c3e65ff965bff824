// INSERT: rows are staged in a DuckDB temp table in the table's column order and
// types, checked (NOT NULL, lengths), given AUTO_INCREMENT values, written as one
// Parquet file, and committed as one log entry. A failure before the commit
// leaves the table as it was; an uploaded file that never got committed is an
// orphan for VACUUM, never a visible row.
import { randomBytes } from 'node:crypto';
import { sqlError } from '../../errors/registry.js';
import type { ColumnDef, Statement } from '../../sql/statement.js';
import type { OkResult } from '../../server/query-handler.js';
import { nameKey } from '../catalog/catalog.js';
import { liveTables, type LogAction, type TableState } from '../catalog/database-state.js';
import { duckIdent } from '../duckdb/duck-database.js';
import { writeRouted } from '../table/partitioning.js';
import { currentDatabase, openTables, printContext, type ExecContext } from './context.js';
import type { ResolvedTable } from '../warehouse.js';
import { castToColumn } from './assignments.js';
import { defaultSql, storedValueSql } from './ddl.js';
import { ok } from './results.js';
import { checkRows } from './row-checks.js';
import { assertUnchanged } from './conflicts.js';
import { uniqueKeys } from './keys.js';
import { resolveConflicts } from './upsert.js';

type Insert = Extract<Statement, { kind: 'insert' }>;

function targetColumns(table: TableState, names: readonly string[] | undefined): ColumnDef[] {
  const all = table.meta.columns;
  if (names === undefined) return [...all];
  const seen = new Set<string>();
  return names.map((n) => {
    const c = all.find((col) => nameKey(col.name) === nameKey(n));
    if (c === undefined) throw sqlError('ER_BAD_FIELD_ERROR', `Unknown column '${n}' in 'field list'`);
    if (seen.has(nameKey(n))) throw sqlError('ER_FIELD_SPECIFIED_TWICE', `Column '${n}' specified twice`);
    seen.add(nameKey(n));
    return c;
  });
}

export async function insert(x: ExecContext, stmt: Insert): Promise<OkResult> {
  const dbName = currentDatabase(x, stmt.table.db);
  const resolved = await x.access.table(dbName, stmt.table.name);
  const hasKeys = uniqueKeys(resolved.table.meta).length > 0;
  const hasAuto = resolved.table.meta.columns.some((c) => c.autoIncrement);
  // Auto-increment values and key checks depend on the previous commit, so such writers take turns.
  // Under the lock the table is read again: the previous writer may have committed meanwhile.
  if (hasAuto || hasKeys) return x.core.tableLock(resolved.table.meta.id).run(async () => insertInto(x, stmt, await x.access.table(dbName, stmt.table.name)));
  return insertInto(x, stmt, resolved);
}

async function insertInto(x: ExecContext, stmt: Insert, resolved: ResolvedTable): Promise<OkResult> {
  const { log, table, db, home } = resolved;
  const columns = table.meta.columns;
  const given = targetColumns(table, stmt.columns);
  const givenKeys = new Set(given.map((c) => nameKey(c.name)));
  for (const c of columns) {
    if (!givenKeys.has(nameKey(c.name)) && c.notNull && c.default === undefined && !c.autoIncrement) {
      throw sqlError('ER_NO_DEFAULT_FOR_FIELD', `Field '${c.name}' doesn't have a default value`);
    }
  }

  const stage = `_ducksafe_stage_${randomBytes(6).toString('hex')}`;
  const names = ['_ord', ...columns.map((c) => c.name)].map(duckIdent).join(', ');
  const opened = await openTables(x, stmt.source.kind === 'values' ? stmt.source.rows.flatMap((r) => r.flatMap((v) => (v.kind === 'expr' ? v.expr.tables : []))) : stmt.source.query.tables);
  try {
    // INSERT IGNORE keeps as warnings what strict mode makes errors.
    const ctx = printContext(x, opened.fragments, undefined, stmt.ignore ? 'record' : 'dml');
    if (stmt.source.kind === 'values') {
      const rows = stmt.source.rows;
      if (rows.length === 0) return ok(0);
      const tuples = rows.map((row, r) => {
        if (row.length !== given.length) {
          throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', `Column count doesn't match value count at row ${r + 1}`);
        }
        const cells = columns.map((c) => {
          const i = given.findIndex((g) => g === c);
          const v = i < 0 ? undefined : row[i];
          if (v === undefined || v.kind === 'default') return defaultSql(c);
          return castToColumn(v.expr, ctx, c);
        });
        return `(${r}, ${cells.join(', ')})`;
      });
      await x.duck.run(`CREATE TEMP TABLE ${duckIdent(stage)} AS SELECT * FROM (VALUES ${tuples.join(', ')}) AS v(${names})`);
    } else {
      const source = stmt.source.query.print(ctx);
      const described = await x.duck.describe(source);
      if (described.length !== given.length) {
        throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', "Column count doesn't match value count at row 1");
      }
      const aliases = described.map((_c, i) => duckIdent(`c${i}`)).join(', ');
      const cells = columns.map((c) => {
        const i = given.findIndex((g) => g === c);
        return i < 0 ? defaultSql(c) : storedValueSql(c, `q.${duckIdent(`c${i}`)}`);
      });
      await x.duck.run(
        `CREATE TEMP TABLE ${duckIdent(stage)} AS SELECT row_number() OVER () - 1 AS "_ord", ${cells.map((s, i) => `${s} AS ${duckIdent(columns[i]?.name ?? '')}`).join(', ')} FROM (${source}) AS q(${aliases})`,
      );
    }
  } finally {
    opened.release();
  }

  try {
    const { insertId, nextAuto } = await assignAutoIncrement(x, stage, table);
    await checkRows(x, stage, columns, stmt.ignore);
    const conflicts = await resolveConflicts(x, stmt, table, home, stage);
    const written = await writeRouted(x.duck, `(SELECT * FROM ${duckIdent(stage)} ORDER BY "_ord")`, table, { home, spoolDir: x.core.spoolDir });
    const inserted = written.reduce((n, f) => n + f.rows, 0);
    const added = [...conflicts.added, ...written];
    if (added.length > 0 || conflicts.removed.length > 0) {
      await x.access.commit({ db, log }, {
        user: x.session.user,
        operation: stmt.replace ? 'REPLACE' : 'INSERT',
        actions: (state): LogAction[] => {
          const now = liveTables(state).get(nameKey(table.meta.name));
          if (now?.meta.id !== table.meta.id) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${table.meta.name}' doesn't exist`);
          assertUnchanged(table, now, conflicts.removed);
          const actions: LogAction[] = [];
          if (conflicts.removed.length > 0) actions.push({ kind: 'removeFiles', tableId: table.meta.id, keys: conflicts.removed.map((f) => f.key) });
          actions.push({ kind: 'addFiles', tableId: table.meta.id, files: added, ...(nextAuto === undefined ? {} : { autoIncrement: nextAuto }) });
          return actions;
        },
      });
    }
    if (insertId !== 0n && inserted > 0) x.session.lastInsertId = insertId;
    if (inserted > 0) x.core.afterWrite(db.name, table.meta.name);
    return ok(inserted + conflicts.extraAffected, inserted === 0 ? 0n : insertId);
  } finally {
    await x.duck.run(`DROP TABLE IF EXISTS ${duckIdent(stage)}`).catch(() => undefined);
  }
}

/** Fills NULL/0 auto-increment cells from the table's counter, in row order. */
async function assignAutoIncrement(x: ExecContext, stage: string, table: TableState): Promise<{ insertId: bigint; nextAuto?: string }> {
  const auto = table.meta.columns.find((c) => c.autoIncrement);
  if (auto === undefined) return { insertId: 0n };
  const col = duckIdent(auto.name);
  const s = duckIdent(stage);
  const [row] = await x.duck.all(
    `SELECT count(*) FILTER (WHERE ${col} IS NULL OR ${col} = 0) AS missing, CAST(max(${col}) AS VARCHAR) AS mx FROM ${s}`,
  );
  const missing = BigInt(Number(row?.missing ?? 0));
  const explicitMax = typeof row?.mx === 'string' ? BigInt(row.mx.split('.')[0] ?? '0') : 0n;
  const counter = BigInt(table.autoIncrement);
  const base = counter;
  if (missing > 0n) {
    await x.duck.run(
      `UPDATE ${s} SET ${col} = ${base.toString()} + sub.k FROM (SELECT "_ord", row_number() OVER (ORDER BY "_ord") - 1 AS k FROM ${s} WHERE ${col} IS NULL OR ${col} = 0) AS sub WHERE ${s}."_ord" = sub."_ord"`,
    );
  }
  let next = missing > 0n ? base + missing : counter;
  if (explicitMax + 1n > next) next = explicitMax + 1n;
  return { insertId: missing > 0n ? base : 0n, nextAuto: next.toString() };
}
