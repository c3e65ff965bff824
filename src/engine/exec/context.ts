// What every statement executor receives, and the bridge from a parsed
// statement's PrintContext hooks to this session's state.
import type { EngineEvents } from '../engine-events.js';
import type { Logger } from '../../logging/logger.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { isSqlError, sqlError } from '../../errors/registry.js';
import { parseColumnType, parseStatement, sqlModeFlags } from '../../sql/parse/index.js';
import { nameKey } from '../catalog/catalog.js';
import { liveViews, type ViewDef } from '../catalog/database-state.js';
import { duckIdent } from '../duckdb/duck-database.js';
import type { Session, VariableValue } from '../../server/session.js';
import type { ParamValue } from '../../server/query-handler.js';
import type { AsOf, ColumnBound, ColumnDef, PrintContext, PrintWarning, SessionFunctionName, SqlValue, TableRef, UserLockFunction } from '../../sql/statement.js';
import type { DuckSession } from '../duckdb/duck-database.js';
import type { ResolvedTable, Warehouse } from '../warehouse.js';
import type { TableState } from '../catalog/database-state.js';
import type { Variables } from '../variables.js';
import { SERVER_VERSION } from '../variables.js';
import { openScan, type FileAccess, type Scan } from '../table/table-files.js';
import { tableFunction } from './table-functions.js';
import { notNullIn, traceOutputs, type SourceTable, type Traced } from './result-columns.js';
import { stageRelation } from '../failsafe/staged-files.js';
import { mysqlTypeFor } from './mysql-type-for.js';
import { INFORMATION_SCHEMA, informationSchemaRelation } from './information-schema.js';
import type { ProcessInfo } from './process-info.js';
import type { WorkRegistry } from '../../observability/progress.js';
import { canSeeDatabase, canSeeTable, hasPrivilege } from '../privileges.js';
import { Mutex } from '../util/mutex.js';
import type { TableAccess } from '../transaction.js';
import type { Pins } from '../pins.js';
import type { UserLocks } from '../user-locks.js';
import { assertNotVacuumed, assertRetained, vacuumedBefore, type RetentionPolicy } from '../retention.js';

/** Process-wide parts every session shares. */
export interface EngineCore {
  readonly warehouse: Warehouse;
  readonly store: ObjectStore;
  readonly files: FileAccess;
  readonly variables: Variables;
  readonly logger: Logger;
  readonly spoolDir: string;
  /** The server's clock; tests inject one to simulate the passing of retention periods. */
  now(): Date;
  /** Files that running statements and jobs need; VACUUM leaves them alone. */
  readonly pins: Pins;
  /** Named locks of GET_LOCK and friends, held by connections. */
  readonly userLocks: UserLocks;
  /** How long committed states stay readable, and how long unreferenced files are left alone. */
  readonly retention: RetentionPolicy;
  /** Serialises writers of one table where a statement must see its own previous commit (AUTO_INCREMENT). */
  tableLock(tableId: string): Mutex;
  /** Where work done is reported for metrics (recoveries, removals, merges). */
  readonly events: EngineEvents;
  /** Tells the background compactor that a table received new files. */
  afterWrite(db: string, table: string): void;
  /** KILL [QUERY|CONNECTION] of any session; false when there is no such connection. */
  kill(connectionId: number, target: 'connection' | 'query'): boolean;
  /** Long jobs running now (VACUUM, fuse_amend, compaction, COPY INTO, OPTIMIZE), with their progress. */
  readonly work: WorkRegistry;
  /** Every open session, and every background job, for SHOW PROCESSLIST and information_schema.PROCESSLIST. */
  processes(): readonly ProcessInfo[];
  /** Server status counters (SHOW STATUS), by MySQL's names. */
  status(): readonly (readonly [string, number | bigint])[];
}

export interface ExecContext {
  readonly core: EngineCore;
  /** Where tables are read and changes committed: at once, or in the session's transaction. */
  readonly access: TableAccess;
  readonly session: Session;
  readonly duck: DuckSession;
  readonly signal: AbortSignal;
  readonly params: readonly ParamValue[];
  /** Rows go out in the binary protocol (COM_STMT_EXECUTE), where a DOUBLE is sent whole, whatever its declared decimals. */
  readonly binaryRows?: boolean;
  /** LOAD DATA LOCAL INFILE: the file's bytes from the client; absent where there is no client to ask. */
  readonly localFiles?: (filename: string) => AsyncIterable<Uint8Array>;
}

