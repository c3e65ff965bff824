// Interoperability: a minimal scripted server built only on this codec, driven by
// real clients (mysql2 and the mariadb command-line client) over TCP on port 0.
// It checks what byte-level tests cannot: that the clients accept our handshake,
// auth exchange, result sets in both protocols, errors and multi-packet payloads.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';

import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  addResultSetEnd,
  addResultSetMetadata,
  addStmtPrepareResponse,
  CachingSha2Status,
  cachingSha2PasswordHash,
  CapabilityFlags,
  Collations,
  ColumnFlags,
  ColumnTypes as T,
  decodeCommand,
  decodeHandshakeResponse,
  decodeStmtExecute,
  generateScramble,
  nativePasswordHash,
  PacketBatch,
  PacketDecoder,
  PLACEHOLDER_PARAMETER,
  ProtocolError,
  ServerStatus,
  verifyCachingSha2Password,
  verifyNativePassword,
  writeAuthMoreData,
  writeAuthSwitchRequest,
  writeBinaryRow,
  writeErr,
  writeInitialHandshake,
  writeOk,
  writeTextRow,
  type ColumnDefinition,
  type DecodedPayload,
  type ParamType,
  type TextCell,
} from './index.js';

const SERVER_CAPABILITIES =
  CapabilityFlags.CLIENT_LONG_PASSWORD |
  CapabilityFlags.CLIENT_FOUND_ROWS |
  CapabilityFlags.CLIENT_LONG_FLAG |
  CapabilityFlags.CLIENT_CONNECT_WITH_DB |
  CapabilityFlags.CLIENT_PROTOCOL_41 |
  CapabilityFlags.CLIENT_TRANSACTIONS |
  CapabilityFlags.CLIENT_SECURE_CONNECTION |
  CapabilityFlags.CLIENT_MULTI_RESULTS |
  CapabilityFlags.CLIENT_PS_MULTI_RESULTS |
  CapabilityFlags.CLIENT_PLUGIN_AUTH |
  CapabilityFlags.CLIENT_CONNECT_ATTRS |
  CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA |
  CapabilityFlags.CLIENT_SESSION_TRACK |
  CapabilityFlags.CLIENT_DEPRECATE_EOF;

const STATUS = ServerStatus.SERVER_STATUS_AUTOCOMMIT;
const ACCOUNTS = new Map([
  ['alice', nativePasswordHash('pw')],
  ['nopass', nativePasswordHash('')],
  // Always sent through an auth switch, as for a client that announced another plugin.
  ['switcher', nativePasswordHash('sw')],
]);
// Switched to caching_sha2_password and let in by its fast path.
const SHA2_ACCOUNTS = new Map([['modern', cachingSha2PasswordHash('sha2 pw')]]);

const column = (name: string, type: number, flags = 0, extra: Partial<ColumnDefinition> = {}): ColumnDefinition => ({
  schema: 'db',
  table: 't',
  orgTable: 't',
  name,
  orgName: name,
  characterSet: Collations.binary,
  columnLength: 20,
  type,
  flags,
  decimals: 0,
  ...extra,
});
const text = { characterSet: Collations.utf8mb4_0900_ai_ci, decimals: 0x1f };
const U = ColumnFlags.UNSIGNED_FLAG;

