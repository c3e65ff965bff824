// The engine: implements the server's QueryHandler. It parses each statement,
// dispatches it to its executor, and keeps per-session resources (a DuckDB
// connection, prepared statements, the running statement's abort handle).
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { isSqlError, sqlError } from '../errors/registry.js';
import type { Logger } from '../logging/logger.js';
import type { ObjectStore } from '../storage/object-store.js';
import { isStorageError } from '../storage/object-store.js';
import { NO_EVENTS, type EngineEvents } from './engine-events.js';
import type {
  AuthRecord,
  ParamValue,
  PreparedInfo,
  QueryHandler,
  QueryOutcome,
  ResultColumn,
  SessionControls,
  SessionHandler,
  StatementResult,
  UserAuthPlugin,
} from '../server/query-handler.js';
import type { Session } from '../server/session.js';
import { cachingSha2Verifier, nativePasswordHash } from '../protocol/index.js';
import { parseStatement, splitStatements, sqlModeFlags, type SqlModeFlags } from '../sql/parse/index.js';
import type { Statement } from '../sql/statement.js';
import { DEFAULT_DATABASE, nameKey } from './catalog/catalog.js';
import { INFORMATION_SCHEMA } from './exec/information-schema.js';
import { DuckDatabase, type DuckSession } from './duckdb/duck-database.js';
import { duckErrorToSql } from './duckdb/errors.js';
import { createDatabase, createTable, dropDatabase, dropTables, undropDatabase, undropTable, useDatabase } from './exec/ddl.js';
import { insert } from './exec/insert.js';
import { createTableAs } from './exec/create-as.js';
import { undelete } from './exec/undelete.js';
import { failSafe } from './exec/failsafe.js';
import { alterTable, optimizeTables, renameTables } from './exec/alter.js';
import { checksumTables } from './exec/checksum.js';
import { deleteRows, truncate, updateRows } from './exec/modify.js';
import { ok, columnFromDuck } from './exec/results.js';
import { describeQuery, runQuery } from './exec/select.js';
import { set } from './exec/set.js';
import { describeTable, show } from './exec/show.js';
import { createView, dropViews } from './exec/views.js';
import { loadData } from './exec/load-data.js';
import { currentDatabase, type EngineCore, type ExecContext } from './exec/context.js';
import type { ProcessInfo } from './exec/process-info.js';
import { openScan, type FileAccess } from './table/table-files.js';
import { Mutex } from './util/mutex.js';
import { ISOLATION_LEVELS, Variables } from './variables.js';
import { UserLocks } from './user-locks.js';
import { autocommitAccess, Transaction } from './transaction.js';
import { Compactor } from './compactor.js';
import type { CompactionPolicy } from './exec/compact.js';
import type { Warehouse } from './warehouse.js';
import type { BackupService } from './backup-service.js';
import { Pins, pinningFiles } from './pins.js';
import { WorkRegistry } from '../observability/progress.js';
import { processList } from './exec/process-info.js';
import type { RetentionPolicy } from './retention.js';
import { bindAuthorization, hasPrivilege, isRoot, requireDatabasePrivilege, requirePrivilege, requireTablePrivilege } from './privileges.js';
import { checkStatement, statementNeeds } from './statement-privileges.js';
import { effectiveGrants, loginAccount, type AccountEntry } from './catalog/accounts.js';
import { userAdmin } from './exec/users.js';
import { vacuum } from './exec/vacuum.js';
import { BackgroundVacuum } from './vacuum/scheduler.js';

export interface EngineOptions {
  readonly warehouse: Warehouse;
  readonly store: ObjectStore;
  readonly files: FileAccess;
  readonly duck: DuckDatabase;
  readonly logger: Logger;
  readonly spoolDir: string;
  readonly rootPassword: string;
  /** The plugin root logs in with. */
  readonly rootAuthPlugin: UserAuthPlugin;
  readonly port: number;
  readonly maxAllowedPacket: number;
  readonly maxConnections: number;
  /** Background compaction: merge a partition's files under smallFileBytes once there are minFiles of them (0: off). */
  readonly compaction: CompactionPolicy;
  /** Repositories and BACKUP/RESTORE jobs ([D]); absent: those statements are not supported. */
  readonly backup?: BackupService;
  /** Defaults to the system clock. */
  readonly clock?: () => Date;
  /** How long committed states stay readable, and how long VACUUM leaves unreferenced files alone. */
  readonly retention: RetentionPolicy;
  /** Milliseconds between background VACUUM runs over every database (0: off). */
  readonly vacuumIntervalMs: number;
  /** Told of recoveries, VACUUM removals and compactions (for metrics); absent: nobody listens. */
  readonly events?: EngineEvents;
}


