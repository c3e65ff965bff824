// Connection phase: the server's Initial Handshake (protocol version 10) and the
// client's HandshakeResponse41 or SSLRequest.

import { CapabilityFlags, hasCapability, PROTOCOL_VERSION } from '../constants.js';
import { PayloadReader } from '../payload-reader.js';
import type { PayloadWriter } from '../payload-writer.js';
import { ProtocolError } from '../protocol-error.js';

export interface InitialHandshake {
  readonly serverVersion: string;
  readonly connectionId: number;
  /** The 20-byte scramble (nonce) the client's auth response is computed from. */
  readonly authPluginData: Uint8Array;
  /** Capabilities the server offers; only ever advertise what is implemented. */
  readonly capabilities: number;
  /** Server default collation id (only its low byte is sent). */
  readonly characterSet: number;
  readonly statusFlags: number;
  readonly authPluginName: string;
}

export function writeInitialHandshake(writer: PayloadWriter, handshake: InitialHandshake): void {
  const data = handshake.authPluginData;
  if (data.length !== 20) {
    throw new RangeError(`auth plugin data must be 20 bytes, got ${data.length}`);
  }
  const capabilities = handshake.capabilities >>> 0;
  writer.writeInt1(PROTOCOL_VERSION);
  writer.writeNulTerminatedString(handshake.serverVersion);
  writer.writeInt4(handshake.connectionId);
  writer.writeBytes(data.subarray(0, 8));
  writer.writeInt1(0);
  writer.writeInt2(capabilities & 0xffff);
  writer.writeInt1(handshake.characterSet & 0xff);
  writer.writeInt2(handshake.statusFlags);
  writer.writeInt2(capabilities >>> 16);
  // 21 = 20 bytes of scramble + the NUL that ends part 2.
  writer.writeInt1(hasCapability(capabilities, CapabilityFlags.CLIENT_PLUGIN_AUTH) ? 21 : 0);
  writer.writeZeros(10);
  if (hasCapability(capabilities, CapabilityFlags.CLIENT_SECURE_CONNECTION)) {
    writer.writeBytes(data.subarray(8));
    writer.writeInt1(0);
  }
  if (hasCapability(capabilities, CapabilityFlags.CLIENT_PLUGIN_AUTH)) {
    writer.writeNulTerminatedString(handshake.authPluginName);
  }
}

/** The 32-byte request to switch to TLS, sent before the real handshake response. */
export interface SslRequest {
  readonly kind: 'ssl-request';
  readonly capabilities: number;
  readonly maxPacketSize: number;
  readonly characterSet: number;
}

export interface HandshakeResponse41 {
  readonly kind: 'handshake-response';
  /** The client's flags as sent; the negotiated set is `capabilities & serverCapabilities`. */
  readonly capabilities: number;
  readonly maxPacketSize: number;
  /** Client collation id (one byte). */
  readonly characterSet: number;
  readonly username: string;
  /** Empty when the client has no password (or sends it later after an auth switch). */
  readonly authResponse: Buffer;
  /** Present when CLIENT_CONNECT_WITH_DB is set; null otherwise. */
  readonly database: string | null;
  /** Present when CLIENT_PLUGIN_AUTH is set; null otherwise. */
  readonly authPluginName: string | null;
  /** Present when CLIENT_CONNECT_ATTRS is set; null otherwise. */
  readonly connectAttributes: ReadonlyMap<string, string> | null;
}

export type HandshakeResponse = SslRequest | HandshakeResponse41;

const FIXED_PART_LENGTH = 32;

/**
 * Decodes the client's answer to the initial handshake. Fields follow the flags the
 * client sent (mysql2 sends flags the server did not offer and lays the packet out by
 * them). Trailing optional fields a client leaves out entirely read as null, as
 * MySQL tolerates; a field cut in the middle is malformed.
 */
export function decodeHandshakeResponse(payload: Uint8Array): HandshakeResponse {
  const reader = new PayloadReader(payload);
  if (reader.remaining < 4) {
    throw new ProtocolError('handshake response too short');
  }
  const capabilities = reader.readInt4();
  if (!hasCapability(capabilities, CapabilityFlags.CLIENT_PROTOCOL_41)) {
    throw new ProtocolError('pre-4.1 clients (HandshakeResponse320) are not supported');
  }
  const maxPacketSize = reader.readInt4();
  const characterSet = reader.readInt1();
  reader.skip(23);
  if (reader.atEnd && hasCapability(capabilities, CapabilityFlags.CLIENT_SSL) && payload.length === FIXED_PART_LENGTH) {
    return { kind: 'ssl-request', capabilities, maxPacketSize, characterSet };
  }
  const username = reader.readNulTerminatedString();
  let authResponse: Buffer;
  if (hasCapability(capabilities, CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
    authResponse = reader.readLenencBytes();
  } else if (hasCapability(capabilities, CapabilityFlags.CLIENT_SECURE_CONNECTION)) {
    authResponse = reader.readBytes(reader.readInt1());
  } else {
    authResponse = reader.readNulTerminatedBytes();
  }
  const database =
    hasCapability(capabilities, CapabilityFlags.CLIENT_CONNECT_WITH_DB) && !reader.atEnd
      ? reader.readNulTerminatedString()
      : null;
  const { authPluginName, connectAttributes } = readAuthTail(reader, capabilities);
  return {
    kind: 'handshake-response',
    capabilities,
    maxPacketSize,
    characterSet,
    username,
    authResponse,
    database,
    authPluginName,
    connectAttributes,
  };
}

/**
 * The optional end of a handshake response and of COM_CHANGE_USER: the auth plugin
 * name and the connection attributes, each present only when its capability is set
 * and the client did not stop early.
 */
export function readAuthTail(
  reader: PayloadReader,
  capabilities: number,
): { authPluginName: string | null; connectAttributes: Map<string, string> | null } {
  const authPluginName =
    hasCapability(capabilities, CapabilityFlags.CLIENT_PLUGIN_AUTH) && !reader.atEnd ? reader.readNulTerminatedString() : null;
  const connectAttributes =
    hasCapability(capabilities, CapabilityFlags.CLIENT_CONNECT_ATTRS) && !reader.atEnd ? readConnectAttributes(reader) : null;
  return { authPluginName, connectAttributes };
}

/** Connection attributes: a length-encoded total, then key/value string<lenenc> pairs. */
export function readConnectAttributes(reader: PayloadReader): Map<string, string> {
  const total = reader.readLenencInt();
  if (total > reader.remaining) {
    throw new ProtocolError(`connection attributes length ${total} exceeds the ${reader.remaining} bytes left`);
  }
  const end = reader.offset + total;
  const attributes = new Map<string, string>();
  while (reader.offset < end) {
    const key = reader.readLenencString();
    const value = reader.readLenencString();
    if (reader.offset > end) {
      throw new ProtocolError('a connection attribute runs past the attributes length');
    }
    attributes.set(key, value);
  }
  return attributes;
}
