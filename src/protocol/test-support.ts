// Test-only bridge to mysql2's client packet classes (imported by *.test.ts only):
// the bytes a real client produces and the reader a real client uses are the
// reference the codec is checked against.

import { createRequire } from 'node:module';
import path from 'node:path';

import { ProtocolError } from './protocol-error.js';

const require = createRequire(import.meta.url);
// mysql2's package "exports" hide lib/, so its files are loaded by path.
const mysql2Root = path.dirname(require.resolve('mysql2'));
const load = (file: string): unknown => require(path.join(mysql2Root, 'lib', file));

/** The subset of mysql2's Packet the tests use. */
export interface Mysql2Packet {
  readonly buffer: Buffer;
  offset: number;
  readonly end: number;
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readSInt8(): number;
  readSInt16(): number;
  readSInt32(): number;
  readInt64String(): string;
  readSInt64String(): string;
  readFloat(): number;
  readDouble(): number;
  readLengthCodedNumber(): number | null;
  readLengthCodedString(encoding: string): string | null;
  readLengthCodedBuffer(): Buffer | null;
  readDateTimeString(decimals: number, timeSep: string | null, columnType: number | null): string;
  readTimeString(): string;
  readNullTerminatedString(encoding: string): string;
  readString(length: number | undefined, encoding: string): string;
  readBuffer(length?: number): Buffer;
  asError(encoding: string): Error & { readonly errno: number; readonly sqlState: string };
}

interface Mysql2Serializable {
  toPacket(sequenceId?: number): Mysql2Packet;
}

interface Ctor<Args extends unknown[], T> {
  new (...args: Args): T;
}

export interface Mysql2Handshake {
  readonly protocolVersion: number;
  readonly serverVersion: string;
  readonly capabilityFlags: number;
  readonly connectionId: number;
  readonly authPluginData1: Buffer;
  readonly authPluginData2: Buffer;
  readonly characterSet: number;
  readonly statusFlags: number;
  readonly authPluginName: string;
}

export interface Mysql2ColumnDefinition {
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  readonly orgTable: string;
  readonly orgName: string;
  readonly characterSet: number;
  readonly columnLength: number;
  readonly columnType: number;
  readonly flags: number;
  readonly decimals: number;
}

export interface Mysql2ResultSetHeader {
  readonly affectedRows: number;
  readonly insertId: number;
  readonly serverStatus: number;
  readonly warningStatus: number;
  readonly info: string;
  /** Parsed by mysql2 from the info text ("Changed: N"). */
  readonly changedRows: number;
}

/** A mysql2 TypedParameter (what `mysql.types.X(value)` builds). */
export type Mysql2TypedParameter = object;
type TypedFactory = ((value: unknown) => Mysql2TypedParameter) & { unsigned?: (value: unknown) => Mysql2TypedParameter };

export const mysql2 = {
  Packet: load('packets/packet.js') as Ctor<[number, Buffer, number, number], Mysql2Packet>,
  Handshake: load('packets/handshake.js') as { fromPacket(packet: Mysql2Packet): Mysql2Handshake },
  HandshakeResponse: load('packets/handshake_response.js') as Ctor<[Record<string, unknown>], Mysql2Serializable>,
  SSLRequest: load('packets/ssl_request.js') as Ctor<[number, number], Mysql2Serializable>,
  ChangeUser: load('packets/change_user.js') as Ctor<[Record<string, unknown>], Mysql2Serializable>,
  Query: load('packets/query.js') as Ctor<[string, number], Mysql2Serializable>,
  PrepareStatement: load('packets/prepare_statement.js') as Ctor<[string, number], Mysql2Serializable>,
  CloseStatement: load('packets/close_statement.js') as Ctor<[number], Mysql2Serializable>,
  ResetConnection: load('packets/reset_connection.js') as Ctor<[], Mysql2Serializable>,
  Execute: load('packets/execute.js') as Ctor<[number, unknown[], number, string], Mysql2Serializable>,
  ColumnDefinition: load('packets/column_definition.js') as Ctor<[Mysql2Packet, string], Mysql2ColumnDefinition>,
  ResultSetHeader: load('packets/resultset_header.js') as Ctor<
    [Mysql2Packet, { config: Record<string, unknown>; serverEncoding: string; _handshakePacket: { capabilityFlags: number } }],
    Mysql2ResultSetHeader
  >,
  types: (load('packets/typed_parameter.js') as { types: Record<string, TypedFactory> }).types,
  clientFlags: load('constants/client.js') as Record<string, number>,
  nativePasswordToken: (load('auth_41.js') as { calculateToken: (password: string, scramble1: Buffer, scramble2: Buffer) => Buffer })
    .calculateToken,
  cachingSha2Token: (load('auth_plugins/caching_sha2_password.js') as { calculateToken: (password: string, scramble: Buffer) => Buffer })
    .calculateToken,
  cachingSha2Encrypt,
};

