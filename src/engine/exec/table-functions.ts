// Table functions in FROM. fuse_snapshot('db', 't') (Databend's name) lists a
// table's history, newest first: every commit that changed it, with what it did,
// as far back as its states can still be read (retention, VACUUM).
import { sqlError } from '../../errors/registry.js';
import type { TableRef } from '../../sql/statement.js';
import { actionTableId } from '../catalog/database-state.js';
import { duckIdent, duckLiteral } from '../duckdb/duck-database.js';
import type { Warehouse } from '../warehouse.js';
import { retainedFrom, retentionHours, retentionStart, vacuumedBefore, type RetentionPolicy } from '../retention.js';

/** What table functions need besides the warehouse: the time now and how long states are kept. */
export interface TableFunctionContext {
  readonly warehouse: Warehouse;
  now(): Date;
  readonly retention: RetentionPolicy;
}

const HISTORY_COLUMNS = [
  ['snapshot_id', 'VARCHAR'],
  ['timestamp', 'TIMESTAMP'],
  ['operation', 'VARCHAR'],
  ['user', 'VARCHAR'],
  ['rows_added', 'BIGINT'],
  ['rows_removed', 'BIGINT'],
  ['row_count', 'BIGINT'],
  ['file_count', 'BIGINT'],
  ['bytes', 'BIGINT'],
  ['previous_snapshot_id', 'VARCHAR'],
] as const;

function relation(rows: readonly (readonly (string | number | null)[])[]): string {
  const names = HISTORY_COLUMNS.map(([n]) => duckIdent(n)).join(', ');
  if (rows.length === 0) return `(SELECT ${HISTORY_COLUMNS.map(([n, t]) => `CAST(NULL AS ${t}) AS ${duckIdent(n)}`).join(', ')} LIMIT 0)`;
  const values = rows.map((r) => `(${r.map((v, i) => `CAST(${duckLiteral(v)} AS ${HISTORY_COLUMNS[i]?.[1] ?? 'VARCHAR'})`).join(', ')})`).join(', ');
  return `(SELECT * FROM (VALUES ${values}) AS v(${names}))`;
}

async function fuseSnapshot(context: TableFunctionContext, args: readonly string[]): Promise<string> {
  const [dbName, tableName] = args;
  if (args.length !== 2 || dbName === undefined || tableName === undefined) {
    throw sqlError('ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT', "Incorrect parameter count in the call to native function 'fuse_snapshot'");
  }
  const { log, table } = await context.warehouse.table(dbName, tableName);
  const id = table.meta.id;
  const rows: (string | number | null)[][] = [];
  let previous: string | null = null;
  const { seq: retained } = await retainedFrom(log, id, retentionStart(context.now(), retentionHours(table.meta, context.retention)));
  const oldest = Math.max(retained, vacuumedBefore(log, table), 1);
  for await (const { entry, before, after } of log.history(oldest)) {
    // VACUUM's own commits change no rows: they are not states of their own.
    const touched = entry.actions.some((a) => a.kind !== 'vacuumTable' && actionTableId(a) === id);
    if (!touched) continue;
    const was = before.tables[id];
    const now = after.tables[id];
    const gone = new Set(now?.files.map((f) => f.key));
    const added = (now?.files ?? []).filter((f) => !(was?.files ?? []).some((w) => w.key === f.key));
    const removed = (was?.files ?? []).filter((f) => !gone.has(f.key));
    const snapshot = String(entry.seq);
    rows.push([
      snapshot,
      entry.timestamp.replace('T', ' ').replace('Z', ''),
      entry.operation,
      entry.user,
      added.reduce((n, f) => n + f.rows, 0),
      removed.reduce((n, f) => n + f.rows, 0),
      now?.rowCount ?? 0,
      now?.files.length ?? 0,
      now?.bytes ?? 0,
      previous,
    ]);
    previous = snapshot;
  }
  return relation(rows.reverse());
}

/** The DuckDB relation a table function reference reads. */
export async function tableFunction(context: TableFunctionContext, ref: TableRef): Promise<string> {
  switch (ref.name.toLowerCase()) {
    case 'fuse_snapshot':
      return fuseSnapshot(context, ref.args ?? []);
    default:
      throw sqlError('ER_SP_DOES_NOT_EXIST', `FUNCTION ${ref.name} does not exist`);
  }
}