export function currentDatabase(x: ExecContext, explicit?: string): string {
  const db = explicit ?? x.session.database;
  if (db === null || db === undefined) throw sqlError('ER_NO_DB_ERROR', 'No database selected');
  return db;
}

function toSqlValue(v: VariableValue | ParamValue): SqlValue {
  return v;
}

export function sessionFunction(x: ExecContext, name: SessionFunctionName): SqlValue {
  const s = x.session;
  switch (name) {
    case 'DATABASE':
      return s.database;
    case 'USER':
      return `${s.user}@${s.host}`;
    case 'CURRENT_USER':
      return `${s.user}@%`;
    case 'CONNECTION_ID':
      return BigInt(s.connectionId);
    case 'LAST_INSERT_ID':
      return s.lastInsertId;
    case 'VERSION':
      return SERVER_VERSION;
    case 'FOUND_ROWS':
      return s.foundRows;
    case 'ROW_COUNT':
      return s.rowCount;
    default: {
      const never: never = name;
      return never;
    }
  }
}

/**
 * What becomes of the warnings found while printing: kept for SHOW WARNINGS; dropped
 * (a second printing of a statement, which must not warn twice); or, for statements
 * that change data, errors under a strict sql_mode, as in MySQL (1365 only with
 * ERROR_FOR_DIVISION_BY_ZERO).
 */
export type PrintWarnings = 'record' | 'none' | 'dml';

const WARNING_ERRORS: Readonly<Record<number, 'ER_DIVISION_BY_ZERO' | 'ER_TRUNCATED_WRONG_VALUE'>> = { 1365: 'ER_DIVISION_BY_ZERO', 1292: 'ER_TRUNCATED_WRONG_VALUE' };

function sqlModes(x: ExecContext): readonly string[] {
  return String(x.core.variables.get(x.session, 'sql_mode', 'session') ?? '').toUpperCase().split(',');
}

function isStrict(modes: readonly string[]): boolean {
  return modes.includes('STRICT_TRANS_TABLES') || modes.includes('STRICT_ALL_TABLES') || modes.includes('TRADITIONAL');
}

/** Whether the session's sql_mode makes a bad value stored by a statement an error rather than a warning. */
export function strictMode(x: ExecContext): boolean {
  return isStrict(sqlModes(x));
}

function strictDivision(x: ExecContext): boolean {
  const modes = sqlModes(x);
  return isStrict(modes) && modes.includes('ERROR_FOR_DIVISION_BY_ZERO');
}

function warningSink(x: ExecContext, warnings: PrintWarnings): ((w: PrintWarning) => void) | undefined {
  if (warnings === 'none') return undefined;
  const record = (w: PrintWarning): void => {
    x.session.warnings.push(w);
  };
  if (warnings === 'record') return record;
  const modes = sqlModes(x);
  return (w) => {
    const error = WARNING_ERRORS[w.code];
    if (!isStrict(modes) || error === undefined || (w.code === 1365 && !modes.includes('ERROR_FOR_DIVISION_BY_ZERO'))) return record(w);
    throw sqlError(error, w.message);
  };
}

/**
 * Named-lock calls (GET_LOCK, ...) while printing a query: a first printing records
 * them, the engine performs them in order (a lock may have to be waited for), and the
 * printing that runs answers each call with its result, in the same order.
 */
export type UserLockCalls =
  | { readonly record: { readonly fn: UserLockFunction; readonly args: readonly SqlValue[] }[] }
  | { readonly answers: readonly SqlValue[]; next: number };

/** Performs the named-lock calls of `print`'s query for this session; undefined when it makes none. */
export async function answerUserLocks(x: ExecContext, tables: ReadonlyMap<number, string>, print: (ctx: PrintContext) => unknown): Promise<UserLockCalls | undefined> {
  const calls: { fn: UserLockFunction; args: readonly SqlValue[] }[] = [];
  print(printContext(x, tables, undefined, 'none', { record: calls }));
  if (calls.length === 0) return undefined;
  const answers: SqlValue[] = [];
  for (const c of calls) answers.push(await x.core.userLocks.call(c.fn, c.args, x.session.connectionId, x.signal));
  return { answers, next: 0 };
}