/** Converts anything thrown by a statement into the error the client should see. */
export function toClientError(err: unknown): unknown {
  if (isSqlError(err)) return err;
  if (isStorageError(err)) {
    if (err.kind === 'NotFound') return sqlError('ER_FILE_NOT_FOUND', `Storage object not found (NotFound): ${err.message}`, err);
    if (err.kind === 'AccessDenied') return sqlError('ER_STORAGE_ERROR', `Storage access denied: ${err.message}`, err);
    return sqlError('ER_STORAGE_ERROR', `Storage error (${err.kind}): ${err.message}`, err);
  }
  if (err instanceof Error && /^[A-Za-z ]+ Error: /.test(err.message)) return duckErrorToSql(err);
  return err;
}

export class Engine implements QueryHandler {
  private readonly core: EngineCore;
  private readonly sessions = new Map<number, EngineSession>();
  private readonly locks = new Map<string, Mutex>();
  private readonly rootAccount: AuthRecord;
  private readonly startedAt = Date.now();
  private queries = 0;
  private connections = 0;
  private maxUsedConnections = 0;
  private compactor: Compactor | null = null;
  private vacuum: BackgroundVacuum | null = null;

  private constructor(private readonly options: EngineOptions) {
    const locks = this.locks;
    const pins = new Pins();
    const work = new WorkRegistry();
    this.core = {
      kill: (id, target) => this.kill(id, target),
      work,
      processes: () => processList([...this.sessions.values()].map((s) => s.process()), work.list()),
      status: () => this.status(),
      afterWrite: (db, table) => this.compactor?.notice(db, table),
      warehouse: options.warehouse,
      store: options.store,
      files: pinningFiles(options.files, pins),
      logger: options.logger,
      events: options.events ?? NO_EVENTS,
      spoolDir: options.spoolDir,
      now: options.clock ?? (() => new Date()),
      pins,
      userLocks: new UserLocks(),
      retention: options.retention,
      variables: new Variables({
        hostname: os.hostname(),
        port: options.port,
        maxAllowedPacket: options.maxAllowedPacket,
        maxConnections: options.maxConnections,
      }),
      tableLock(tableId: string): Mutex {
        let m = locks.get(tableId);
        if (m === undefined) {
          m = new Mutex();
          locks.set(tableId, m);
        }
        return m;
      },
    };
    this.rootAccount =
      options.rootAuthPlugin === 'caching_sha2_password'
        ? { user: 'root', plugin: options.rootAuthPlugin, sha2Verifier: cachingSha2Verifier(options.rootPassword) }
        : { user: 'root', plugin: options.rootAuthPlugin, nativeHash: nativePasswordHash(options.rootPassword) };
  }

  static async create(options: EngineOptions): Promise<Engine> {
    await mkdir(options.spoolDir, { recursive: true });
    const engine = new Engine(options);
    engine.compactor = new Compactor(engine.core, options.duck, options.compaction, options.logger);
    engine.vacuum = new BackgroundVacuum(engine.core, options.vacuumIntervalMs, options.logger);
    engine.vacuum.start();
    await options.backup?.start(engine.core);
    return engine;
  }

  /** The port is known only once the listener is bound (port 0). */
  setPort(port: number): void {
    this.core.variables.setServerFact('port', port);
  }

  /** Whether the MySQL port offers TLS and insists on it (@@have_ssl, @@require_secure_transport). */
  setTransportFacts(facts: { readonly haveSsl: boolean; readonly requireSecureTransport: boolean }): void {
    this.core.variables.setServerFact('have_ssl', facts.haveSsl ? 'YES' : 'DISABLED');
    this.core.variables.setServerFact('require_secure_transport', facts.requireSecureTransport ? 1 : 0);
  }

  async findUser(user: string, host: string): Promise<AuthRecord | null> {
    if (user === 'root') return this.rootAccount;
    const catalog = this.core.warehouse.catalog;
    try {
      await catalog.refresh();
    } catch (err) {
      throw toClientError(err);
    }
    const account = loginAccount(catalog.accounts(), user, host);
    return account === undefined ? null : authRecord(account);
  }

