// Decodes a command payload (the first payload of every exchange after the
// handshake) into a typed value. COM_STMT_EXECUTE is only identified here: its body
// needs the statement's parameter count, which the server looks up before calling
// decodeStmtExecute.

import { CapabilityFlags, Commands, hasCapability } from '../constants.js';
import { PayloadReader } from '../payload-reader.js';
import { ProtocolError } from '../protocol-error.js';
import { decodeQueryText } from '../query-text.js';
import { readAuthTail } from './handshake.js';

export interface ChangeUser {
  readonly kind: 'COM_CHANGE_USER';
  readonly username: string;
  readonly authResponse: Buffer;
  readonly schema: string;
  /** Collation id; null when the client left it out. */
  readonly characterSet: number | null;
  /** Null when CLIENT_PLUGIN_AUTH is not set or the client left it out. */
  readonly authPluginName: string | null;
  /** Null when CLIENT_CONNECT_ATTRS is not set or the client left them out. */
  readonly connectAttributes: ReadonlyMap<string, string> | null;
}

export type ClientCommand =
  | { readonly kind: 'COM_QUIT' }
  | { readonly kind: 'COM_INIT_DB'; readonly schema: string }
  /** The text only: CLIENT_QUERY_ATTRIBUTES, which changes this layout, is never advertised. */
  | { readonly kind: 'COM_QUERY'; readonly query: string }
  | { readonly kind: 'COM_FIELD_LIST'; readonly table: string; readonly wildcard: string }
  | { readonly kind: 'COM_STATISTICS' }
  | { readonly kind: 'COM_PROCESS_KILL'; readonly connectionId: number }
  | { readonly kind: 'COM_DEBUG' }
  | { readonly kind: 'COM_PING' }
  | ChangeUser
  | { readonly kind: 'COM_STMT_PREPARE'; readonly query: string }
  | { readonly kind: 'COM_STMT_EXECUTE'; readonly statementId: number }
  | {
      readonly kind: 'COM_STMT_SEND_LONG_DATA';
      readonly statementId: number;
      readonly paramId: number;
      readonly data: Buffer;
    }
  | { readonly kind: 'COM_STMT_CLOSE'; readonly statementId: number }
  | { readonly kind: 'COM_STMT_RESET'; readonly statementId: number }
  /** A SetOptions value. */
  | { readonly kind: 'COM_SET_OPTION'; readonly option: number }
  | { readonly kind: 'COM_STMT_FETCH'; readonly statementId: number; readonly rowCount: number }
  | { readonly kind: 'COM_RESET_CONNECTION' }
  /** Any other command byte (deprecated or replication commands): answer ER_UNKNOWN_COM_ERROR. */
  | { readonly kind: 'unknown'; readonly command: number };

export type ClientCommandKind = ClientCommand['kind'];

/**
 * @param capabilities the negotiated capabilities; only COM_CHANGE_USER depends on them.
 * @param decodeStatement how statement text (COM_QUERY, COM_STMT_PREPARE) is read: in
 * the client's character set (charsets.ts), UTF-8 by default.
 * Trailing bytes after a command's fields are ignored, as MySQL does.
 */
export function decodeCommand(payload: Uint8Array, capabilities: number, decodeStatement: (bytes: Uint8Array) => string = decodeQueryText): ClientCommand {
  const reader = new PayloadReader(payload);
  if (reader.atEnd) {
    throw new ProtocolError('empty command packet');
  }
  const command = reader.readInt1();
  switch (command) {
    case Commands.COM_QUIT:
      return { kind: 'COM_QUIT' };
    case Commands.COM_INIT_DB:
      return { kind: 'COM_INIT_DB', schema: reader.readRestString() };
    case Commands.COM_QUERY:
      return { kind: 'COM_QUERY', query: decodeStatement(reader.readRestBytes()) };
    case Commands.COM_FIELD_LIST:
      return { kind: 'COM_FIELD_LIST', table: reader.readNulTerminatedString(), wildcard: reader.readRestString() };
    case Commands.COM_STATISTICS:
      return { kind: 'COM_STATISTICS' };
    case Commands.COM_PROCESS_KILL:
      return { kind: 'COM_PROCESS_KILL', connectionId: reader.readInt4() };
    case Commands.COM_DEBUG:
      return { kind: 'COM_DEBUG' };
    case Commands.COM_PING:
      return { kind: 'COM_PING' };
    case Commands.COM_CHANGE_USER:
      return decodeChangeUser(reader, capabilities);
    case Commands.COM_STMT_PREPARE:
      return { kind: 'COM_STMT_PREPARE', query: decodeStatement(reader.readRestBytes()) };
    case Commands.COM_STMT_EXECUTE:
      return { kind: 'COM_STMT_EXECUTE', statementId: reader.readInt4() };
    case Commands.COM_STMT_SEND_LONG_DATA:
      return {
        kind: 'COM_STMT_SEND_LONG_DATA',
        statementId: reader.readInt4(),
        paramId: reader.readInt2(),
        data: reader.readRestBytes(),
      };
    case Commands.COM_STMT_CLOSE:
      return { kind: 'COM_STMT_CLOSE', statementId: reader.readInt4() };
    case Commands.COM_STMT_RESET:
      return { kind: 'COM_STMT_RESET', statementId: reader.readInt4() };
    case Commands.COM_SET_OPTION:
      return { kind: 'COM_SET_OPTION', option: reader.readInt2() };
    case Commands.COM_STMT_FETCH:
      return { kind: 'COM_STMT_FETCH', statementId: reader.readInt4(), rowCount: reader.readInt4() };
    case Commands.COM_RESET_CONNECTION:
      return { kind: 'COM_RESET_CONNECTION' };
    default:
      return { kind: 'unknown', command };
  }
}

function decodeChangeUser(reader: PayloadReader, capabilities: number): ChangeUser {
  const username = reader.readNulTerminatedString();
  const authResponse = hasCapability(capabilities, CapabilityFlags.CLIENT_SECURE_CONNECTION)
    ? reader.readBytes(reader.readInt1())
    : reader.readNulTerminatedBytes();
  const schema = reader.readNulTerminatedString();
  // Every field from here on is optional in practice: old clients stop early.
  const characterSet = reader.remaining >= 2 ? reader.readInt2() : null;
  const { authPluginName, connectAttributes } = readAuthTail(reader, capabilities);
  return { kind: 'COM_CHANGE_USER', username, authResponse, schema, characterSet, authPluginName, connectAttributes };
}
