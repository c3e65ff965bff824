// Decodes COM_STMT_EXECUTE. Its layout depends on state the server keeps per
// statement: the parameter count (from the prepare) and the parameter types of the
// previous execution, since clients send types only when the new-params-bound flag
// is set (usually the first execution, or when types change).

import { ColumnTypes, Commands } from '../constants.js';
import { PayloadReader } from '../payload-reader.js';
import { ProtocolError } from '../protocol-error.js';
import { formatDateText, formatDateTimeText, formatTimeText, readBinaryDateTime, readBinaryTime } from './temporal.js';

export interface ParamType {
  /** A ColumnTypes value. */
  readonly type: number;
  readonly unsigned: boolean;
}

/**
 * Integers as bigint (so 64-bit values stay exact), FLOAT/DOUBLE as number,
 * temporal types and DECIMAL/strings as MySQL text, BLOB-like types as bytes.
 */
export type ParamValue = null | bigint | number | string | Uint8Array;

export interface ExecuteParam extends ParamType {
  readonly value: ParamValue;
}

export interface StmtExecuteContext {
  /** Number of `?` placeholders the statement was prepared with. */
  readonly paramCount: number;
  /** Types bound by the previous execution of this statement; null before the first. */
  readonly boundTypes: readonly ParamType[] | null;
  /**
   * Data sent with COM_STMT_SEND_LONG_DATA since the last execute or reset, by
   * parameter index (chunks already concatenated). It replaces the parameter's value:
   * clients send neither a value nor a NULL bit for such parameters.
   */
  readonly longData?: ReadonlyMap<number, Uint8Array>;
}

export interface StmtExecute {
  readonly statementId: number;
  /** CursorTypes bits. */
  readonly flags: number;
  readonly iterationCount: number;
  readonly params: readonly ExecuteParam[];
  /** The types in force for this execution: keep them for the next one. */
  readonly boundTypes: readonly ParamType[];
}

const UNSIGNED_FLAG_BYTE = 0x80;

const TEXT_TYPES: ReadonlySet<number> = new Set([
  ColumnTypes.MYSQL_TYPE_DECIMAL,
  ColumnTypes.MYSQL_TYPE_NEWDECIMAL,
  ColumnTypes.MYSQL_TYPE_VARCHAR,
  ColumnTypes.MYSQL_TYPE_VAR_STRING,
  ColumnTypes.MYSQL_TYPE_STRING,
  ColumnTypes.MYSQL_TYPE_ENUM,
  ColumnTypes.MYSQL_TYPE_SET,
  ColumnTypes.MYSQL_TYPE_JSON,
]);

const BYTES_TYPES: ReadonlySet<number> = new Set([
  ColumnTypes.MYSQL_TYPE_TINY_BLOB,
  ColumnTypes.MYSQL_TYPE_MEDIUM_BLOB,
  ColumnTypes.MYSQL_TYPE_LONG_BLOB,
  ColumnTypes.MYSQL_TYPE_BLOB,
  ColumnTypes.MYSQL_TYPE_GEOMETRY,
  ColumnTypes.MYSQL_TYPE_BIT,
  ColumnTypes.MYSQL_TYPE_VECTOR,
]);