  async databaseExists(name: string): Promise<boolean> {
    if (nameKey(name) === INFORMATION_SCHEMA) return true;
    try {
      return await this.core.warehouse.databaseExists(name);
    } catch (err) {
      throw toClientError(err);
    }
  }

  async openSession(session: Session, controls: SessionControls): Promise<SessionHandler> {
    // As in Databend, a session that names no database works in `default` (when it was not dropped).
    // The catalog as last read is enough here: a login should not wait on storage.
    if (session.database === null) session.database = this.core.warehouse.catalog.liveDatabase(DEFAULT_DATABASE)?.name ?? null;
    const duck = await this.options.duck.connect();
    const s = new EngineSession(this.core, session, duck, controls, () => {
      this.sessions.delete(session.connectionId);
    }, () => this.queries++, this.options.backup, this.options.rootAuthPlugin);
    this.sessions.set(session.connectionId, s);
    this.connections++;
    this.maxUsedConnections = Math.max(this.maxUsedConnections, this.sessions.size);
    return s;
  }

  statistics(): string {
    const uptime = Math.floor((Date.now() - this.startedAt) / 1000);
    return `Uptime: ${uptime}  Threads: ${this.sessions.size}  Questions: ${this.queries}  Slow queries: 0  Opens: 0  Open tables: 0  Queries per second avg: ${(this.queries / Math.max(uptime, 1)).toFixed(3)}`;
  }

  private status(): [string, number][] {
    const uptime = Math.floor((Date.now() - this.startedAt) / 1000);
    return [
      ['Uptime', uptime],
      ['Uptime_since_flush_status', uptime],
      ['Threads_connected', this.sessions.size],
      ['Threads_running', [...this.sessions.values()].filter((s) => s.process().command === 'Query').length],
      ['Questions', this.queries],
      ['Queries', this.queries],
      ['Connections', this.connections],
      ['Max_used_connections', this.maxUsedConnections],
      ['Prepared_stmt_count', [...this.sessions.values()].reduce((n, s) => n + s.preparedCount, 0)],
      ['Slow_queries', 0],
      ['Open_tables', 0],
      ['Opened_tables', 0],
    ];
  }

  kill(connectionId: number, target: 'connection' | 'query'): boolean {
    const s = this.sessions.get(connectionId);
    if (s === undefined) return false;
    s.kill(target);
    return true;
  }

  async close(): Promise<void> {
    for (const s of [...this.sessions.values()]) await s.close();
    await this.vacuum?.close();
    await this.compactor?.close();
    await this.options.backup?.close();
    await this.core.warehouse.externalStores.close();
  }
}

/** A catalog account's stored hash as the authentication code needs it. */
function authRecord(account: AccountEntry): AuthRecord {
  const auth = account.auth ?? { plugin: 'mysql_native_password', nativeHash: '' };
  return auth.plugin === 'caching_sha2_password'
    ? { user: account.user, plugin: auth.plugin, sha2Verifier: auth.sha2Verifier }
    : { user: account.user, plugin: auth.plugin, nativeHash: Buffer.from(auth.nativeHash, 'hex') };
}

/** Statements that commit an open transaction before they run (MySQL's implicit commit). */
const IMPLICIT_COMMIT: ReadonlySet<Statement['kind']> = new Set([
  'createDatabase',
  'dropDatabase',
  'createTable',
  'dropTable',
  'createView',
  'dropView',
  'truncate',
  'alterTable',
  'renameTable',
  'optimize',
  'undropTable',
  'undropDatabase',
  'vacuum',
  // Stages, COPY INTO and fuse_amend ([E]): COPY INTO loads in a transaction of its own.
  'failSafe',
]);

/** Statements that open a transaction when autocommit is off. */
const TRANSACTIONAL: ReadonlySet<Statement['kind']> = new Set(['select', 'insert', 'update', 'delete', 'undelete', 'loadData']);

interface Prepared {
  readonly statement: Statement;
}

/** Errors MySQL raises at COM_STMT_PREPARE, not first at execution: names and privileges. */
const PREPARE_ERRORS: ReadonlySet<string> = new Set([
  'ER_NO_SUCH_TABLE',
  'ER_BAD_DB_ERROR',
  'ER_BAD_FIELD_ERROR',
  'ER_NON_UNIQ_ERROR',
  'ER_TABLEACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
]);