const TYPED: [ColumnDefinition, TextCell][] = [
  [column('tiny', T.MYSQL_TYPE_TINY), '-128'],
  [column('utiny', T.MYSQL_TYPE_TINY, U), '255'],
  [column('short', T.MYSQL_TYPE_SHORT), '-32768'],
  [column('year', T.MYSQL_TYPE_YEAR, U), '2024'],
  [column('int24', T.MYSQL_TYPE_INT24), '-8388608'],
  [column('long', T.MYSQL_TYPE_LONG), '-2147483648'],
  [column('ulong', T.MYSQL_TYPE_LONG, U), '4294967295'],
  [column('big', T.MYSQL_TYPE_LONGLONG), '-9223372036854775808'],
  [column('ubig', T.MYSQL_TYPE_LONGLONG, U), '18446744073709551615'],
  [column('float', T.MYSQL_TYPE_FLOAT, 0, { decimals: 31 }), '3.5'],
  [column('double', T.MYSQL_TYPE_DOUBLE, 0, { decimals: 31 }), '2.718281828459045'],
  [column('dec', T.MYSQL_TYPE_NEWDECIMAL, 0, { decimals: 9 }), '12345678901234567890.123456789'],
  [column('date', T.MYSQL_TYPE_DATE), '2024-01-02'],
  [column('dt', T.MYSQL_TYPE_DATETIME, 0, { decimals: 6 }), '2024-01-02 03:04:05.123456'],
  [column('dt0', T.MYSQL_TYPE_DATETIME), '2024-01-02 00:00:00'],
  [column('ts', T.MYSQL_TYPE_TIMESTAMP), '1999-12-31 23:59:59'],
  [column('time', T.MYSQL_TYPE_TIME, 0, { decimals: 1 }), '-838:59:59.5'],
  [column('str', T.MYSQL_TYPE_VAR_STRING, 0, text), 'héllo ✓'],
  [column('blob', T.MYSQL_TYPE_BLOB, ColumnFlags.BLOB_FLAG | ColumnFlags.BINARY_FLAG), Uint8Array.of(0, 1, 2, 255)],
  [column('json', T.MYSQL_TYPE_JSON, 0, text), '{"a":1}'],
  [column('nul', T.MYSQL_TYPE_VAR_STRING, 0, text), null],
];
const TYPED_COLUMNS = TYPED.map(([definition]) => definition);
const TYPED_CELLS = TYPED.map(([, cell]) => cell);
const PARAMS_COLUMN = column('params', T.MYSQL_TYPE_VAR_STRING, 0, text);

interface Session {
  readonly capabilitiesSeen: number[];
  readonly attributesSeen: (ReadonlyMap<string, string> | null)[];
}

