// The interface the server needs from whatever executes statements. server/
// defines it and never imports engine/; engine/ implements it; main.ts wires them.
import type { Session } from './session.js';

/** MySQL column types as they go on the wire (the server maps them to type codes). */
export const WIRE_TYPES = [
  'DECIMAL',
  'TINY',
  'SHORT',
  'LONG',
  'FLOAT',
  'DOUBLE',
  'NULL',
  'TIMESTAMP',
  'LONGLONG',
  'INT24',
  'DATE',
  'TIME',
  'DATETIME',
  'YEAR',
  'BIT',
  'JSON',
  'NEWDECIMAL',
  'ENUM',
  'SET',
  'BLOB',
  'VAR_STRING',
  'STRING',
] as const;
export type WireType = (typeof WIRE_TYPES)[number];

export interface ResultColumn {
  readonly name: string;
  readonly orgName: string;
  readonly table: string;
  readonly orgTable: string;
  readonly schema: string;
  readonly type: WireType;
  /** Binary data (charset 63) rather than text in the connection's collation. */
  readonly binary: boolean;
  readonly unsigned: boolean;
  readonly notNull: boolean;
  readonly primaryKey: boolean;
  readonly autoIncrement: boolean;
  /** Maximum display length in characters/bytes as MySQL reports it. */
  readonly length: number;
  readonly decimals: number;
}

/**
 * A cell in MySQL's text form: '42', '3.14', '2024-01-02 03:04:05.123456',
 * UTF-8 text, raw bytes for binary data, or null. The binary protocol re-encodes
 * these by the column's type.
 */
export type WireValue = string | Uint8Array | null;

export interface OkResult {
  readonly kind: 'ok';
  /** Rows changed (MySQL's default meaning). */
  readonly affectedRows: bigint;
  /** Rows matched, for UPDATE: reported instead when the client asked for CLIENT_FOUND_ROWS. */
  readonly matchedRows?: bigint;
  readonly insertId: bigint;
  readonly info: string;
}

export interface RowsResult {
  readonly kind: 'rows';
  readonly columns: readonly ResultColumn[];
  /**
   * Batches of rows, pulled only as fast as the client reads. The iterator's
   * return() is called when the client goes away, releasing what it holds.
   */
  readonly rows: AsyncIterable<readonly (readonly WireValue[])[]>;
}

export type StatementResult = OkResult | RowsResult;

/** One statement's outcome in a (possibly multi-statement) COM_QUERY. */
export type QueryOutcome =
  | { readonly kind: 'result'; readonly result: StatementResult; readonly hasMore: boolean }
  | { readonly kind: 'error'; readonly error: unknown };

/** A parameter of COM_STMT_EXECUTE, decoded by the protocol layer. */
export type ParamValue = null | bigint | number | string | Uint8Array;

export interface PreparedInfo {
  readonly paramCount: number;
  /** Columns of the result when known at prepare time (empty otherwise). */
  readonly columns: readonly ResultColumn[];
}

/** The password plugins an account can use. */
export const USER_AUTH_PLUGINS = ['mysql_native_password', 'caching_sha2_password'] as const;
export type UserAuthPlugin = (typeof USER_AUTH_PLUGINS)[number];

/** A login's stored credential, by the account's plugin. */
export type AuthRecord =
  | {
      readonly user: string;
      readonly plugin: 'mysql_native_password';
      /** SHA1(SHA1(password)); empty for no password. */
      readonly nativeHash: Uint8Array;
    }
  | {
      readonly user: string;
      readonly plugin: 'caching_sha2_password';
      /**
       * MySQL's stored form `$A$005$<salt><hash>` (protocol's `cachingSha2Verifier`);
       * empty for no password.
       */
      readonly sha2Verifier: string;
    };

/** Per-connection statement execution; created after a successful login. */
export interface SessionHandler {
  /** Runs a COM_QUERY text; yields one outcome per statement, stopping after the first error. */
  query(sql: string, signal: AbortSignal): AsyncIterable<QueryOutcome>;
  /** COM_INIT_DB. */
  useDatabase(name: string): Promise<void>;
  prepare(sql: string): Promise<PreparedInfo & { readonly handle: number }>;
  execute(handle: number, params: readonly ParamValue[], signal: AbortSignal): Promise<StatementResult>;
  closePrepared(handle: number): void;
  /** COM_FIELD_LIST. */
  fieldList(table: string, wildcard: string): Promise<readonly ResultColumn[]>;
  /** COM_RESET_CONNECTION: variables, transaction, prepared statements back to a fresh state. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** What the engine may ask of the connection that owns a session. */
export interface SessionControls {
  /** Ends the connection (KILL CONNECTION from another session). */
  closeConnection(): void;
  /**
   * LOAD DATA LOCAL INFILE: asks the client for `filename` and yields its bytes
   * as they arrive. Must be read to the end (the client sends until an empty
   * packet). Rejects with ER_CLIENT_LOCAL_FILES_DISABLED when the client did not
   * enable local files.
   */
  readLocalFile(filename: string): AsyncIterable<Uint8Array>;
}

export interface QueryHandler {
  /** Looks a login up; null when no such user may connect from that host. */
  findUser(user: string, host: string): Promise<AuthRecord | null>;
  databaseExists(name: string): Promise<boolean>;
  openSession(session: Session, controls: SessionControls): Promise<SessionHandler>;
  /** COM_STATISTICS text. */
  statistics(): string;
  /** KILL from another connection or COM_PROCESS_KILL. */
  kill(connectionId: number, target: 'connection' | 'query'): boolean;
}
