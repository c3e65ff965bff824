// DELETE, UPDATE and TRUNCATE. Files are immutable, so a change marks the exact
// rows it touches — (file, row number) pairs, which also makes ORDER BY ... LIMIT
// and non-deterministic predicates exact — and rewrites only the files that hold
// marked rows. The commit swaps old files for new ones in one log entry; the old
// files stay in storage for time travel until VACUUM.
import { randomBytes } from 'node:crypto';
import { sqlError } from '../../errors/registry.js';
import type { ColumnBound, OrderItem, Printable, Statement, TableRef } from '../../sql/statement.js';
import type { OkResult } from '../../server/query-handler.js';
import { nameKey } from '../catalog/catalog.js';
import { liveTables, type DataFile, type LogAction, type TableState } from '../catalog/database-state.js';
import type { DatabaseLog } from '../catalog/database-log.js';
import type { DatabaseEntry } from '../catalog/catalog.js';
import { duckIdent } from '../duckdb/duck-database.js';
import { projectFile, writeDataFile, type TableHome } from '../table/table-files.js';
import { writeRouted } from '../table/partitioning.js';
import { boundsOf, currentDatabase, openTables, printContext, type ExecContext } from './context.js';
import { pruneFiles } from '../table/prune.js';
import { checkRows } from './row-checks.js';
import { assertUnchanged } from './conflicts.js';
import { enforceUnique } from './keys.js';
import { updatedRowSql } from './assignments.js';
import { ok } from './results.js';

type Update = Extract<Statement, { kind: 'update' }>;
type Delete = Extract<Statement, { kind: 'delete' }>;

export const FILE_COL = '__ducksafe_f';
export const ROW_COL = '__ducksafe_r';

export interface Target {
  readonly db: DatabaseEntry;
  readonly log: DatabaseLog;
  readonly table: TableState;
  readonly home: TableHome;
}

async function resolve(x: ExecContext, ref: TableRef): Promise<Target> {
  if (ref.asOf !== undefined) throw sqlError('ER_NOT_SUPPORTED_YET', 'A table read at an earlier time cannot be changed');
  return x.access.table(currentDatabase(x, ref.db), ref.name);
}

export function tempName(kind: string): string {
  return `_ducksafe_${kind}_${randomBytes(6).toString('hex')}`;
}

/**
 * Some of the table's files as one relation with each row's (file index, row
 * number); `paths[i]` is the local path of `table.files[i]`, undefined to leave it out.
 */
export function numberedRelation(table: TableState, paths: readonly (string | undefined)[]): string {
  const cols = table.meta.columns.map((c) => duckIdent(c.name)).join(', ');
  const parts = table.files.flatMap((f, i) => {
    const path = paths[i];
    return path === undefined ? [] : [`SELECT ${i} AS ${duckIdent(FILE_COL)}, file_row_number AS ${duckIdent(ROW_COL)}, ${cols} FROM ${projectFile(table.meta, f, path, true)}`];
  });
  if (parts.length === 0) {
    const nulls = table.meta.columns.map((c) => `CAST(NULL AS ${c.type.duck}) AS ${duckIdent(c.name)}`).join(', ');
    return `(SELECT CAST(NULL AS INTEGER) AS ${duckIdent(FILE_COL)}, CAST(NULL AS BIGINT) AS ${duckIdent(ROW_COL)}, ${nulls} LIMIT 0)`;
  }
  return `(${parts.join(' UNION ALL ')})`;
}

interface Marked {
  /** Temp table of marked (file, row) pairs. */
  readonly name: string;
  /** Marked rows per file index. */
  readonly perFile: ReadonlyMap<number, number>;
  readonly total: number;
  /** Local paths by file index; undefined for files the statistics ruled out. */
  readonly paths: readonly (string | undefined)[];
  release(): Promise<void>;
}

