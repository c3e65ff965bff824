// One client connection: handshake, authentication, then one command at a time.
// Results are written in batches of packets; when the socket's buffer is full we
// wait for 'drain' before pulling more rows, so a slow reader never makes the
// server hold its result in memory.
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import {
  AuthPlugins,
  CapabilityFlags,
  Collations,
  ColumnFlags,
  ColumnTypes,
  PLACEHOLDER_PARAMETER,
  PacketBatch,
  PacketDecoder,
  PayloadWriter,
  ProtocolError,
  ServerStatus,
  SetOptions,
  addResultSetEnd,
  addResultSetMetadata,
  addStmtPrepareResponse,
  charsetOfCollation,
  decodeCommand,
  decodeText,
  defaultCollationId,
  encodeText,
  isUtf8,
  isWireCharset,
  decodeHandshakeResponse,
  decodeStmtExecute,
  generateScramble,
  hasCapability,
  writeBinaryRow,
  writeEof,
  writeErr,
  writeFieldListColumnDefinition,
  writeInitialHandshake,
  writeOk,
  writeTextRow,
  writeLocalInfileRequest,
  type ColumnDefinition,
  type DecodedPayload,
  type ParamType,
  type WireCharset,
} from '../protocol/index.js';
import type { Logger } from '../logging/logger.js';
import { isSqlError, sqlError } from '../errors/registry.js';
import { ERRORS, type ErrorName } from '../errors/registry.js';
import { authenticate, type RsaKeys } from './authentication.js';
import type { FastAuthCache } from './fast-auth-cache.js';
import type { LoginThrottle } from './login-throttle.js';
import type { QueryHandler, ResultColumn, SessionHandler, StatementResult, WireType, WireValue } from './query-handler.js';
import { Session } from './session.js';

export const SERVER_CAPABILITIES =
  CapabilityFlags.CLIENT_LONG_PASSWORD |
  CapabilityFlags.CLIENT_FOUND_ROWS |
  CapabilityFlags.CLIENT_LONG_FLAG |
  CapabilityFlags.CLIENT_CONNECT_WITH_DB |
  CapabilityFlags.CLIENT_IGNORE_SPACE |
  CapabilityFlags.CLIENT_PROTOCOL_41 |
  CapabilityFlags.CLIENT_INTERACTIVE |
  CapabilityFlags.CLIENT_TRANSACTIONS |
  CapabilityFlags.CLIENT_SECURE_CONNECTION |
  CapabilityFlags.CLIENT_MULTI_STATEMENTS |
  CapabilityFlags.CLIENT_MULTI_RESULTS |
  CapabilityFlags.CLIENT_PS_MULTI_RESULTS |
  CapabilityFlags.CLIENT_PLUGIN_AUTH |
  CapabilityFlags.CLIENT_CONNECT_ATTRS |
  CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA |
  CapabilityFlags.CLIENT_DEPRECATE_EOF |
  CapabilityFlags.CLIENT_LOCAL_FILES;

/** Flush a result batch to the socket once it holds this many bytes. */
const FLUSH_BYTES = 64 * 1024;

const WIRE_TYPE_CODES: Record<WireType, number> = {
  DECIMAL: ColumnTypes.MYSQL_TYPE_DECIMAL,
  TINY: ColumnTypes.MYSQL_TYPE_TINY,
  SHORT: ColumnTypes.MYSQL_TYPE_SHORT,
  LONG: ColumnTypes.MYSQL_TYPE_LONG,
  FLOAT: ColumnTypes.MYSQL_TYPE_FLOAT,
  DOUBLE: ColumnTypes.MYSQL_TYPE_DOUBLE,
  NULL: ColumnTypes.MYSQL_TYPE_NULL,
  TIMESTAMP: ColumnTypes.MYSQL_TYPE_TIMESTAMP,
  LONGLONG: ColumnTypes.MYSQL_TYPE_LONGLONG,
  INT24: ColumnTypes.MYSQL_TYPE_INT24,
  DATE: ColumnTypes.MYSQL_TYPE_DATE,
  TIME: ColumnTypes.MYSQL_TYPE_TIME,
  DATETIME: ColumnTypes.MYSQL_TYPE_DATETIME,
  YEAR: ColumnTypes.MYSQL_TYPE_YEAR,
  BIT: ColumnTypes.MYSQL_TYPE_BIT,
  JSON: ColumnTypes.MYSQL_TYPE_JSON,
  NEWDECIMAL: ColumnTypes.MYSQL_TYPE_NEWDECIMAL,
  ENUM: ColumnTypes.MYSQL_TYPE_ENUM,
  SET: ColumnTypes.MYSQL_TYPE_SET,
  BLOB: ColumnTypes.MYSQL_TYPE_BLOB,
  VAR_STRING: ColumnTypes.MYSQL_TYPE_VAR_STRING,
  STRING: ColumnTypes.MYSQL_TYPE_STRING,
};