/** `rows`, calling `finish` once when they are all read, fail, or the reader stops early. */
function whenFinished<T>(rows: AsyncIterable<T>, finish: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: (): AsyncIterator<T> => {
      const it = rows[Symbol.asyncIterator]();
      let finished = false;
      const end = (): void => {
        if (finished) return;
        finished = true;
        finish();
      };
      return {
        async next(): Promise<IteratorResult<T>> {
          try {
            const r = await it.next();
            if (r.done === true) end();
            return r;
          } catch (err) {
            end();
            throw err;
          }
        },
        async return(): Promise<IteratorResult<T>> {
          try {
            await it.return?.();
          } finally {
            end();
          }
          return { done: true, value: undefined };
        },
      };
    },
  };
}

class EngineSession implements SessionHandler {
  private readonly prepared = new Map<number, Prepared>();
  private nextHandle = 1;
  private running: AbortController | null = null;
  /** The open transaction, if any; `explicit` when it began with BEGIN / START TRANSACTION. */
  private tx: Transaction | null = null;
  /** The open transaction was started with START TRANSACTION READ ONLY. */
  private readOnlyTx = false;
  private explicit = false;
  private closed = false;

  constructor(
    private readonly core: EngineCore,
    private readonly session: Session,
    private readonly duck: DuckSession,
    private readonly controls: SessionControls,
    private readonly onClose: () => void,
    private readonly countQuery: () => void,
    private readonly backup: BackupService | undefined,
    /** The plugin of accounts created without IDENTIFIED WITH. */
    private readonly defaultAuthPlugin: UserAuthPlugin,
  ) {}

  /** Binds the grants the session's account holds now; GRANT and REVOKE apply from the next statement on. */
  private async authorize(): Promise<void> {
    if (isRoot(this.session)) return;
    const catalog = this.core.warehouse.catalog;
    await catalog.refresh();
    const accounts = catalog.accounts();
    const account = loginAccount(accounts, this.session.user, this.session.host);
    const name = account === undefined ? undefined : { user: account.user, host: account.host };
    bindAuthorization(this.session, { kind: 'account', account: name, grants: name === undefined ? [] : effectiveGrants(accounts, name) });
  }

  /** The statement text running now and since when; null between statements. */
  private current: { readonly sql: string; readonly since: number } | null = null;
  private idleSince = Date.now();

  process(): ProcessInfo {
    const s = this.session;
    const busy = this.current;
    return {
      id: s.connectionId,
      user: s.user,
      host: s.host,
      db: s.database,
      command: busy === null ? 'Sleep' : 'Query',
      time: Math.floor((Date.now() - (busy?.since ?? this.idleSince)) / 1000),
      state: busy === null ? '' : 'executing',
      info: busy?.sql ?? null,
    };
  }

  kill(target: 'connection' | 'query'): void {
    this.running?.abort();
    if (target === 'connection') this.controls.closeConnection();
  }

  private context(signal: AbortSignal, params: readonly ParamValue[], binaryRows = false): ExecContext {
    return {
      binaryRows,
      core: this.core,
      access: this.tx ?? autocommitAccess(this.core.warehouse),
      session: this.session,
      duck: this.duck,
      signal,
      params,
      localFiles: (name) => this.controls.readLocalFile(name),
    };
  }

  async *query(sql: string, signal: AbortSignal): AsyncIterable<QueryOutcome> {
    let pieces: string[];
    try {
      pieces = splitStatements(sql, this.sqlMode());
      if (pieces.length === 0) throw sqlError('ER_EMPTY_QUERY', 'Query was empty');
    } catch (err) {
      yield { kind: 'error', error: toClientError(err) };
      return;
    }
    for (let i = 0; i < pieces.length; i++) {
      const text = pieces[i] ?? '';
      let result: StatementResult;
      this.current = { sql: text, since: Date.now() };
      try {
        let statement: Statement;
        try {
          statement = parseStatement(text, this.sqlMode());
        } catch (err) {
          // SHOW ERRORS lists a statement that did not parse as well.
          this.session.warnings = [];
          this.recordError(toClientError(err));
          throw err;
        }
        result = await this.run(statement, signal, []);
      } catch (err) {
        this.current = null;
        this.idleSince = Date.now();
        yield { kind: 'error', error: toClientError(err) };
        return;
      }
      // Rows are still to be sent: the statement stays current until they are (run()).
      if (result.kind !== 'rows') {
        this.current = null;
        this.idleSince = Date.now();
      }
      yield { kind: 'result', result, hasMore: i < pieces.length - 1 };
    }
  }