/** Marks the rows a WHERE / ORDER BY / LIMIT selects, in one evaluation. */
async function markRows(
  x: ExecContext,
  target: Target,
  ref: TableRef,
  where: Printable | undefined,
  orderBy: readonly OrderItem[] | undefined,
  limit: number | undefined,
  bounds: readonly ColumnBound[],
): Promise<Marked> {
  const { table } = target;
  const candidates = new Set(pruneFiles(table.meta, table.files, bounds.filter((b) => b.refId === ref.refId)).map((f) => f.key));
  const chosen = table.files.filter((f) => candidates.has(f.key));
  const held = await target.home.files.acquire(
    chosen.map((f) => f.key),
    x.signal,
  );
  const byKey = new Map(chosen.map((f, i) => [f.key, held.paths[i]]));
  const paths = table.files.map((f) => byKey.get(f.key));
  const extra = [...(where?.tables ?? []), ...(orderBy ?? []).flatMap((o) => o.expr.tables)];
  const opened = await openTables(x, extra);
  const name = tempName('mark');
  try {
    const ctx = printContext(x, opened.fragments, undefined, 'dml');
    const alias = duckIdent(ref.alias ?? ref.name);
    const clauses = [
      where === undefined ? '' : ` WHERE (${where.print(ctx)})`,
      orderBy === undefined || orderBy.length === 0 ? '' : ` ORDER BY ${orderBy.map((o) => `${o.expr.print(ctx)} ${o.direction}`).join(', ')}`,
      limit === undefined ? '' : ` LIMIT ${limit}`,
    ].join('');
    await x.duck.run(
      `CREATE TEMP TABLE ${duckIdent(name)} AS SELECT ${alias}.${duckIdent(FILE_COL)} AS f, ${alias}.${duckIdent(ROW_COL)} AS r FROM ${numberedRelation(table, paths)} AS ${alias}${clauses}`,
    );
    const counts = await x.duck.all(`SELECT f, count(*) AS n FROM ${duckIdent(name)} GROUP BY f`);
    const perFile = new Map(counts.map((c) => [Number(c.f), Number(c.n)]));
    return {
      name,
      perFile,
      total: [...perFile.values()].reduce((a, b) => a + b, 0),
      paths,
      release: async () => {
        held.release();
        await x.duck.run(`DROP TABLE IF EXISTS ${duckIdent(name)}`).catch(() => undefined);
      },
    };
  } catch (err) {
    held.release();
    await x.duck.run(`DROP TABLE IF EXISTS ${duckIdent(name)}`).catch(() => undefined);
    throw err;
  } finally {
    opened.release();
  }
}

