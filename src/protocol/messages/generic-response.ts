// The generic responses: OK, ERR and EOF packets. Their layout depends on the
// negotiated capabilities (client flags & server flags), which every writer takes.

import { CapabilityFlags, hasCapability, ResponseHeaders, ServerStatus } from '../constants.js';
import type { PayloadWriter } from '../payload-writer.js';

export interface OkPacket {
  /** Default 0. */
  readonly affectedRows?: number | bigint;
  /** Default 0. */
  readonly lastInsertId?: number | bigint;
  readonly statusFlags: number;
  /** Default 0. */
  readonly warnings?: number;
  /** Human-readable info ("Rows matched: 1  Changed: 1  Warnings: 0"). Default empty. */
  readonly info?: string;
  /**
   * True for the OK that ends a result set under CLIENT_DEPRECATE_EOF: it carries
   * the 0xFE header instead of 0x00.
   */
  readonly endsResultSet?: boolean;
}

export function writeOk(writer: PayloadWriter, ok: OkPacket, capabilities: number): void {
  if ((ok.statusFlags & ServerStatus.SERVER_SESSION_STATE_CHANGED) !== 0) {
    // The session-state block that this flag announces is not encoded, and a client
    // that sees the flag would read garbage.
    throw new RangeError('SERVER_SESSION_STATE_CHANGED is not supported by writeOk');
  }
  writer.writeInt1(ok.endsResultSet === true ? ResponseHeaders.EOF : ResponseHeaders.OK);
  writer.writeLenencInt(ok.affectedRows ?? 0);
  writer.writeLenencInt(ok.lastInsertId ?? 0);
  if (hasCapability(capabilities, CapabilityFlags.CLIENT_PROTOCOL_41)) {
    writer.writeInt2(ok.statusFlags);
    writer.writeInt2(ok.warnings ?? 0);
  } else if (hasCapability(capabilities, CapabilityFlags.CLIENT_TRANSACTIONS)) {
    writer.writeInt2(ok.statusFlags);
  }
  const info = ok.info ?? '';
  if (hasCapability(capabilities, CapabilityFlags.CLIENT_SESSION_TRACK) || hasCapability(capabilities, CapabilityFlags.CLIENT_PROTOCOL_41)) {
    // As MySQL does (net_send_ok stores it with net_store_data): the info is
    // length-encoded and left out entirely when empty. MariaDB Connector/C (the
    // mariadb CLI) and PHP's mysqlnd read it so and call a bare string malformed.
    if (info.length > 0) {
      writer.writeLenencString(info);
    }
  } else {
    writer.writeString(info);
  }
}

export interface ErrPacket {
  readonly errno: number;
  /** Five characters, e.g. '42S02'. */
  readonly sqlState: string;
  readonly message: string;
}

const SQL_STATE = /^[0-9A-Z]{5}$/;

export function writeErr(writer: PayloadWriter, err: ErrPacket, capabilities: number): void {
  if (!SQL_STATE.test(err.sqlState)) {
    throw new RangeError(`SQLSTATE must be 5 characters [0-9A-Z], got '${err.sqlState}'`);
  }
  writer.writeInt1(ResponseHeaders.ERR);
  writer.writeInt2(err.errno);
  if (hasCapability(capabilities, CapabilityFlags.CLIENT_PROTOCOL_41)) {
    writer.writeString('#');
    writer.writeString(err.sqlState);
  }
  writer.writeString(err.message);
}

export interface EofPacket {
  readonly statusFlags: number;
  /** Default 0. */
  readonly warnings?: number;
}

export function writeEof(writer: PayloadWriter, eof: EofPacket, capabilities: number): void {
  writer.writeInt1(ResponseHeaders.EOF);
  if (hasCapability(capabilities, CapabilityFlags.CLIENT_PROTOCOL_41)) {
    writer.writeInt2(eof.warnings ?? 0);
    writer.writeInt2(eof.statusFlags);
  }
}