  private async run(statement: Statement, outer: AbortSignal, params: readonly ParamValue[], binaryRows = false): Promise<StatementResult> {
    this.countQuery();
    const controller = new AbortController();
    const onOuter = (): void => controller.abort();
    outer.addEventListener('abort', onOuter, { once: true });
    this.running = controller;
    const statementText = this.current;
    // A SELECT does most of its work while its rows are sent, after run() returns: until
    // they are, it stays the running statement, which KILL QUERY interrupts and SHOW
    // PROCESSLIST shows.
    let handedOff = false;
    const release = (): void => {
      outer.removeEventListener('abort', onOuter);
      if (this.running === controller) this.running = null;
      if (handedOff && this.current === statementText) {
        this.current = null;
        this.idleSince = Date.now();
      }
    };
    const isDiagnostics = statement.kind === 'show' && (statement.show.kind === 'warnings' || statement.show.kind === 'errors');
    // As in MySQL, a SELECT of no table that raises nothing itself keeps the previous
    // statement's diagnostics: SELECT @@warning_count answers for the statement before.
    const keepsDiagnostics = statement.kind === 'select' && statement.query.tables.length === 0;
    // It runs with them in place (@@warning_count is read while printing) and drops them
    // only when it raises its own.
    if (!isDiagnostics && !keepsDiagnostics) this.session.warnings = [];
    const mark = this.session.warnings.length;
    const ownDiagnostics = (): void => {
      if (keepsDiagnostics) this.session.warnings = this.session.warnings.slice(mark);
    };
    try {
      await this.authorize();
      checkStatement(this.session, statement);
      this.checkReadOnly(statement);
      await this.beforeStatement(statement);
      const result = await this.dispatch(this.context(controller.signal, params, binaryRows), statement);
      const raised = this.session.warnings.length - mark;
      if (raised > 0) ownDiagnostics();
      this.session.statementWarnings = isDiagnostics ? 0 : raised;
      if (result.kind === 'ok') this.session.rowCount = result.affectedRows;
      else this.session.rowCount = -1n;
      // SET autocommit = 1 commits the open transaction, as in MySQL.
      if (statement.kind === 'set' && this.session.autocommit && this.tx !== null && !this.explicit) await this.endTransaction(true);
      if (result.kind !== 'rows') return result;
      handedOff = true;
      return { ...result, rows: whenFinished(result.rows, release) };
    } catch (err) {
      const clientError = toClientError(err);
      this.session.statementWarnings = 0;
      ownDiagnostics();
      this.recordError(clientError);
      throw clientError;
    } finally {
      if (!handedOff) release();
    }
  }

  /**
   * A statement that changes tables or databases is refused in a READ ONLY transaction
   * (1792), and by a server whose global read_only is on unless the user holds ADMIN
   * (MySQL's SUPER), as in MySQL. DDL ends a READ ONLY transaction it was started in, so
   * only the session's own transaction_read_only refuses it.
   */
  private checkReadOnly(statement: Statement): void {
    const writes = (): boolean => statementNeeds(statement, this.session).some((n) => n.kind !== 'global' && n.privilege !== 'SELECT' && n.privilege !== 'ANY');
    const { variables } = this.core;
    const sessionReadOnly = Number(variables.get(this.session, 'transaction_read_only', 'session')) === 1;
    const inReadOnlyTx = this.readOnlyTx && this.tx !== null && !IMPLICIT_COMMIT.has(statement.kind);
    if ((sessionReadOnly || inReadOnlyTx) && writes()) {
      throw sqlError('ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION', 'Cannot execute statement in a READ ONLY transaction.');
    }
    if (Number(variables.get(this.session, 'read_only', 'global')) === 1 && !hasPrivilege(this.session, 'ADMIN') && writes()) {
      throw sqlError('ER_OPTION_PREVENTS_STATEMENT', 'The MySQL server is running with the --read-only option so it cannot execute this statement');
    }
  }

  /** How this session's sql_mode reads statement text (ANSI_QUOTES, PIPES_AS_CONCAT, NO_BACKSLASH_ESCAPES). */
  private sqlMode(): SqlModeFlags {
    return sqlModeFlags(String(this.core.variables.get(this.session, 'sql_mode', 'session') ?? ''));
  }