interface Mysql2AuthPacket<T> {
  fromPacket(packet: Mysql2Packet): T;
}

/** mysql2's readers of the server's authentication packets. */
export const mysql2Auth = {
  AuthSwitchRequest: load('packets/auth_switch_request.js') as Mysql2AuthPacket<{ readonly pluginName: string; readonly pluginData: Buffer }>,
  AuthSwitchRequestMoreData: load('packets/auth_switch_request_more_data.js') as Mysql2AuthPacket<{ readonly data: Buffer }> & {
    verifyMarker(packet: Mysql2Packet): boolean;
  },
};

type Mysql2AuthStep = (data: Buffer) => Buffer | null;
type Mysql2AuthPlugin = (options: object) => (context: { connection: { config: { password: string; ssl: boolean } } }) => Mysql2AuthStep;

/**
 * What mysql2's caching_sha2_password plugin sends on a plain connection when the
 * server asks for full authentication: it requests the public key (0x02), then
 * encrypts the password with the PEM it receives.
 */
function cachingSha2Encrypt(password: string, scramble: Buffer, publicKeyPem: string): Buffer {
  const plugin = load('auth_plugins/caching_sha2_password.js') as Mysql2AuthPlugin;
  const step = plugin({})({ connection: { config: { password, ssl: false } } });
  step(scramble);
  const request = step(Buffer.of(0x04));
  if (request === null || !request.equals(Buffer.of(0x02))) {
    throw new Error('mysql2 did not ask for the public key');
  }
  const encrypted = step(Buffer.from(publicKeyPem));
  if (encrypted === null) {
    throw new Error('mysql2 sent nothing after the public key');
  }
  return encrypted;
}

/** The payload of a packet mysql2 serialized (its buffer starts with the 4-byte header). */
export function payloadOf(packet: Mysql2Packet): Buffer {
  return Buffer.from(packet.buffer.subarray(4, packet.end));
}

/** Wraps a payload the codec produced so mysql2's reader can parse it. */
export function asMysql2Packet(payload: Uint8Array): Mysql2Packet {
  const buffer = Buffer.concat([Buffer.alloc(4), payload]);
  return new mysql2.Packet(0, buffer, 0, buffer.length);
}

/** A mysql2 typed parameter factory by type name (TINY, LONGLONG, DATETIME, ...). */
export function typed(name: string, value: unknown, unsigned = false): Mysql2TypedParameter {
  const factory = mysql2.types[name];
  if (factory === undefined) {
    throw new Error(`mysql2 has no typed parameter ${name}`);
  }
  if (!unsigned) {
    return factory(value);
  }
  if (factory.unsigned === undefined) {
    throw new Error(`mysql2 typed parameter ${name} has no unsigned form`);
  }
  return factory.unsigned(value);
}

/**
 * Runs `decode` on every truncation of `payload` and on single-byte corruptions of
 * it: each must either succeed or throw ProtocolError. Returns how many threw.
 */
export function assertOnlyProtocolErrors(payload: Uint8Array, decode: (bytes: Buffer) => unknown): number {
  let thrown = 0;
  const attempt = (bytes: Buffer): void => {
    try {
      decode(bytes);
    } catch (error) {
      if (!(error instanceof ProtocolError)) {
        throw new Error(`non-ProtocolError for ${bytes.toString('hex')}: ${String(error)}`, { cause: error });
      }
      thrown++;
    }
  };
  for (let length = 0; length < payload.length; length++) {
    attempt(Buffer.from(payload.subarray(0, length)));
  }
  for (let index = 0; index < payload.length; index++) {
    for (const byte of [0x00, 0x7f, 0xfb, 0xfc, 0xfe, 0xff]) {
      const corrupted = Buffer.from(payload);
      corrupted[index] = byte;
      attempt(corrupted);
    }
  }
  return thrown;
}