const NUMERIC: ReadonlySet<WireType> = new Set(['DECIMAL', 'TINY', 'SHORT', 'LONG', 'FLOAT', 'DOUBLE', 'LONGLONG', 'INT24', 'YEAR', 'NEWDECIMAL']);

/** A row whose text cells (at `indexes`) are sent in a client character set other than UTF-8. */
function transcodeRow(row: readonly WireValue[], indexes: readonly number[], charset: WireCharset): WireValue[] {
  const out = [...row];
  for (const i of indexes) {
    const cell = out[i];
    if (typeof cell === 'string') out[i] = encodeText(cell, charset);
  }
  return out;
}

export function columnDefinition(c: ResultColumn, textCollation: number): ColumnDefinition {
  let flags = 0;
  if (c.notNull) flags |= ColumnFlags.NOT_NULL_FLAG;
  if (c.primaryKey) flags |= ColumnFlags.PRI_KEY_FLAG;
  if (c.unsigned) flags |= ColumnFlags.UNSIGNED_FLAG;
  if (c.autoIncrement) flags |= ColumnFlags.AUTO_INCREMENT_FLAG;
  if (c.binary && !NUMERIC.has(c.type)) flags |= ColumnFlags.BINARY_FLAG;
  if (c.type === 'BLOB') flags |= ColumnFlags.BLOB_FLAG;
  if (NUMERIC.has(c.type)) flags |= ColumnFlags.NUM_FLAG;
  const text = !c.binary;
  return {
    schema: c.schema,
    table: c.table,
    orgTable: c.orgTable,
    name: c.name,
    orgName: c.orgName,
    characterSet: text ? textCollation : Collations.binary,
    // Lengths are in bytes: four per character for utf8mb4 text.
    columnLength: Math.min(text && c.type !== 'JSON' ? c.length * 4 : c.length, 0xffffffff),
    type: WIRE_TYPE_CODES[c.type],
    flags,
    decimals: c.decimals,
  };
}

interface PreparedState {
  readonly handle: number;
  /** The statement's text, for logs and the slow query log. */
  readonly sql: string;
  readonly paramCount: number;
  boundTypes: readonly ParamType[] | null;
  readonly longData: Map<number, Uint8Array>;
}

/** TLS and authentication settings shared by every connection. */
export interface ConnectionSecurity {
  /** Offered to clients (CLIENT_SSL) only when set. */
  readonly tls: SecureContext | null;
  /** Refuse logins over plain connections (3159). */
  readonly requireSecureTransport: boolean;
  readonly rsa: RsaKeys;
  readonly fastAuthCache: FastAuthCache;
  readonly loginThrottle: LoginThrottle;
}

export interface ConnectionOptions {
  readonly serverVersion: string;
  readonly security: ConnectionSecurity;
  readonly maxAllowedPacket: number;
  readonly logger: Logger;
  readonly nextQueryId: () => number;
  /** Told about every statement once its result is sent (metrics, slow query log). */
  readonly onStatement?: (report: StatementReport) => void;
}

export interface StatementReport {
  readonly connectionId: number;
  readonly user: string;
  readonly queryId: number;
  readonly sql: string;
  /** From the statement's start to the last byte of its result. */
  readonly seconds: number;
  readonly outcome: 'ok' | 'error';
  readonly errno?: number;
}

/** Reads logical payloads from the socket one at a time, pausing it in between. */
class PayloadSource {
  private readonly decoder: PacketDecoder;
  private waiting: ((p: DecodedPayload | null) => void) | null = null;
  private failure: ((e: unknown) => void) | null = null;
  private ended = false;
  private error: unknown = null;

