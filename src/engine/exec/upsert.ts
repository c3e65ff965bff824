// What INSERT does when new rows meet existing keys: fail with ER_DUP_ENTRY,
// skip them (IGNORE), replace the old rows (REPLACE), or update the old rows
// (ON DUPLICATE KEY UPDATE). Works on the staged rows before anything is
// written; returns the rewrites of existing files that go into the same commit.
import { sqlError } from '../../errors/registry.js';
import type { Statement } from '../../sql/statement.js';
import type { DataFile, TableState } from '../catalog/database-state.js';
import { duckIdent } from '../duckdb/duck-database.js';
import { projectFile, writeDataFile, type TableHome } from '../table/table-files.js';
import { writeRouted } from '../table/partitioning.js';
import { openTables, printContext, type ExecContext } from './context.js';
import { updatedRowSql } from './assignments.js';
import { checkRows } from './row-checks.js';
import { duplicateError, enforceUnique, filesRelation, notNull, sameKey, stagedConflicts, uniqueKeys } from './keys.js';
import { numberedRelation, tempName, FILE_COL, ROW_COL } from './modify.js';

type Insert = Extract<Statement, { kind: 'insert' }>;

export interface ConflictOutcome {
  /** Existing files rewritten by REPLACE / ON DUPLICATE KEY UPDATE, and their rewrites. */
  readonly removed: readonly DataFile[];
  readonly added: readonly DataFile[];
  /** Affected rows beyond one per inserted row (REPLACE deletions, 2 per changed upsert). */
  readonly extraAffected: number;
}

const NOTHING: ConflictOutcome = { removed: [], added: [], extraAffected: 0 };

export async function resolveConflicts(x: ExecContext, stmt: Insert, table: TableState, home: TableHome, stage: string): Promise<ConflictOutcome> {
  const keys = uniqueKeys(table.meta);
  if (keys.length === 0) return NOTHING;
  const s = duckIdent(stage);
  if (!stmt.ignore && !stmt.replace && stmt.onDuplicate === undefined) {
    await enforceUnique(x, home.files, table.meta, s, table.files);
    return NOTHING;
  }
  const existing = await filesRelation(x, home.files, table.meta, table.files);
  try {
    if (stmt.ignore && !stmt.replace && stmt.onDuplicate === undefined) {
      const conflicts = await stagedConflicts(x, table.meta, stage, existing.sql, 'first');
      const drop = [...new Set(conflicts.map((c) => c.ord))];
      for (const c of conflicts) {
        x.session.warnings.push({ level: 'Warning', code: 1062, message: duplicateError(table.meta, c.key, c.value).message });
      }
      if (drop.length > 0) await x.duck.run(`DELETE FROM ${s} WHERE "_ord" IN (${drop.join(', ')})`);
      return NOTHING;
    }
    if (stmt.replace) {
      // Among staged rows with one key the last wins; each one it replaces counts as a deletion.
      const conflicts = await stagedConflicts(x, table.meta, stage, existing.sql, 'last');
      const earlier = [...new Set(conflicts.filter((c) => c.repeated).map((c) => c.ord))];
      if (earlier.length > 0) await x.duck.run(`DELETE FROM ${s} WHERE "_ord" IN (${earlier.join(', ')})`);
      const hits = (alias: string): string => keys.map((k) => `EXISTS (SELECT 1 FROM ${s} AS n WHERE ${notNull('n', k)} AND ${sameKey(alias, 'n', k)})`).join(' OR ');
      const rewrite = await rewriteMatching(x, table, home, hits);
      return { removed: rewrite.removed, added: rewrite.added, extraAffected: earlier.length + rewrite.count };
    }
    return await upsert(x, stmt, table, home, stage, existing.sql);
  } finally {
    existing.release();
  }
}

/** Removes the existing rows a predicate (over alias "t") selects, file by file. */
async function rewriteMatching(
  x: ExecContext,
  table: TableState,
  home: TableHome,
  predicate: (alias: string) => string,
): Promise<{ removed: DataFile[]; added: DataFile[]; count: number }> {
  if (table.files.length === 0) return { removed: [], added: [], count: 0 };
  const held = await home.files.acquire(
    table.files.map((f) => f.key),
    x.signal,
  );
  try {
    const counts = await x.duck.all(
      `SELECT t.${duckIdent(FILE_COL)} AS f, count(*) AS n FROM ${numberedRelation(table, held.paths)} AS t WHERE ${predicate('t')} GROUP BY 1`,
    );
    const removed: DataFile[] = [];
    const added: DataFile[] = [];
    let count = 0;
    for (const c of counts) {
      const i = Number(c.f);
      const file = table.files[i];
      const path = held.paths[i];
      if (file === undefined || path === undefined) continue;
      count += Number(c.n);
      removed.push(file);
      const kept = `(SELECT * FROM ${projectFile(table.meta, file, path, true)} AS t WHERE NOT (${predicate('t')}) ORDER BY file_row_number)`;
      const rewritten = await writeDataFile(x.duck, kept, table, { home, spoolDir: x.core.spoolDir }, file.partition);
      if (rewritten !== undefined) added.push(rewritten);
    }
    return { removed, added, count };
  } finally {
    held.release();
  }
}