  /** A failed statement's diagnostics: its error, after the warnings it raised. */
  private recordError(err: unknown): void {
    if (!isSqlError(err)) return;
    this.session.warnings = [...this.session.warnings.filter((w) => w.level !== 'Error'), { level: 'Error', code: err.errno, message: err.message }];
  }

  /** DDL commits the open transaction first; with autocommit off, other statements open one. */
  private async beforeStatement(statement: Statement): Promise<void> {
    if (IMPLICIT_COMMIT.has(statement.kind) && this.tx !== null) await this.endTransaction(true);
    if (!this.session.autocommit && this.tx === null && TRANSACTIONAL.has(statement.kind)) this.startTransaction(false);
    this.tx?.beginStatement();
  }

  private startTransaction(explicit: boolean): void {
    const level = String(this.core.variables.get(this.session, 'transaction_isolation', 'session'));
    const isolation = ISOLATION_LEVELS.find((l) => l === level) ?? 'REPEATABLE-READ';
    this.tx = new Transaction(this.core.warehouse, this.session.user, this.core.pins, isolation);
    this.explicit = explicit;
    this.session.inTransaction = true;
  }

  private async endTransaction(commit: boolean): Promise<void> {
    const tx = this.tx;
    this.tx = null;
    this.explicit = false;
    this.readOnlyTx = false;
    this.session.inTransaction = false;
    if (tx === null) return;
    if (commit) await tx.commitAll();
    else tx.discard();
  }

  private async dispatch(x: ExecContext, s: Statement): Promise<StatementResult> {
    switch (s.kind) {
      case 'select':
        return runQuery(x, s.query, true);
      case 'createDatabase':
        return createDatabase(x, s.name, s.ifNotExists);
      case 'dropDatabase':
        return dropDatabase(x, s.name, s.ifExists);
      case 'use':
        return useDatabase(x, s.db);
      case 'createTable':
        return s.asSelect !== undefined || s.like !== undefined ? createTableAs(x, s) : createTable(x, s);
      case 'loadData':
        return loadData(x, s);
      case 'createView':
        return createView(x, s);
      case 'dropView':
        return dropViews(x, s.views, s.ifExists);
      case 'dropTable':
        return dropTables(x, s.tables, s.ifExists);
      case 'insert':
        return insert(x, s);
      case 'show':
        return show(x, s.show);
      case 'describe':
        return describeTable(x, s.table, false);
      case 'set':
        return set(x, s.assignments);
      case 'begin':
        // BEGIN inside a transaction commits it first, as in MySQL.
        if (this.tx !== null) await this.endTransaction(true);
        this.startTransaction(true);
        this.readOnlyTx = s.readOnly;
        return ok();
      case 'commit':
        await this.endTransaction(true);
        return ok();
      case 'rollback':
        await this.endTransaction(false);
        return ok();
      case 'kill':
        if (!x.core.kill(s.id, s.target)) throw sqlError('ER_NO_SUCH_THREAD', `Unknown thread id: ${s.id}`);
        return ok();
      case 'noop':
        return ok();
      case 'update':
        return updateRows(x, s);
      case 'delete':
        return deleteRows(x, s);
      case 'truncate':
        return truncate(x, s.table);
      case 'alterTable':
        return alterTable(x, s);
      case 'renameTable':
        return renameTables(x, s);
      case 'optimize':
        return optimizeTables(x, s.tables);
      case 'checksum':
        return checksumTables(x, s.tables);
      case 'undropTable':
        return undropTable(x, s.table, s.as);
      case 'undropDatabase':
        return undropDatabase(x, s.name);
      case 'undelete':
        return undelete(x, s);
      case 'vacuum':
        requirePrivilege(x.session, 'ADMIN', 'VACUUM');
        return vacuum(x, s.target, s.dryRun);
      case 'failSafe':
        return failSafe(x, s.command);
      case 'userAdmin':
        return userAdmin(x, s.admin, this.defaultAuthPlugin);
      case 'backupAdmin': {
        requirePrivilege(x.session, 'ADMIN', s.admin.kind);
        const service = this.backup;
        if (service === undefined) throw sqlError('ER_NOT_SUPPORTED_YET', 'This server has no backup service');
        return service.execute(x, s.admin);
      }
      default: {
        const never: never = s;
        throw new Error(`unhandled statement ${JSON.stringify(never)}`);
      }
    }
  }