  private socket: Socket;
  private readonly onData = (chunk: Buffer): void => {
    try {
      this.decoder.write(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    this.pump();
  };
  private readonly onEnd = (): void => this.finish();

  constructor(socket: Socket, maxPayloadLength: number) {
    this.decoder = new PacketDecoder({ maxPayloadLength });
    this.socket = socket;
    this.listen(socket);
  }

  private listen(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.pause();
  }

  /**
   * Moves reading to `next` (the TLS socket over the same connection). The bytes
   * already received after the SSL request, the start of the TLS handshake, are put
   * back into the old socket, where the TLS socket reads them first.
   */
  switchTo(next: Socket): void {
    const old = this.socket;
    old.pause();
    old.off('data', this.onData);
    old.off('end', this.onEnd);
    old.off('close', this.onEnd);
    const rest = this.decoder.takeBuffered();
    if (rest.length > 0) old.unshift(rest);
    this.socket = next;
    // A failed TLS handshake ends the input like a closed socket.
    next.on('error', this.onEnd);
    this.listen(next);
  }

  private fail(err: unknown): void {
    this.error = err;
    const f = this.failure;
    this.waiting = null;
    this.failure = null;
    f?.(err);
  }

  private finish(): void {
    this.ended = true;
    const w = this.waiting;
    if (w !== null && this.error === null) {
      // Payloads already buffered are still delivered before the end.
      this.pump();
      if (this.waiting !== null) {
        this.waiting = null;
        this.failure = null;
        w(null);
      }
    }
  }

  private pump(): void {
    if (this.waiting === null) return;
    let payload: DecodedPayload | null;
    try {
      payload = this.decoder.read();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (payload !== null) {
      const w = this.waiting;
      this.waiting = null;
      this.failure = null;
      this.socket.pause();
      w(payload);
    } else if (this.ended) {
      const w = this.waiting;
      this.waiting = null;
      this.failure = null;
      w(null);
    }
  }

  next(): Promise<DecodedPayload | null> {
    if (this.error !== null) return Promise.reject(this.error instanceof Error ? this.error : new Error('connection input failed'));
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failure = reject;
      this.pump();
      if (this.waiting !== null && !this.ended) this.socket.resume();
    });
  }
}

export class Connection {
  private capabilities = 0;
  private session: Session | null = null;
  private handler: SessionHandler | null = null;
  private readonly prepared = new Map<number, PreparedState>();
  private readonly closeController = new AbortController();
  private textCollation: number = Collations.utf8mb4_general_ci;
  /** The character set the client named at login: what character_set_client/results start as. */
  private loginCharset: WireCharset = 'utf8mb4';
  private multiStatements = false;
  private readonly log: Logger;
  private readonly source: PayloadSource;
  private closed = false;
  /** The running statement's id, shown in its log lines and in internal errors. */
  private queryId = 0;
  /** Why the last result failed part-way, for the statement report. */
  private lastResultError: unknown = undefined;
  /** Sequence id of the current COM_QUERY's next reply packet, moved on by a LOCAL INFILE exchange. */
  private replySequence = 0;
  private infileExchanged = false;
  /** Between reading a command and finishing its answer. */
  private busy = false;
  private draining = false;
  private shuttingDown = false;

  /** Becomes the TLS socket once the client asks for TLS. */
  private socket: Socket;
  private secure = false;

  constructor(
    socket: Socket,
    readonly id: number,
    private readonly queryHandler: QueryHandler,
    private readonly options: ConnectionOptions,
  ) {
    this.socket = socket;
    this.log = options.logger.child({ conn: id });
    this.source = new PayloadSource(socket, options.maxAllowedPacket);
    socket.setNoDelay(true);
    socket.on('close', () => {
      this.closed = true;
      this.closeController.abort();
    });
    socket.on('error', (err) => {
      this.log.debug({ err: err.message }, 'socket error');
    });
  }

  get sessionState(): Session | null {
    return this.session;
  }

  /**
   * Shutdown, first stage: an idle connection ends now; a busy one ends once its
   * statement has answered.
   */
  beginShutdown(): void {
    this.draining = true;
    if (!this.busy) this.close();
  }

  /** Shutdown after the grace period: the running statement is stopped and its client told why (1053). */
  interruptForShutdown(): void {
    this.shuttingDown = true;
    this.draining = true;
    if (!this.busy) this.close();
    else this.closeController.abort();
  }

  /** Ends the connection from the server side (KILL, shutdown). */
  close(): void {
    if (!this.socket.destroyed) this.socket.destroy();
  }

  async run(): Promise<void> {
    const remote = `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? 0}`;
    this.log.info({ remote }, 'connection opened');
    try {
      if (await this.handshake()) await this.commandLoop();
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.log.warn({ err: err.message, kind: err.kind }, 'protocol error; closing the connection');
        if (err.kind === 'packet-too-large') this.trySendError('ER_NET_PACKET_TOO_LARGE', "Got a packet bigger than 'max_allowed_packet' bytes", 0);
        else this.trySendError('ER_MALFORMED_PACKET', `Malformed communication packet: ${err.message}`, 0);
      } else {
        this.log.error({ err }, 'connection failed');
      }
    } finally {
      await this.handler?.close().catch((err: unknown) => this.log.error({ err }, 'session close failed'));
      this.close();
      this.log.info({ user: this.session?.user }, 'connection closed');
    }
  }

  /**
   * A client that logs in speaking latin1 or ascii starts with those as
   * character_set_client/connection/results, as in MySQL; SET NAMES changes them.
   */
  private applyLoginCharset(session: Session): void {
    if (this.loginCharset === 'utf8mb4') return;
    for (const name of ['character_set_client', 'character_set_connection', 'character_set_results']) session.variables.set(name, this.loginCharset);
  }

  /** The session's character_set_client or _results, when it is one text is transcoded to (else UTF-8). */
  private charset(name: 'character_set_client' | 'character_set_results'): WireCharset {
    const value = this.session?.variables.get(name);
    const named = typeof value === 'string' ? value.toLowerCase() : this.loginCharset;
    return isWireCharset(named) ? named : 'utf8mb4';
  }