export function printContext(
  x: ExecContext,
  tables: ReadonlyMap<number, string>,
  insertedValue?: (column: string) => string,
  warnings: PrintWarnings = 'record',
  locks?: UserLockCalls,
): PrintContext {
  const warn = warningSink(x, warnings);
  return {
    // A printing that runs nothing (a prepared statement's description, file pruning) takes no lock.
    userLock(fn, args): SqlValue {
      if (locks === undefined) return null;
      if ('record' in locks) {
        locks.record.push({ fn, args });
        return null;
      }
      return locks.answers[locks.next++] ?? null;
    },
    ...(insertedValue === undefined ? {} : { insertedValue }),
    ...(warn === undefined ? {} : { warn }),
    ...(warnings === 'dml' && strictDivision(x) ? { strictDivision: true } : {}),
    table(ref: TableRef): string {
      const sql = tables.get(ref.refId);
      if (sql === undefined) throw new Error(`table reference ${ref.refId} (${ref.name}) was not resolved`);
      return sql;
    },
    systemVariable: (name, scope) => toSqlValue(x.core.variables.get(x.session, name, scope)),
    timeZone(which) {
      const system = String(x.core.variables.get(x.session, 'system_time_zone', 'global'));
      const zone = which === 'system' ? 'SYSTEM' : String(x.core.variables.get(x.session, 'time_zone', 'session'));
      return zone === 'SYSTEM' ? system : zone;
    },
    userVariable: (name) => toSqlValue(x.session.userVariables.get(name.toLowerCase()) ?? null),
    sessionFunction: (name) => sessionFunction(x, name),
    parameter(index: number): SqlValue {
      if (index >= x.params.length) throw sqlError('ER_WRONG_ARGUMENTS', 'Incorrect arguments to mysqld_stmt_execute');
      return toSqlValue(x.params[index] ?? null);
    },
  };
}

export interface OpenedTables {
  readonly fragments: ReadonlyMap<number, string>;
  /** The base tables among them (not views, table functions or stages), by refId. */
  readonly sources: ReadonlyMap<number, SourceTable>;
  release(): void;
}

/** Views may read views; a chain this deep is a view that (indirectly) reads itself. */
const MAX_VIEW_DEPTH = 32;

/** Resolves every table a statement reads to a scan of its current files, and every view to its query. */
export async function openTables(x: ExecContext, refs: readonly TableRef[], bounds: readonly ColumnBound[] = [], viewDepth = 0): Promise<OpenedTables> {
  const fragments = new Map<number, string>();
  const sources = new Map<number, SourceTable>();
  const releases: (() => void)[] = [];
  const release = (): void => {
    for (const r of releases.splice(0)) r();
  };
  try {
    for (const ref of refs) {
      if (ref.args !== undefined) {
        fragments.set(ref.refId, await tableFunction(x.core, ref));
        continue;
      }
      if (ref.stage !== undefined) {
        const staged = await stageRelation(x.core.warehouse, ref.stage, x.signal);
        releases.push(() => staged.release());
        fragments.set(ref.refId, staged.sql);
        continue;
      }
      const db = currentDatabase(x, ref.db);
      if (db.toLowerCase() === INFORMATION_SCHEMA) {
        const source = {
          warehouse: x.core.warehouse,
          // Without ADMIN (MySQL's PROCESS), a user sees only their own connections.
          processes: () => x.core.processes().filter((p) => hasPrivilege(x.session, 'ADMIN') || p.user === x.session.user),
          user: x.session.user,
          seesAllGrants: hasPrivilege(x.session, 'ADMIN'),
          viewColumns: (d: string, v: ViewDef) => viewColumns(x, d, v),
          canSeeDatabase: (d: string) => canSeeDatabase(x.session, d),
          canSeeTable: (d: string, t: string) => canSeeTable(x.session, d, t),
        };
        fragments.set(ref.refId, await informationSchemaRelation(source, ref.name));
        continue;
      }
      let current: ResolvedTable;
      try {
        current = await x.access.table(db, ref.name);
      } catch (err) {
        // Views are looked up only when no table has the name: reading a table costs nothing more.
        if (!isSqlError(err) || err.code !== 'ER_NO_SUCH_TABLE') throw err;
        if (ref.asOf === undefined) {
          const view = await findView(x, db, ref.name);
          if (view === undefined) throw err;
          const opened = await openView(x, db, view, viewDepth);
          releases.push(() => opened.release());
          fragments.set(ref.refId, opened.sql);
          continue;
        }
        const found = await findPastView(x, db, ref.name, ref.asOf);
        if (found === undefined) throw err;
        const opened = await openView(x, db, found.view, viewDepth, found.asOf);
        releases.push(() => opened.release());
        fragments.set(ref.refId, opened.sql);
        continue;
      }
      const past = ref.asOf === undefined ? undefined : await resolveAsOf(x, current, ref.asOf);
      const open = (): Promise<Scan> =>
        openScan(
          past?.table ?? current.table,
          current.home.files,
          x.signal,
          bounds.filter((b) => b.refId === ref.refId),
        );
      const scan = past === undefined ? await open() : await openPast(current, past, open);
      releases.push(() => scan.release());
      fragments.set(ref.refId, scan.sql);
      sources.set(ref.refId, { db: current.db.name, alias: ref.alias ?? ref.name, meta: (past?.table ?? current.table).meta });
    }
  } catch (err) {
    release();
    throw err;
  }
  return { fragments, sources, release };
}