/** ON DUPLICATE KEY UPDATE: staged rows that hit an existing key update that row instead. */
async function upsert(x: ExecContext, stmt: Insert, table: TableState, home: TableHome, stage: string, existing: string): Promise<ConflictOutcome> {
  const keys = uniqueKeys(table.meta);
  const s = duckIdent(stage);
  const conflicts = await stagedConflicts(x, table.meta, stage, existing, 'first');
  if (conflicts.some((c) => c.repeated)) {
    throw sqlError('ER_NOT_SUPPORTED_YET', 'INSERT ... ON DUPLICATE KEY UPDATE with the same key twice in one statement is not supported yet');
  }
  const assignments = stmt.onDuplicate ?? [];
  const columns = table.meta.columns;
  if (table.files.length === 0 || !conflicts.some((c) => c.withExisting)) return NOTHING;

  const held = await home.files.acquire(
    table.files.map((f) => f.key),
    x.signal,
  );
  const opened = await openTables(
    x,
    assignments.flatMap((a) => (a.value.kind === 'expr' ? a.value.expr.tables : [])),
  );
  const map = tempName('odku');
  const stages: string[] = [];
  try {
    // Each existing row that a staged row collides with, and the first such staged row.
    const anyKey = keys.map((k) => `(${notNull('n', k)} AND ${sameKey('t', 'n', k)})`).join(' OR ');
    await x.duck.run(
      `CREATE TEMP TABLE ${duckIdent(map)} AS SELECT t.${duckIdent(FILE_COL)} AS f, t.${duckIdent(ROW_COL)} AS r, min(n."_ord") AS ord FROM ${numberedRelation(table, held.paths)} AS t JOIN ${s} AS n ON ${anyKey} GROUP BY 1, 2`,
    );
    const alias = duckIdent(table.meta.name);
    const ctx = printContext(x, opened.fragments, (column) => `n.${duckIdent(`__new_${column}`)}`, 'dml');
    const updated = updatedRowSql(columns, assignments, ctx, alias, 'n."_ord" IS NOT NULL');
    const newCols = columns.map((c) => `n.${duckIdent(c.name)} AS ${duckIdent(`__new_${c.name}`)}`).join(', ');
    const touched: { file: DataFile; stage: string }[] = [];
    let changed = 0;
    const files = await x.duck.all(`SELECT DISTINCT f FROM ${duckIdent(map)} ORDER BY f`);
    for (const row of files) {
      const i = Number(row.f);
      const file = table.files[i];
      const path = held.paths[i];
      if (file === undefined || path === undefined) continue;
      const upd = tempName('odku_rows');
      stages.push(upd);
      await x.duck.run(
        `CREATE TEMP TABLE ${duckIdent(upd)} AS SELECT ${updated.select}, ${alias}.file_row_number AS "_ord", ${updated.changed} AS "__changed" ` +
          `FROM ${projectFile(table.meta, file, path, true)} AS ${alias} ` +
          `LEFT JOIN (SELECT m.r, n."_ord", ${newCols} FROM ${duckIdent(map)} AS m JOIN ${s} AS n ON n."_ord" = m.ord WHERE m.f = ${i}) AS n ON n.r = ${alias}.file_row_number`,
      );
      const [count] = await x.duck.all(`SELECT count(*) FILTER (WHERE "__changed") AS n FROM ${duckIdent(upd)}`);
      const n = Number(count?.n ?? 0);
      if (n === 0) continue;
      changed += n;
      await checkRows(x, upd, columns);
      touched.push({ file, stage: upd });
    }
    // The staged rows that became updates are not inserted.
    await x.duck.run(`DELETE FROM ${s} WHERE "_ord" IN (SELECT ord FROM ${duckIdent(map)})`);
    if (touched.length === 0) return NOTHING;
    const rewritten = new Set(touched.map((t) => t.file.key));
    const newRows = `(${[...touched.map((t) => `SELECT * EXCLUDE ("_ord", "__changed") FROM ${duckIdent(t.stage)}`), `SELECT * EXCLUDE ("_ord") FROM ${s}`].join(' UNION ALL ')})`;
    await enforceUnique(x, home.files, table.meta, newRows, table.files.filter((f) => !rewritten.has(f.key)));
    const added: DataFile[] = [];
    for (const { stage: upd } of touched) {
      added.push(...(await writeRouted(x.duck, `(SELECT * FROM ${duckIdent(upd)} ORDER BY "_ord")`, table, { home, spoolDir: x.core.spoolDir })));
    }
    // MySQL counts an upsert that changed a row as 2 affected rows (the insert that did not happen counts 0).
    return { removed: touched.map((t) => t.file), added, extraAffected: 2 * changed };
  } finally {
    opened.release();
    held.release();
    for (const t of [map, ...stages]) await x.duck.run(`DROP TABLE IF EXISTS ${duckIdent(t)}`).catch(() => undefined);
  }
}