export function decodeStmtExecute(payload: Uint8Array, context: StmtExecuteContext): StmtExecute {
  const { paramCount } = context;
  const reader = new PayloadReader(payload);
  const command = reader.readInt1();
  if (command !== Commands.COM_STMT_EXECUTE) {
    throw new ProtocolError(`expected COM_STMT_EXECUTE, got command 0x${command.toString(16)}`);
  }
  const statementId = reader.readInt4();
  const flags = reader.readInt1();
  const iterationCount = reader.readInt4();
  if (paramCount === 0) {
    return { statementId, flags, iterationCount, params: [], boundTypes: [] };
  }
  const nullBitmap = reader.readBytes((paramCount + 7) >> 3);
  const newParamsBound = reader.readInt1();
  let boundTypes: readonly ParamType[];
  if (newParamsBound === 1) {
    const types: ParamType[] = [];
    for (let index = 0; index < paramCount; index++) {
      const type = reader.readInt1();
      const typeFlags = reader.readInt1();
      types.push({ type, unsigned: (typeFlags & UNSIGNED_FLAG_BYTE) !== 0 });
    }
    boundTypes = types;
  } else if (newParamsBound === 0) {
    if (context.boundTypes === null || context.boundTypes.length !== paramCount) {
      throw new ProtocolError(
        'COM_STMT_EXECUTE without parameter types, and none bound by an earlier execution',
        'wrong-arguments',
      );
    }
    boundTypes = context.boundTypes;
  } else {
    throw new ProtocolError(`invalid new-params-bound flag ${newParamsBound}`);
  }
  const params: ExecuteParam[] = [];
  for (let index = 0; index < paramCount; index++) {
    const bound = boundTypes[index];
    if (bound === undefined) {
      throw new ProtocolError(`no type for parameter ${index}`, 'wrong-arguments');
    }
    const { type, unsigned } = bound;
    const longData = context.longData?.get(index);
    let value: ParamValue;
    if (longData !== undefined) {
      value = TEXT_TYPES.has(type) ? textOrBytes(longData) : longData;
    } else if (((nullBitmap[index >> 3] ?? 0) & (1 << (index & 7))) !== 0) {
      value = null;
    } else {
      value = readParamValue(reader, type, unsigned);
    }
    params.push({ type, unsigned, value });
  }
  return { statementId, flags, iterationCount, params, boundTypes };
}

function readParamValue(reader: PayloadReader, type: number, unsigned: boolean): ParamValue {
  switch (type) {
    case ColumnTypes.MYSQL_TYPE_NULL:
      return null;
    case ColumnTypes.MYSQL_TYPE_TINY:
      return BigInt(unsigned ? reader.readInt1() : reader.readSignedInt1());
    case ColumnTypes.MYSQL_TYPE_SHORT:
    case ColumnTypes.MYSQL_TYPE_YEAR:
      return BigInt(unsigned ? reader.readInt2() : reader.readSignedInt2());
    case ColumnTypes.MYSQL_TYPE_INT24:
    case ColumnTypes.MYSQL_TYPE_LONG:
      return BigInt(unsigned ? reader.readInt4() : reader.readSignedInt4());
    case ColumnTypes.MYSQL_TYPE_LONGLONG:
      return unsigned ? reader.readInt8() : reader.readSignedInt8();
    case ColumnTypes.MYSQL_TYPE_FLOAT:
      return reader.readFloat();
    case ColumnTypes.MYSQL_TYPE_DOUBLE:
      return reader.readDouble();
    case ColumnTypes.MYSQL_TYPE_DATE:
    case ColumnTypes.MYSQL_TYPE_NEWDATE:
      // MySQL reads only the date part of a DATE parameter, whatever its length.
      return formatDateText(readBinaryDateTime(reader));
    case ColumnTypes.MYSQL_TYPE_DATETIME:
    case ColumnTypes.MYSQL_TYPE_TIMESTAMP:
      return formatDateTimeText(readBinaryDateTime(reader));
    case ColumnTypes.MYSQL_TYPE_TIME:
      return formatTimeText(readBinaryTime(reader));
    default:
      if (BYTES_TYPES.has(type)) {
        return Buffer.from(reader.readLenencBytes());
      }
      // Text types, and as MySQL does, any type code it does not know.
      return textOrBytes(reader.readLenencBytes());
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A string parameter as text when it is UTF-8, else as the bytes it is: Connector/J
 * sends setBytes() as VAR_STRING, and MySQL stores such a string's bytes unchanged in a
 * BLOB column, so bytes that are not UTF-8 must not be decoded (and mangled) as text.
 */
function textOrBytes(bytes: Uint8Array): string | Uint8Array {
  try {
    return UTF8.decode(bytes);
  } catch {
    return Buffer.from(bytes);
  }
}
