// The public API of the MySQL protocol codec. Pure: bytes in, typed values out, and back.

export * from './constants.js';
export { ProtocolError, PROTOCOL_ERROR_KINDS, type ProtocolErrorKind } from './protocol-error.js';
export { PayloadWriter, encodePayload } from './payload-writer.js';
export { PayloadReader } from './payload-reader.js';
export { decodeQueryText, RAW_BYTE_ESCAPE_BASE } from './query-text.js';
export { charsetOfCollation, decodeText, defaultCollationId, encodeText, isUtf8, isWireCharset, WIRE_CHARSETS, type WireCharset } from './charsets.js';
export { PacketDecoder, type DecodedPayload, type PacketDecoderOptions } from './packet-decoder.js';
export { encodePackets, type EncodedPackets } from './encode-packets.js';
export { PacketBatch, type PacketBatchOptions } from './packet-batch.js';

export {
  writeInitialHandshake,
  decodeHandshakeResponse,
  type InitialHandshake,
  type HandshakeResponse,
  type HandshakeResponse41,
  type SslRequest,
} from './messages/handshake.js';
export { writeAuthSwitchRequest, writeAuthMoreData, isPublicKeyRequest, type AuthSwitchRequest } from './messages/auth.js';
export { writeOk, writeErr, writeEof, type OkPacket, type ErrPacket, type EofPacket } from './messages/generic-response.js';
export {
  writeColumnCount,
  writeColumnDefinition,
  writeFieldListColumnDefinition,
  decodeColumnDefinition,
  PLACEHOLDER_PARAMETER,
  type ColumnDefinition,
  type DecodedColumnDefinition,
} from './messages/column-definition.js';
export { writeTextRow, type TextCell } from './messages/text-row.js';
export { writeLocalInfileRequest } from './messages/local-infile.js';
export { writeBinaryRow, type BinaryColumn } from './messages/binary-row.js';
export {
  addResultSetMetadata,
  addResultSetEnd,
  addColumnDefinitions,
  type ResultSetStatus,
} from './messages/result-set.js';
export {
  writeStmtPrepareOk,
  addStmtPrepareResponse,
  type StmtPrepareOk,
  type StmtPrepareResponse,
} from './messages/stmt-prepare.js';
export { decodeCommand, type ClientCommand, type ClientCommandKind, type ChangeUser } from './messages/command.js';
export {
  decodeStmtExecute,
  type StmtExecute,
  type StmtExecuteContext,
  type ExecuteParam,
  type ParamType,
  type ParamValue,
} from './messages/stmt-execute.js';

export { generateScramble } from './auth/scramble.js';
export { nativePasswordHash, verifyNativePassword, nativePasswordToken } from './auth/native-password.js';
export {
  CachingSha2Status,
  cachingSha2PasswordHash,
  verifyCachingSha2Password,
  cachingSha2PasswordToken,
  cachingSha2Verifier,
  isCachingSha2Verifier,
  checkCachingSha2Verifier,
  cleartextPassword,
  decryptRsaPassword,
  encryptRsaPassword,
} from './auth/caching-sha2-password.js';