export async function findView(x: ExecContext, db: string, name: string): Promise<ViewDef | undefined> {
  const { log } = await x.core.warehouse.databaseLog(db);
  return liveViews(log.current()).get(nameKey(name));
}

/** How a view read at a past point reads its tables: at that commit of its own database, and at that time in other databases. */
export interface ViewAsOf {
  readonly seq: number;
  readonly at: Date;
}

/**
 * The view `name` as it was at `asOf` (it may have been replaced or dropped since),
 * and the point its tables are read at; undefined when no view had the name then.
 */
async function findPastView(x: ExecContext, db: string, name: string, asOf: AsOf): Promise<{ readonly view: ViewDef; readonly asOf: ViewAsOf } | undefined> {
  const { log } = await x.core.warehouse.databaseLog(db);
  let seq: number;
  if (asOf.kind === 'snapshot') {
    seq = /^\d+$/.test(asOf.id) ? Number(asOf.id) : -1;
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > log.current().seq) {
      // Only a view that exists now gets the snapshot error; otherwise the name is simply unknown.
      if (liveViews(log.current()).has(nameKey(name))) throw sqlError('ER_WRONG_ARGUMENTS', `Snapshot '${asOf.id}' does not exist for view '${db}.${name}'`);
      return undefined;
    }
  } else {
    const at = parseTimestamp(asOf.value);
    if (at === undefined) throw sqlError('ER_TRUNCATED_WRONG_VALUE', `Incorrect datetime value: '${asOf.value}'`);
    seq = await log.seqAt(at);
  }
  if (seq === 0) return undefined;
  const view = liveViews(await log.stateAt(seq)).get(nameKey(name));
  if (view === undefined) {
    if (liveViews(log.current()).has(nameKey(name))) {
      const when = asOf.kind === 'snapshot' ? `at snapshot ${asOf.id}` : `at '${asOf.value}'`;
      throw sqlError('ER_NO_SUCH_TABLE', `View '${db}.${name}' did not exist ${when}`);
    }
    return undefined;
  }
  return { view, asOf: { seq, at: new Date(await log.timestampOf(seq)) } };
}

/** Time travel for a table a past view reads: unless the view's query already says where to read it. */
function pastRef(ref: TableRef, viewDb: string, asOf: ViewAsOf): TableRef {
  if (ref.asOf !== undefined || ref.args !== undefined || ref.stage !== undefined) return ref;
  const sameDb = nameKey(ref.db ?? viewDb) === nameKey(viewDb);
  // Snapshot ids are commit numbers of one database; another database is read by the commit's time.
  const past: AsOf = sameDb ? { kind: 'snapshot', id: String(asOf.seq) } : { kind: 'timestamp', value: asOf.at.toISOString().replace('T', ' ').replace('Z', '') };
  return { ...ref, asOf: past };
}

/**
 * A view's query as a DuckDB subquery; its unqualified table names are in the view's
 * database. With `asOf` (a view read at a past point) its tables are read as they were then.
 */
export async function openView(
  x: ExecContext,
  db: string,
  view: ViewDef,
  depth: number,
  asOf?: ViewAsOf,
): Promise<{ readonly sql: string; readonly traced: readonly Traced[] | undefined; release(): void }> {
  if (depth >= MAX_VIEW_DEPTH) throw sqlError('ER_VIEW_RECURSIVE', `\`${db}\`.\`${view.name}\` contains view recursion`);
  const statement = parseStatement(view.definition, sqlModeFlags(view.sqlMode ?? ''));
  if (statement.kind !== 'select') throw new Error(`view ${db}.${view.name} does not hold a SELECT`);
  const query = statement.query;
  const inDb = query.tables.map((r) => (r.db === undefined && r.args === undefined ? { ...r, db } : r));
  const refs = asOf === undefined ? inDb : inDb.map((r) => pastRef(r, db, asOf));
  const opened = await openTables(x, refs, boundsOf(x, query), depth + 1);
  try {
    const sql = query.print(printContext(x, opened.fragments));
    const names = view.columns?.map(duckIdent).join(', ');
    const traced = query.outputs === undefined ? undefined : traceOutputs(query.outputs, opened.sources);
    return { sql: names === undefined ? `(${sql})` : `(SELECT * FROM (${sql}) AS "__view"(${names}))`, traced, release: () => opened.release() };
  } catch (err) {
    opened.release();
    throw err;
  }
}