/** Swaps files in one commit, failing with ER_LOCK_DEADLOCK when another writer changed them first. */
export async function swapFiles(x: ExecContext, target: Target, operation: string, removed: readonly DataFile[], added: readonly DataFile[]): Promise<void> {
  const { table, db } = target;
  await x.access.commit(target, {
    user: x.session.user,
    operation,
    actions: (state): LogAction[] => {
      const now = liveTables(state).get(nameKey(table.meta.name));
      if (now?.meta.id !== table.meta.id) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${table.meta.name}' doesn't exist`);
      assertUnchanged(table, now, removed);
      const actions: LogAction[] = [];
      if (removed.length > 0) actions.push({ kind: 'removeFiles', tableId: table.meta.id, keys: removed.map((f) => f.key) });
      if (added.length > 0) actions.push({ kind: 'addFiles', tableId: table.meta.id, files: added });
      return actions;
    },
  });
}

export async function deleteRows(x: ExecContext, stmt: Delete): Promise<OkResult> {
  const first = await resolve(x, stmt.table);
  return x.core.tableLock(first.table.meta.id).run(async () => {
    const target = await resolve(x, stmt.table);
    if (target.table.files.length === 0) return ok(0);
    const marked = await markRows(x, target, stmt.table, stmt.where, stmt.orderBy, stmt.limit, boundsOf(x, stmt));
    try {
      if (marked.total === 0) return ok(0);
      const removed: DataFile[] = [];
      const added: DataFile[] = [];
      for (const [i, count] of marked.perFile) {
        const file = target.table.files[i];
        const path = marked.paths[i];
        if (file === undefined || path === undefined || count === 0) continue;
        removed.push(file);
        const kept = `(SELECT * FROM ${projectFile(target.table.meta, file, path, true)} WHERE file_row_number NOT IN (SELECT r FROM ${duckIdent(marked.name)} WHERE f = ${i}) ORDER BY file_row_number)`;
        const rewritten = await writeDataFile(x.duck, kept, target.table, { home: target.home, spoolDir: x.core.spoolDir }, file.partition);
        if (rewritten !== undefined) added.push(rewritten);
      }
      await swapFiles(x, target, 'DELETE', removed, added);
      return ok(marked.total);
    } finally {
      await marked.release();
    }
  });
}

export async function updateRows(x: ExecContext, stmt: Update): Promise<OkResult> {
  const first = await resolve(x, stmt.table);
  return x.core.tableLock(first.table.meta.id).run(async () => {
    const target = await resolve(x, stmt.table);
    const { table } = target;
    // Unknown columns fail even when no row matches, as in MySQL.
    for (const a of stmt.assignments) {
      if (!table.meta.columns.some((c) => nameKey(c.name) === nameKey(a.column))) throw sqlError('ER_BAD_FIELD_ERROR', `Unknown column '${a.column}' in 'field list'`);
    }
    if (table.files.length === 0) return ok(0, 0n, 'Rows matched: 0  Changed: 0  Warnings: 0', 0n);
    const marked = await markRows(x, target, stmt.table, stmt.where, stmt.orderBy, stmt.limit, boundsOf(x, stmt));
    const opened = await openTables(
      x,
      stmt.assignments.flatMap((a) => (a.value.kind === 'expr' ? a.value.expr.tables : [])),
    );
    const stages: string[] = [];
    try {
      if (marked.total === 0) return ok(0, 0n, 'Rows matched: 0  Changed: 0  Warnings: 0', 0n);
      const ctx = printContext(x, opened.fragments, undefined, 'dml');
      const alias = duckIdent(stmt.table.alias ?? stmt.table.name);
      const columns = table.meta.columns;
      const updated = updatedRowSql(table.meta.columns, stmt.assignments, ctx, alias, 'm.r IS NOT NULL');
      // First every affected file's new content is staged and checked; only then is anything written.
      const touched: { file: DataFile; stage: string }[] = [];
      let changed = 0;
      for (const [i, count] of marked.perFile) {
        const file = table.files[i];
        const path = marked.paths[i];
        if (file === undefined || path === undefined || count === 0) continue;
        const stage = tempName('upd');
        stages.push(stage);
        await x.duck.run(
          `CREATE TEMP TABLE ${duckIdent(stage)} AS SELECT ${updated.select}, ${alias}.file_row_number AS "_ord", ${updated.changed} AS "__changed" ` +
            `FROM ${projectFile(table.meta, file, path, true)} AS ${alias} LEFT JOIN (SELECT r FROM ${duckIdent(marked.name)} WHERE f = ${i}) AS m ON m.r = ${alias}.file_row_number`,
        );
        const [row] = await x.duck.all(`SELECT count(*) FILTER (WHERE "__changed") AS n FROM ${duckIdent(stage)}`);
        const n = Number(row?.n ?? 0);
        if (n === 0) continue;
        changed += n;
        await checkRows(x, stage, columns);
        touched.push({ file, stage });
      }
      if (changed > 0) {
        const rewrittenKeys = new Set(touched.map((t) => t.file.key));
        const newRows = `(${touched.map((t) => `SELECT * FROM ${duckIdent(t.stage)}`).join(' UNION ALL ')})`;
        await enforceUnique(x, target.home.files, table.meta, newRows, table.files.filter((f) => !rewrittenKeys.has(f.key)));
        const added: DataFile[] = [];
        // Updated rows may belong to another partition now: rewrites are routed again.
        for (const { stage } of touched) {
          added.push(...(await writeRouted(x.duck, `(SELECT * FROM ${duckIdent(stage)} ORDER BY "_ord")`, table, { home: target.home, spoolDir: x.core.spoolDir })));
        }
        await swapFiles(x, target, 'UPDATE', touched.map((t) => t.file), added);
      }
      return ok(changed, 0n, `Rows matched: ${marked.total}  Changed: ${changed}  Warnings: 0`, BigInt(marked.total));
    } finally {
      opened.release();
      for (const s of stages) await x.duck.run(`DROP TABLE IF EXISTS ${duckIdent(s)}`).catch(() => undefined);
      await marked.release();
    }
  });
}

export async function truncate(x: ExecContext, ref: { readonly db?: string; readonly name: string }): Promise<OkResult> {
  const { log, table, db } = await x.core.warehouse.table(currentDatabase(x, ref.db), ref.name);
  await log.commit({
    user: x.session.user,
    operation: 'TRUNCATE',
    actions: (state): LogAction[] => {
      const now = liveTables(state).get(nameKey(table.meta.name));
      if (now?.meta.id !== table.meta.id) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${table.meta.name}' doesn't exist`);
      return [{ kind: 'truncateTable', tableId: table.meta.id }];
    },
  });
  return ok(0);
}