function startServer(session: Session, sockets: Set<net.Socket>): Promise<net.Server> {
  let nextConnectionId = 1;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const decoder = new PacketDecoder({ maxPayloadLength: 64 * 1024 * 1024 });
    const batch = new PacketBatch();
    const scramble = generateScramble();
    let switchScramble: Buffer | null = null;
    let expectedHash: Buffer = Buffer.alloc(0);
    let switchedTo = 'mysql_native_password';
    let capabilities = SERVER_CAPABILITIES;
    let state: 'handshake' | 'auth-switch' | 'command' = 'handshake';
    const statements = new Map<number, { paramCount: number; boundTypes: readonly ParamType[] | null }>();
    let nextStatementId = 1;

    const flush = (): void => {
      socket.write(batch.take());
    };
    const ok = (info = ''): void => {
      batch.add(writeOk, { statusFlags: STATUS, info }, capabilities);
    };
    const fail = (errno: number, sqlState: string, message: string): void => {
      batch.add(writeErr, { errno, sqlState, message }, capabilities);
    };
    const resultSet = (columns: readonly ColumnDefinition[], rows: Iterable<readonly TextCell[]>, binary: boolean): void => {
      addResultSetMetadata(batch, columns, { statusFlags: STATUS }, capabilities);
      for (const row of rows) {
        if (binary) {
          batch.add(writeBinaryRow, columns, row);
        } else {
          batch.add(writeTextRow, row);
        }
        // The streaming path: flush at ~64 KiB.
        if (batch.length >= 64 * 1024) {
          flush();
        }
      }
      addResultSetEnd(batch, { statusFlags: STATUS }, capabilities);
    };

    const handleQuery = (query: string): void => {
      if (query === 'SELECT TYPES') {
        resultSet(TYPED_COLUMNS, [TYPED_CELLS], false);
      } else if (query === 'SELECT MANY') {
        const rows = function* (): Generator<TextCell[]> {
          for (let index = 0; index < 20_000; index++) {
            yield [String(index), `row ${index}`];
          }
        };
        resultSet([column('n', T.MYSQL_TYPE_LONG), column('s', T.MYSQL_TYPE_VAR_STRING, 0, text)], rows(), false);
      } else if (query === 'SELECT HUGE') {
        resultSet([column('h', T.MYSQL_TYPE_BLOB, 0, text)], [['h'.repeat(17 * 1024 * 1024)]], false);
      } else if (query.startsWith('ECHO LENGTH ')) {
        resultSet([column('length', T.MYSQL_TYPE_LONGLONG)], [[String(Buffer.byteLength(query))]], false);
      } else if (query.startsWith('UPDATE')) {
        batch.add(writeOk, { affectedRows: 3, lastInsertId: 9, statusFlags: STATUS, info: 'Rows matched: 3  Changed: 3  Warnings: 0' }, capabilities);
      } else if (query === 'select @@version_comment limit 1') {
        resultSet([column('@@version_comment', T.MYSQL_TYPE_VAR_STRING, 0, text)], [['ducksafe interop test']], false);
      } else {
        fail(1146, '42S02', `Table 'db.nope' doesn't exist`);
      }
    };

    const handleCommand = (payload: Buffer): void => {
      const command = decodeCommand(payload, capabilities);
      switch (command.kind) {
        case 'COM_QUIT':
          socket.end();
          return;
        case 'COM_QUERY':
          handleQuery(command.query);
          break;
        case 'COM_PING':
        case 'COM_INIT_DB':
        case 'COM_RESET_CONNECTION':
          ok();
          break;
        case 'COM_CHANGE_USER': {
          const hash = ACCOUNTS.get(command.username);
          if (hash !== undefined && verifyNativePassword(scramble, command.authResponse, hash)) {
            ok();
          } else {
            fail(1045, '28000', `Access denied for user '${command.username}'`);
          }
          break;
        }
        case 'COM_STMT_PREPARE': {
          const paramCount = command.query.split('?').length - 1;
          const statementId = nextStatementId++;
          statements.set(statementId, { paramCount, boundTypes: null });
          addStmtPrepareResponse(
            batch,
            { statementId, params: Array.from({ length: paramCount }, () => PLACEHOLDER_PARAMETER), columns: [...TYPED_COLUMNS, PARAMS_COLUMN] },
            { statusFlags: STATUS },
            capabilities,
          );
          break;
        }
        case 'COM_STMT_EXECUTE': {
          const statement = statements.get(command.statementId);
          if (statement === undefined) {
            fail(1243, 'HY000', 'Unknown prepared statement handler');
            break;
          }
          const execute = decodeStmtExecute(payload, statement);
          statements.set(command.statementId, { ...statement, boundTypes: execute.boundTypes });
          const params = JSON.stringify(
            execute.params.map(({ type, value }) => [
              type,
              typeof value === 'bigint' ? `${value}n` : value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
            ]),
          );
          resultSet([...TYPED_COLUMNS, PARAMS_COLUMN], [[...TYPED_CELLS, params]], true);
          break;
        }
        case 'COM_STMT_CLOSE':
          statements.delete(command.statementId);
          return;
        case 'COM_STMT_RESET':
        case 'COM_SET_OPTION':
        case 'COM_STATISTICS':
        case 'COM_FIELD_LIST':
        case 'COM_PROCESS_KILL':
        case 'COM_DEBUG':
        case 'COM_STMT_SEND_LONG_DATA':
        case 'COM_STMT_FETCH':
        case 'unknown':
          fail(1047, '08S01', 'Unknown command');
          break;
      }
      flush();
    };

    const switchPlugin = (pluginName: string, hash: Buffer): void => {
      switchedTo = pluginName;
      expectedHash = hash;
      switchScramble = generateScramble();
      batch.add(writeAuthSwitchRequest, { pluginName, pluginData: Buffer.concat([switchScramble, Buffer.of(0)]) });
      state = 'auth-switch';
    };
    // As MySQL does: a failed login ends the connection.
    const deny = (message: string): void => {
      fail(1045, '28000', message);
      flush();
      socket.end();
    };

    const handle = (packet: DecodedPayload): void => {
      batch.sequenceId = packet.nextSequenceId;
      switch (state) {
        case 'handshake': {
          const response = decodeHandshakeResponse(packet.payload);
          if (response.kind === 'ssl-request') {
            throw new ProtocolError('TLS was not offered');
          }
          capabilities = (response.capabilities & SERVER_CAPABILITIES) >>> 0;
          session.capabilitiesSeen.push(capabilities);
          session.attributesSeen.push(response.connectAttributes);
          const hash = ACCOUNTS.get(response.username);
          const sha2Hash = SHA2_ACCOUNTS.get(response.username);
          if (sha2Hash !== undefined) {
            switchPlugin('caching_sha2_password', sha2Hash);
          } else if (hash === undefined) {
            deny(`Access denied for user '${response.username}'`);
            return;
          } else if (response.username === 'switcher' || response.authPluginName !== 'mysql_native_password') {
            switchPlugin('mysql_native_password', hash);
          } else if (verifyNativePassword(scramble, response.authResponse, hash)) {
            ok();
            state = 'command';
          } else {
            deny(`Access denied for user '${response.username}' (using password: YES)`);
            return;
          }
          flush();
          return;
        }
        case 'auth-switch': {
          const verify = switchedTo === 'caching_sha2_password' ? verifyCachingSha2Password : verifyNativePassword;
          if (switchScramble === null || !verify(switchScramble, packet.payload, expectedHash)) {
            deny('Access denied after auth switch');
            return;
          }
          if (switchedTo === 'caching_sha2_password') {
            batch.add(writeAuthMoreData, Buffer.of(CachingSha2Status.FAST_AUTH_SUCCESS));
          }
          ok();
          state = 'command';
          flush();
          return;
        }
        case 'command':
          handleCommand(packet.payload);
          return;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      try {
        for (const packet of decoder.push(chunk)) {
          handle(packet);
        }
      } catch (error) {
        socket.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on('error', () => {});
    batch.add(writeInitialHandshake, {
      serverVersion: '8.0.36-ducksafe-test',
      connectionId: nextConnectionId++,
      authPluginData: scramble,
      capabilities: SERVER_CAPABILITIES,
      characterSet: Collations.utf8mb4_0900_ai_ci,
      statusFlags: STATUS,
      authPluginName: 'mysql_native_password',
    });
    flush();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('interoperability with real clients', () => {
  const session: Session = { capabilitiesSeen: [], attributesSeen: [] };
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  let port = 0;

  beforeAll(async () => {
    server = await startServer(session, sockets);
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    for (const socket of sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const connect = (user = 'alice', password = 'pw'): Promise<mysql.Connection> =>
    mysql.createConnection({
      host: '127.0.0.1',
      port,
      user,
      password,
      database: 'db',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      maxPreparedStatements: 4,
    });

  it('mysql2 connects, pings, and reads a text result set of every type family', async () => {
    const connection = await connect();
    try {
      await connection.ping();
      const [rows] = await connection.query<RowDataPacket[]>('SELECT TYPES');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual({
        tiny: -128,
        utiny: 255,
        short: -32768,
        year: 2024,
        int24: -8388608,
        long: -2147483648,
        ulong: 4294967295,
        big: '-9223372036854775808',
        ubig: '18446744073709551615',
        float: 3.5,
        double: 2.718281828459045,
        dec: '12345678901234567890.123456789',
        date: '2024-01-02',
        dt: '2024-01-02 03:04:05.123456',
        dt0: '2024-01-02 00:00:00',
        ts: '1999-12-31 23:59:59',
        time: '-838:59:59.5',
        str: 'héllo ✓',
        blob: Buffer.from([0, 1, 2, 255]),
        json: { a: 1 },
        nul: null,
      });
      expect(session.attributesSeen.at(-1)?.get('_client_name')).toBe('Node-MySQL-2');
    } finally {
      await connection.end();
    }
  });

  it('mysql2 reads the same row through the binary protocol, and its parameters arrive typed', async () => {
    const connection = await connect();
    try {
      const [text] = await connection.query<RowDataPacket[]>('SELECT TYPES');
      const when = new Date(Date.UTC(2024, 5, 30, 12, 0, 0));
      const params = [42, 'ü', null, Buffer.from([7, 8]), 1.25, true, when];
      for (let round = 0; round < 2; round++) {
        const [binary] = await connection.execute<RowDataPacket[]>('SELECT TYPES ?, ?, ?, ?, ?, ?, ?', params);
        expect(binary).toHaveLength(1);
        const { params: echoed, ...row } = binary[0] as RowDataPacket;
        expect(row).toEqual(text[0]);
        const decoded = JSON.parse(String(echoed)) as [number, unknown][];
        expect(decoded.map(([type]) => type)).toEqual([
          T.MYSQL_TYPE_DOUBLE,
          T.MYSQL_TYPE_VAR_STRING,
          T.MYSQL_TYPE_NULL,
          T.MYSQL_TYPE_BLOB,
          T.MYSQL_TYPE_DOUBLE,
          T.MYSQL_TYPE_TINY,
          T.MYSQL_TYPE_DATETIME,
        ]);
        expect(decoded.map(([, value]) => value).slice(0, 6)).toEqual([42, 'ü', null, '0708', 1.25, '1n']);
        expect(String(decoded[6]?.[1])).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      }
    } finally {
      await connection.end();
    }
  });

  it('mysql2 gets OK info, errors with errno and SQLSTATE, and switches auth plugin (native and caching_sha2)', async () => {
    const connection = await connect();
    try {
      const [result] = await connection.query<mysql.ResultSetHeader>('UPDATE t SET a = 1');
      expect(result.affectedRows).toBe(3);
      expect(result.insertId).toBe(9);
      expect(result.info).toBe('Rows matched: 3  Changed: 3  Warnings: 0');
      await expect(connection.query('SELECT * FROM nope')).rejects.toMatchObject({
        errno: 1146,
        sqlState: '42S02',
        message: "Table 'db.nope' doesn't exist",
      });
      await connection.changeUser({ user: 'alice', password: 'pw' });
      await connection.ping();
    } finally {
      await connection.end();
    }
    const switched = await connect('switcher', 'sw');
    await switched.ping();
    await switched.end();
    const empty = await connect('nopass', '');
    await empty.ping();
    await empty.end();
    const modern = await connect('modern', 'sha2 pw');
    await modern.ping();
    await modern.end();
    await expect(connect('modern', 'wrong')).rejects.toMatchObject({ errno: 1045 });
    await expect(connect('alice', 'wrong')).rejects.toMatchObject({ errno: 1045, sqlState: '28000' });
  });

  it('mysql2 streams many rows and moves payloads over 16 MiB both ways', async () => {
    const connection = await connect();
    try {
      const [many] = await connection.query<RowDataPacket[]>('SELECT MANY');
      expect(many).toHaveLength(20_000);
      expect(many[19_999]).toEqual({ n: 19_999, s: 'row 19999' });
      const [huge] = await connection.query<RowDataPacket[]>('SELECT HUGE');
      expect(String(huge[0]?.h).length).toBe(17 * 1024 * 1024);
      const longQuery = `ECHO LENGTH ${'x'.repeat(17 * 1024 * 1024)}`;
      const [echoed] = await connection.query<RowDataPacket[]>(longQuery);
      expect(echoed[0]?.length).toBe(String(longQuery.length));
    } finally {
      await connection.end();
    }
  });

  const mariadbCli = ['/usr/bin/mariadb', '/usr/bin/mysql'].find((candidate) => existsSync(candidate));
  it('the mariadb command-line client logs in and prints a result set', async (context) => {
    if (mariadbCli === undefined) {
      context.skip('no mariadb or mysql client binary installed');
    }
    const run = promisify(execFile);
    const { stdout } = await run(
      mariadbCli ?? 'mariadb',
      ['--protocol=TCP', '-h', '127.0.0.1', '-P', String(port), '-u', 'alice', '-ppw', '--batch', '-e', 'SELECT TYPES'],
      { timeout: 20_000 },
    );
    // Neither mysql2 nor libmariadb 10.11 asks for CLIENT_DEPRECATE_EOF (Connector/J
    // does), so the OK-terminated result set is covered by the byte-level tests only.
    expect((session.capabilitiesSeen.at(-1) ?? 0) & CapabilityFlags.CLIENT_PROTOCOL_41).not.toBe(0);
    const [header, row] = stdout.trimEnd().split('\n');
    expect(header?.split('\t')).toEqual(TYPED_COLUMNS.map((definition) => definition.name));
    const cells = row?.split('\t');
    expect(cells?.slice(0, 17)).toEqual(TYPED_CELLS.slice(0, 17));
    expect(cells?.[17]).toBe('héllo ✓');
    expect(cells?.at(-1)).toBe('NULL');
    const failure = await run(mariadbCli ?? 'mariadb', ['--protocol=TCP', '-h', '127.0.0.1', '-P', String(port), '-u', 'alice', '-pbad', '-e', 'SELECT 1']).catch(
      (error: unknown) => error as { stderr: string },
    );
    expect(failure.stderr).toContain('1045');
  });
});