  private statusFlags(more = false): number {
    let flags = 0;
    const s = this.session;
    if (s === null || s.autocommit) flags |= ServerStatus.SERVER_STATUS_AUTOCOMMIT;
    if (s?.inTransaction === true) flags |= ServerStatus.SERVER_STATUS_IN_TRANS;
    if (more) flags |= ServerStatus.SERVER_MORE_RESULTS_EXISTS;
    return flags;
  }

  private async write(bytes: Buffer): Promise<void> {
    if (this.closed || this.socket.destroyed) throw new ClientGone();
    if (this.socket.write(bytes)) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        cleanup();
        resolve();
      };
      const onClose = (): void => {
        cleanup();
        reject(new ClientGone());
      };
      const cleanup = (): void => {
        this.socket.off('drain', onDrain);
        this.socket.off('close', onClose);
      };
      this.socket.on('drain', onDrain);
      this.socket.on('close', onClose);
    });
  }

  private async send(batch: PacketBatch): Promise<void> {
    if (batch.length > 0) await this.write(batch.take());
  }

  private errorBatch(sequenceId: number, errno: number, sqlState: string, message: string): PacketBatch {
    const batch = new PacketBatch({ sequenceId, initialCapacity: 256 });
    batch.add(writeErr, { errno, sqlState, message }, this.capabilities | CapabilityFlags.CLIENT_PROTOCOL_41);
    return batch;
  }

  private trySendError(name: ErrorName, message: string, sequenceId: number): void {
    if (this.socket.destroyed) return;
    const e = ERRORS[name];
    this.socket.write(this.errorBatch(sequenceId, e.errno, e.sqlState, message).take());
  }

  private async handshake(): Promise<boolean> {
    const security = this.options.security;
    const serverCapabilities = security.tls === null ? SERVER_CAPABILITIES : SERVER_CAPABILITIES | CapabilityFlags.CLIENT_SSL;
    const scramble = generateScramble();
    const hello = new PacketBatch({ sequenceId: 0, initialCapacity: 256 });
    hello.add(writeInitialHandshake, {
      serverVersion: this.options.serverVersion,
      connectionId: this.id,
      authPluginData: scramble,
      capabilities: serverCapabilities,
      characterSet: Collations.utf8mb4_general_ci,
      statusFlags: ServerStatus.SERVER_STATUS_AUTOCOMMIT,
      authPluginName: AuthPlugins.MYSQL_NATIVE_PASSWORD,
    });
    await this.send(hello);

    let first = await this.source.next();
    if (first === null) return false;
    let response = decodeHandshakeResponse(first.payload);
    if (response.kind === 'ssl-request') {
      if (security.tls === null) throw new ProtocolError('client asked for TLS, which this server does not offer');
      this.startTls(security.tls);
      first = await this.source.next();
      if (first === null) {
        this.log.info('client left during the TLS handshake');
        return false;
      }
      response = decodeHandshakeResponse(first.payload);
      if (response.kind === 'ssl-request') throw new ProtocolError('a second SSL request');
    }
    this.capabilities = response.capabilities & serverCapabilities;
    if (!hasCapability(this.capabilities, CapabilityFlags.CLIENT_PROTOCOL_41)) {
      this.trySendError('ER_HANDSHAKE_ERROR', 'Bad handshake: clients before MySQL 4.1 are not supported', first.nextSequenceId);
      return false;
    }
    this.multiStatements = hasCapability(this.capabilities, CapabilityFlags.CLIENT_MULTI_STATEMENTS);
    if (response.characterSet !== Collations.binary && response.characterSet !== 0) this.textCollation = response.characterSet;
    this.loginCharset = charsetOfCollation(response.characterSet) ?? 'utf8mb4';

    const host = this.socket.remoteAddress ?? 'localhost';
    if (security.requireSecureTransport && !this.secure) {
      const e = ERRORS.ER_SECURE_TRANSPORT_REQUIRED;
      this.log.warn({ user: response.username, host }, 'login refused: the connection does not use TLS and require_secure_transport is on');
      await this.send(this.errorBatch(first.nextSequenceId, e.errno, e.sqlState, 'Connections using insecure transport are prohibited while --require_secure_transport=ON.'));
      return false;
    }
    const throttle = security.loginThrottle;
    const delayMs = throttle.delayMs(host);
    if (delayMs > 0) {
      this.log.warn({ host, failures: throttle.failures(host), delayMs }, 'delaying a login after repeated failed logins from this host');
      if (!(await this.sleep(delayMs))) return false;
    }
    const record = await this.queryHandler.findUser(response.username, host);
    const outcome = await authenticate(
      { write: (bytes) => this.write(bytes), next: () => this.source.next() },
      { rsa: security.rsa, cache: security.fastAuthCache },
      {
        username: response.username,
        clientPlugin: response.authPluginName,
        authResponse: response.authResponse,
        pluginAuth: hasCapability(this.capabilities, CapabilityFlags.CLIENT_PLUGIN_AUTH),
        scramble,
        secure: this.secure,
        sequenceId: first.nextSequenceId,
      },
      record,
    );
    if (outcome.kind === 'gone') return false;
    const seq = outcome.sequenceId;
    if (outcome.kind === 'denied') {
      const failures = throttle.failed(host);
      this.log.warn({ user: response.username, host, plugin: outcome.plugin, tls: this.secure, failures }, 'login failed');
      const e = ERRORS.ER_ACCESS_DENIED_ERROR;
      await this.send(this.errorBatch(seq, e.errno, e.sqlState, `Access denied for user '${response.username}'@'${host}' (using password: ${outcome.passwordUsed ? 'YES' : 'NO'})`));
      return false;
    }
    throttle.succeeded(host);
    this.log.debug({ user: response.username, plugin: outcome.plugin, path: outcome.path, tls: this.secure }, 'authenticated');
    let database: string | null = null;
    try {
      if (response.database !== null && response.database !== '') {
        if (!(await this.queryHandler.databaseExists(response.database))) {
          await this.send(this.errorBatch(seq, ERRORS.ER_BAD_DB_ERROR.errno, ERRORS.ER_BAD_DB_ERROR.sqlState, `Unknown database '${response.database}'`));
          return false;
        }
        database = response.database;
      }
      this.session = new Session(this.id, response.username, host, database);
      this.applyLoginCharset(this.session);
      this.handler = await this.queryHandler.openSession(this.session, { closeConnection: () => this.close(), readLocalFile: (name) => this.readLocalFile(name) });
      if (database !== null) await this.handler.useDatabase(database);
    } catch (err) {
      // Storage trouble during login still gets an answer, not a dropped connection.
      await this.sendStatementError(seq, err, `(login to ${response.database ?? 'no database'})`);
      return false;
    }
    const okBatch = new PacketBatch({ sequenceId: seq, initialCapacity: 64 });
    okBatch.add(writeOk, { statusFlags: this.statusFlags() }, this.capabilities);
    await this.send(okBatch);
    this.log.info({ user: response.username, db: database, tls: this.secure }, 'logged in');
    return true;
  }

  /** Continues the connection over TLS; the packet decoder carries on on the TLS socket. */
  private startTls(context: SecureContext): void {
    const secure = new TLSSocket(this.socket, { isServer: true, secureContext: context });
    secure.on('error', (err: Error) => this.log.info({ err: err.message }, 'TLS failed; closing the connection'));
    secure.once('secure', () => this.log.debug({ protocol: secure.getProtocol(), cipher: secure.getCipher().name }, 'TLS established'));
    secure.setNoDelay(true);
    secure.on('close', () => {
      this.closed = true;
      this.closeController.abort();
    });
    this.source.switchTo(secure);
    this.socket = secure;
    this.secure = true;
  }

  /** Waits, unless the client leaves first (then false). */
  private async sleep(ms: number): Promise<boolean> {
    if (this.closed) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.socket.once('close', done);
    });
    return !this.closed;
  }

  private async commandLoop(): Promise<void> {
    for (;;) {
      if (this.draining) return;
      const packet = await this.source.next();
      if (packet === null) return;
      const session = this.session;
      if (session === null) return;
      session.command = 'Query';
      this.busy = true;
      try {
        const keepGoing = await this.dispatch(packet);
        if (!keepGoing) return;
      } catch (err) {
        if (err instanceof ClientGone) return;
        throw err;
      } finally {
        this.busy = false;
        session.command = 'Sleep';
        session.info = null;
      }
    }
  }

  private ok(sequenceId: number, result?: { affectedRows: bigint; matchedRows?: bigint; insertId: bigint; info: string }, more = false): PacketBatch {
    const batch = new PacketBatch({ sequenceId, initialCapacity: 64 });
    const foundRows = hasCapability(this.capabilities, CapabilityFlags.CLIENT_FOUND_ROWS);
    batch.add(
      writeOk,
      {
        affectedRows: (foundRows ? result?.matchedRows : undefined) ?? result?.affectedRows ?? 0n,
        lastInsertId: result?.insertId ?? 0n,
        statusFlags: this.statusFlags(more),
        warnings: this.warningCount(),
        info: result?.info ?? '',
      },
      this.capabilities,
    );
    return batch;
  }

  private warningCount(): number {
    return Math.min(this.session?.statementWarnings ?? 0, 0xffff);
  }

  /** Sends an error for a failed statement; unknown errors get 1105 with a query id, the stack goes to the log. */
  private async sendStatementError(sequenceId: number, err: unknown, sql: string | undefined): Promise<void> {
    if (this.shuttingDown) {
      const e = ERRORS.ER_SERVER_SHUTDOWN;
      this.log.info({ queryId: this.queryId, sql: sql?.slice(0, 500) }, 'statement stopped by server shutdown');
      await this.send(this.errorBatch(sequenceId, e.errno, e.sqlState, 'Server shutdown in progress'));
      return;
    }
    if (isSqlError(err)) {
      this.log.info({ errno: err.errno, queryId: this.queryId, sql: sql?.slice(0, 500), msg: err.message }, 'statement failed');
      await this.send(this.errorBatch(sequenceId, err.errno, err.sqlState, err.message));
      return;
    }
    const queryId = this.queryId;
    this.log.error({ err, queryId, sql: sql?.slice(0, 500) }, 'statement failed with an internal error');
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 200) ?? '';
    await this.send(this.errorBatch(sequenceId, ERRORS.ER_UNKNOWN_ERROR.errno, ERRORS.ER_UNKNOWN_ERROR.sqlState, `Internal error: ${first} (query id ${queryId})`));
  }

  /** Returns false when the connection should end. */
  private async dispatch(packet: DecodedPayload): Promise<boolean> {
    const handler = this.handler;
    const session = this.session;
    if (handler === null || session === null) return false;
    const seq = packet.nextSequenceId;
    const clientCharset = this.charset('character_set_client');
    const command = decodeCommand(packet.payload, this.capabilities, (bytes) => decodeText(bytes, clientCharset));
    switch (command.kind) {
      case 'COM_QUIT':
        return false;
      case 'COM_PING':
      case 'COM_DEBUG':
        await this.send(this.ok(seq));
        return true;
      case 'COM_INIT_DB':
        try {
          await handler.useDatabase(command.schema);
          await this.send(this.ok(seq));
        } catch (err) {
          await this.sendStatementError(seq, err, `USE ${command.schema}`);
        }
        return true;
      case 'COM_QUERY':
        session.info = command.query.slice(0, 100);
        await this.query(seq, command.query);
        return true;
      case 'COM_FIELD_LIST':
        try {
          const columns = await handler.fieldList(command.table, command.wildcard);
          const batch = new PacketBatch({ sequenceId: seq });
          for (const c of columns) batch.add(writeFieldListColumnDefinition, columnDefinition(c, this.textCollation), null);
          addResultSetEnd(batch, { statusFlags: this.statusFlags() }, this.capabilities);
          await this.send(batch);
        } catch (err) {
          await this.sendStatementError(seq, err, `COM_FIELD_LIST ${command.table}`);
        }
        return true;
      case 'COM_STATISTICS': {
        const batch = new PacketBatch({ sequenceId: seq, initialCapacity: 256 });
        const text = this.queryHandler.statistics();
        batch.add((w: PayloadWriter) => w.writeString(text));
        await this.send(batch);
        return true;
      }
      case 'COM_PROCESS_KILL':
        if (this.queryHandler.kill(command.connectionId, 'connection')) await this.send(this.ok(seq));
        else await this.send(this.errorBatch(seq, ERRORS.ER_NO_SUCH_THREAD.errno, ERRORS.ER_NO_SUCH_THREAD.sqlState, `Unknown thread id: ${command.connectionId}`));
        return true;
      case 'COM_SET_OPTION': {
        if (command.option === SetOptions.MYSQL_OPTION_MULTI_STATEMENTS_ON) this.multiStatements = true;
        else if (command.option === SetOptions.MYSQL_OPTION_MULTI_STATEMENTS_OFF) this.multiStatements = false;
        else {
          await this.send(this.errorBatch(seq, ERRORS.ER_UNKNOWN_COM_ERROR.errno, ERRORS.ER_UNKNOWN_COM_ERROR.sqlState, 'Unknown option'));
          return true;
        }
        const batch = new PacketBatch({ sequenceId: seq, initialCapacity: 64 });
        if (hasCapability(this.capabilities, CapabilityFlags.CLIENT_DEPRECATE_EOF)) batch.add(writeOk, { statusFlags: this.statusFlags() }, this.capabilities);
        else batch.add(writeEof, { statusFlags: this.statusFlags() }, this.capabilities);
        await this.send(batch);
        return true;
      }
      case 'COM_RESET_CONNECTION':
        await handler.reset();
        this.applyLoginCharset(session);
        this.prepared.clear();
        await this.send(this.ok(seq));
        return true;
      case 'COM_CHANGE_USER':
        await this.send(this.errorBatch(seq, ERRORS.ER_NOT_SUPPORTED_YET.errno, ERRORS.ER_NOT_SUPPORTED_YET.sqlState, 'COM_CHANGE_USER is not supported; reconnect as the other user'));
        return false;
      case 'COM_STMT_PREPARE':
        await this.prepare(seq, command.query);
        return true;
      case 'COM_STMT_EXECUTE':
        await this.execute(seq, packet.payload, command.statementId);
        return true;
      case 'COM_STMT_SEND_LONG_DATA': {
        // No response, by the protocol; an unknown statement is reported at execute.
        const st = this.prepared.get(command.statementId);
        if (st !== undefined) {
          const prev = st.longData.get(command.paramId);
          st.longData.set(command.paramId, prev === undefined ? command.data : Buffer.concat([prev, command.data]));
        }
        return true;
      }
      case 'COM_STMT_CLOSE': {
        const st = this.prepared.get(command.statementId);
        if (st !== undefined) {
          handler.closePrepared(st.handle);
          this.prepared.delete(command.statementId);
        }
        return true;
      }
      case 'COM_STMT_RESET': {
        const st = this.prepared.get(command.statementId);
        if (st === undefined) {
          await this.send(this.errorBatch(seq, ERRORS.ER_UNKNOWN_STMT_HANDLER.errno, ERRORS.ER_UNKNOWN_STMT_HANDLER.sqlState, `Unknown prepared statement handler (${command.statementId}) given to mysqld_stmt_reset`));
          return true;
        }
        st.longData.clear();
        await this.send(this.ok(seq));
        return true;
      }
      case 'COM_STMT_FETCH':
        await this.send(this.errorBatch(seq, ERRORS.ER_NOT_SUPPORTED_YET.errno, ERRORS.ER_NOT_SUPPORTED_YET.sqlState, 'Cursors (COM_STMT_FETCH) are not supported'));
        return true;
      case 'unknown':
        await this.send(this.errorBatch(seq, ERRORS.ER_UNKNOWN_COM_ERROR.errno, ERRORS.ER_UNKNOWN_COM_ERROR.sqlState, 'Unknown command'));
        return true;
      default: {
        const never: never = command;
        throw new Error(`unhandled command ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * The LOCAL INFILE exchange inside a COM_QUERY: the request goes out with the
   * statement's next sequence id, the file's packets come back, and the
   * statement's answer continues the numbering after the client's empty packet.
   */
  private async *readLocalFile(filename: string): AsyncGenerator<Uint8Array> {
    if (!hasCapability(this.capabilities, CapabilityFlags.CLIENT_LOCAL_FILES)) {
      throw sqlError('ER_CLIENT_LOCAL_FILES_DISABLED', 'Loading local data is disabled; this must be enabled on both the client and server sides');
    }
    const request = new PacketBatch({ sequenceId: this.replySequence, initialCapacity: 64 + filename.length * 3 });
    request.add(writeLocalInfileRequest, filename);
    this.replySequence = request.sequenceId;
    this.infileExchanged = true;
    await this.send(request);
    for (;;) {
      const packet = await this.source.next();
      if (packet === null) throw new ClientGone();
      this.replySequence = packet.nextSequenceId;
      if (packet.payload.length === 0) return;
      yield packet.payload;
    }
  }

  private async query(seq: number, sql: string): Promise<void> {
    const handler = this.handler;
    if (handler === null) return;
    let sequenceId = seq;
    this.replySequence = seq;
    this.infileExchanged = false;
    const signal = this.closeController.signal;
    let statements = 0;
    this.queryId = this.options.nextQueryId();
    let started = performance.now();
    for await (const outcome of handler.query(sql, signal)) {
      // A LOAD DATA LOCAL exchange moved the numbering on.
      if (this.infileExchanged) sequenceId = this.replySequence;
      this.infileExchanged = false;
      statements++;
      if (statements > 1 && !this.multiStatements) {
        // Reached only when the client did not negotiate multi-statements.
        break;
      }
      if (outcome.kind === 'error') {
        await this.sendStatementError(sequenceId, outcome.error, sql);
        this.report(sql, started, outcome.error);
        return;
      }
      if (outcome.hasMore && !this.multiStatements) {
        const e = ERRORS.ER_PARSE_ERROR;
        await this.discardResult(outcome.result);
        await this.send(this.errorBatch(sequenceId, e.errno, e.sqlState, 'You have an error in your SQL syntax; multiple statements need the CLIENT_MULTI_STATEMENTS option'));
        return;
      }
      sequenceId = await this.sendResult(sequenceId, outcome.result, outcome.hasMore, false, sql);
      this.replySequence = sequenceId;
      this.report(sql, started, sequenceId < 0 ? this.lastResultError : undefined);
      if (sequenceId < 0) return;
      this.queryId = this.options.nextQueryId();
      started = performance.now();
    }
  }

  private report(sql: string, started: number, error: unknown): void {
    const onStatement = this.options.onStatement;
    if (onStatement === undefined || this.session === null) return;
    onStatement({
      connectionId: this.id,
      user: this.session.user,
      queryId: this.queryId,
      sql,
      seconds: (performance.now() - started) / 1000,
      outcome: error === undefined ? 'ok' : 'error',
      ...(isSqlError(error) ? { errno: error.errno } : {}),
    });
  }

  private async discardResult(result: StatementResult): Promise<void> {
    if (result.kind === 'rows') await result.rows[Symbol.asyncIterator]().return?.();
  }

  /**
   * Writes one statement's result. Returns the next sequence id, or -1 when the
   * result failed part-way (an ERR packet has then been sent).
   */
  private async sendResult(sequenceId: number, result: StatementResult, more: boolean, binary: boolean, sql: string): Promise<number> {
    if (result.kind === 'ok') {
      const batch = this.ok(sequenceId, result, more);
      await this.send(batch);
      return batch.sequenceId;
    }
    const results = this.charset('character_set_results');
    const columns = result.columns.map((c) => columnDefinition(c, isUtf8(results) ? this.textCollation : defaultCollationId(results)));
    // Text cells in a client character set other than UTF-8: encoded here, the rest of the server speaks Unicode.
    const textColumns = isUtf8(results) ? [] : columns.flatMap((c, i) => (c.characterSet === Collations.binary ? [] : [i]));
    const batch = new PacketBatch({ sequenceId });
    addResultSetMetadata(batch, columns, { statusFlags: this.statusFlags(more) }, this.capabilities);
    const iterator = result.rows[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) break;
        for (const sent of next.value) {
          const row = textColumns.length === 0 ? sent : transcodeRow(sent, textColumns, results);
          if (binary) batch.add(writeBinaryRow, columns, row);
          else batch.add(writeTextRow, row);
          if (batch.length >= FLUSH_BYTES) await this.send(batch);
        }
      }
    } catch (err) {
      await iterator.return?.().catch(() => undefined);
      if (err instanceof ClientGone) throw err;
      await this.send(batch).catch(() => undefined);
      await this.sendStatementError(batch.sequenceId, err, sql);
      this.lastResultError = err;
      return -1;
    }
    addResultSetEnd(batch, { statusFlags: this.statusFlags(more), warnings: this.warningCount() }, this.capabilities);
    const next = batch.sequenceId;
    await this.send(batch);
    return next;
  }

  private async prepare(seq: number, sql: string): Promise<void> {
    const handler = this.handler;
    if (handler === null) return;
    try {
      const info = await handler.prepare(sql);
      const state: PreparedState = { handle: info.handle, sql, paramCount: info.paramCount, boundTypes: null, longData: new Map() };
      this.prepared.set(info.handle, state);
      const batch = new PacketBatch({ sequenceId: seq });
      addStmtPrepareResponse(
        batch,
        {
          statementId: info.handle,
          params: Array.from({ length: info.paramCount }, () => PLACEHOLDER_PARAMETER),
          columns: info.columns.map((c) => columnDefinition(c, this.textCollation)),
        },
        { statusFlags: this.statusFlags() },
        this.capabilities,
      );
      await this.send(batch);
    } catch (err) {
      await this.sendStatementError(seq, err, sql);
    }
  }

  private async execute(seq: number, payload: Uint8Array, statementId: number): Promise<void> {
    const handler = this.handler;
    if (handler === null) return;
    const st = this.prepared.get(statementId);
    if (st === undefined) {
      const e = ERRORS.ER_UNKNOWN_STMT_HANDLER;
      await this.send(this.errorBatch(seq, e.errno, e.sqlState, `Unknown prepared statement handler (${statementId}) given to mysqld_stmt_execute`));
      return;
    }
    let exec;
    try {
      exec = decodeStmtExecute(payload, { paramCount: st.paramCount, boundTypes: st.boundTypes, longData: st.longData });
    } catch (err) {
      if (!(err instanceof ProtocolError) || err.kind !== 'wrong-arguments') throw err;
      const e = ERRORS.ER_WRONG_ARGUMENTS;
      await this.send(this.errorBatch(seq, e.errno, e.sqlState, `Incorrect arguments to mysqld_stmt_execute: ${err.message}`));
      return;
    }
    st.boundTypes = exec.boundTypes;
    st.longData.clear();
    let result: StatementResult;
    this.queryId = this.options.nextQueryId();
    const started = performance.now();
    const label = `EXECUTE ${st.sql}`;
    try {
      result = await handler.execute(st.handle, exec.params.map((p) => p.value), this.closeController.signal);
    } catch (err) {
      await this.sendStatementError(seq, err, label);
      this.report(label, started, err);
      return;
    }
    const next = await this.sendResult(seq, result, false, true, label);
    this.report(label, started, next < 0 ? this.lastResultError : undefined);
  }
}

/** The client closed the connection while we were writing to it. */
class ClientGone extends Error {
  override readonly name = 'ClientGone';
  constructor() {
    super('client closed the connection');
  }
}