  async useDatabase(name: string): Promise<void> {
    await this.authorize();
    requireDatabasePrivilege(this.session, 'ANY', name);
    await useDatabase(this.context(new AbortController().signal, []), name);
  }

  async prepare(sql: string): Promise<PreparedInfo & { readonly handle: number }> {
    await Promise.resolve();
    const pieces = splitStatements(sql, this.sqlMode());
    if (pieces.length === 0) throw sqlError('ER_EMPTY_QUERY', 'Query was empty');
    if (pieces.length > 1) throw sqlError('ER_PARSE_ERROR', 'A prepared statement must contain exactly one statement');
    let statement: Statement;
    try {
      statement = parseStatement(pieces[0] ?? '', this.sqlMode());
    } catch (err) {
      throw toClientError(err);
    }
    // The file exchange of LOAD DATA LOCAL exists only inside COM_QUERY.
    if (statement.kind === 'loadData') throw sqlError('ER_UNSUPPORTED_PS', 'This command is not supported in the prepared statement protocol yet');
    const columns = await this.describePrepared(statement);
    const handle = this.nextHandle++;
    this.prepared.set(handle, { statement });
    return { handle, paramCount: statement.paramCount, columns };
  }

  /**
   * A prepared SELECT's result columns, for drivers that read them before executing
   * (Connector/J's PreparedStatement.getMetaData). As in MySQL, names that do not
   * resolve and missing privileges fail the prepare; any other failure leaves the
   * columns unknown (empty): with NULL for every `?` an expression may fail that runs
   * fine with the real values, and the execution reports its own columns and errors.
   */
  private async describePrepared(statement: Statement): Promise<readonly ResultColumn[]> {
    if (statement.kind !== 'select') return [];
    try {
      await this.authorize();
      checkStatement(this.session, statement);
      const nulls = Array.from({ length: statement.paramCount }, () => null);
      return await describeQuery(this.context(new AbortController().signal, nulls), statement.query);
    } catch (err) {
      const clientError = toClientError(err);
      if (isSqlError(clientError) && PREPARE_ERRORS.has(clientError.code)) throw clientError;
      return [];
    }
  }

  async execute(handle: number, params: readonly ParamValue[], signal: AbortSignal): Promise<StatementResult> {
    const p = this.prepared.get(handle);
    if (p === undefined) throw sqlError('ER_UNKNOWN_STMT_HANDLER', `Unknown prepared statement handler (${handle}) given to mysqld_stmt_execute`);
    if (params.length !== p.statement.paramCount) throw sqlError('ER_WRONG_ARGUMENTS', 'Incorrect arguments to mysqld_stmt_execute');
    return this.run(p.statement, signal, params, true);
  }

  /** Statements prepared and not yet closed (MySQL's Prepared_stmt_count adds them up). */
  get preparedCount(): number {
    return this.prepared.size;
  }

  closePrepared(handle: number): void {
    this.prepared.delete(handle);
  }

  async fieldList(table: string, wildcard: string): Promise<readonly ResultColumn[]> {
    const x = this.context(new AbortController().signal, []);
    const dbName = currentDatabase(x);
    await this.authorize();
    requireTablePrivilege(this.session, 'ANY', dbName, table, 'SHOW');
    const { table: t, db } = await this.core.warehouse.table(dbName, table);
    const scan = await openScan({ ...t, files: [] }, this.core.files);
    const described = await this.duck.describe(`SELECT * FROM ${scan.sql}`);
    const pattern = wildcard === '' ? undefined : new RegExp(`^${wildcard.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i');
    return described
      .filter((c) => pattern === undefined || pattern.test(c.name))
      .map((c) => {
        const def = t.meta.columns.find((col) => nameKey(col.name) === nameKey(c.name));
        return { ...columnFromDuck(c, t.meta.name), schema: db.name, notNull: def?.notNull ?? false, autoIncrement: def?.autoIncrement ?? false };
      });
  }

  async reset(): Promise<void> {
    await this.endTransaction(false);
    // COM_RESET_CONNECTION releases named locks, as the end of a connection does.
    this.core.userLocks.releaseAll(this.session.connectionId);
    this.session.resetState();
    this.prepared.clear();
    await Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.running?.abort();
    // A connection that goes away rolls its transaction back and gives up its named locks.
    this.tx?.discard();
    this.tx = null;
    this.core.userLocks.releaseAll(this.session.connectionId);
    this.prepared.clear();
    this.onClose();
    await Promise.resolve();
    this.duck.close();
  }
}