/**
 * A view's columns as a table's would be described: a column read straight from a
 * table has that column's type, nullability and default, as in MySQL; any other its
 * query result's type.
 */
export async function viewColumns(x: ExecContext, db: string, view: ViewDef): Promise<ColumnDef[]> {
  const opened = await openView(x, db, view, 0);
  try {
    const described = await x.duck.describe(`SELECT * FROM ${opened.sql} AS "__v"`);
    const traced = opened.traced?.length === described.length ? opened.traced : undefined;
    return described.map((c, i) => {
      const origin = traced?.[i];
      if (origin !== undefined && origin !== null && origin !== 'count') {
        // A view column has no comment of its own.
        const { comment: _comment, ...def } = origin.def;
        return { ...def, name: c.name, notNull: notNullIn(origin), autoIncrement: false, onUpdateCurrentTimestamp: false };
      }
      return { name: c.name, type: parseColumnType(mysqlTypeFor(c.typeText)), notNull: origin === 'count', autoIncrement: false, onUpdateCurrentTimestamp: false };
    });
  } finally {
    opened.release();
  }
}

/** WHERE bounds for skipping files; none when they cannot be computed (pruning is only an optimisation). */
export function boundsOf(x: ExecContext, source: { bounds?(ctx: PrintContext): readonly ColumnBound[] }): readonly ColumnBound[] {
  try {
    return source.bounds?.(printContext(x, new Map())) ?? [];
  } catch {
    return [];
  }
}

/** MySQL DATETIME text (UTC for now: the session time zone arrives with [G]) as a Date. */
function parseTimestamp(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * Opens (and so pins) the files of a past state. VACUUM leaves pinned files alone,
 * but it may have removed these between the retention check and the pin: then the
 * answer is the clear error, never a missing file.
 */
export async function openPast<T extends { release(): void }>(current: ResolvedTable, past: PastTable, open: () => Promise<T>): Promise<T> {
  const check = (): void => assertNotVacuumed(vacuumedBefore(current.log, current.table), past.seq, past.label, past.when);
  let opened: T;
  try {
    opened = await open();
  } catch (err) {
    check();
    throw err;
  }
  try {
    check();
  } catch (err) {
    opened.release();
    throw err;
  }
  return opened;
}

export interface PastTable {
  readonly table: TableState;
  /** The commit whose state it is. */
  readonly seq: number;
  /** `db.table` and the point in time as written, for messages. */
  readonly label: string;
  readonly when: string;
}

/**
 * The table (the same table, by id, not whatever had its name) as it was at a
 * snapshot — a commit sequence number of its database — or at a time; a clear
 * error when it did not exist then, or that state is past its retention period.
 * Whoever reads the state's files opens them through openPast.
 */
export async function resolveAsOf(x: ExecContext, current: ResolvedTable, asOf: AsOf): Promise<PastTable> {
  const { db, log, table } = current;
  const label = `${db.name}.${table.meta.name}`;
  const when = asOf.kind === 'snapshot' ? `at snapshot ${asOf.id}` : `at '${asOf.value}'`;
  let seq: number;
  if (asOf.kind === 'snapshot') {
    seq = /^\d+$/.test(asOf.id) ? Number(asOf.id) : -1;
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > log.current().seq) {
      throw sqlError('ER_WRONG_ARGUMENTS', `Snapshot '${asOf.id}' does not exist for table '${label}'`);
    }
  } else {
    const at = parseTimestamp(asOf.value);
    if (at === undefined) throw sqlError('ER_TRUNCATED_WRONG_VALUE', `Incorrect datetime value: '${asOf.value}'`);
    seq = await log.seqAt(at);
  }
  const state = seq === 0 ? undefined : await log.stateAt(seq);
  const past = state?.tables[table.meta.id];
  if (past === undefined || past.dropped !== undefined) throw sqlError('ER_NO_SUCH_TABLE', `Table '${label}' did not exist ${when}`);
  await assertRetained(log, table, seq, x.core.now(), x.core.retention, label, when);
  return { table: past, seq, label, when };
}
