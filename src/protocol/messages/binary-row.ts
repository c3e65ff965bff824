// A row of a binary-protocol result set (COM_STMT_EXECUTE). The engine gives every
// cell in MySQL text form; each non-NULL cell is encoded by its column's type:
// integers fixed-width, FLOAT/DOUBLE as IEEE floats, dates and times in their
// compact binary forms, everything else (DECIMAL, strings, BLOBs, JSON) as
// string<lenenc>. A cell that its column type cannot hold is a caller bug and
// throws TypeError (PacketBatch.add then leaves the batch untouched).

import { ColumnFlags, ColumnTypes } from '../constants.js';
import type { PayloadWriter } from '../payload-writer.js';
import { parseDateTimeText, parseTimeText, writeBinaryDateTime, writeBinaryTime } from './temporal.js';
import type { TextCell } from './text-row.js';

/** What the binary encoding needs of a column: a ColumnDefinition fits. */
export interface BinaryColumn {
  readonly type: number;
  readonly flags: number;
}

const INTEGER_TEXT = /^-?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY_TEXT = /^([+-]?)inf(?:inity)?$/i;
const NAN_TEXT = /^[+-]?nan$/i;

export function writeBinaryRow(writer: PayloadWriter, columns: readonly BinaryColumn[], cells: readonly TextCell[]): void {
  if (cells.length !== columns.length) {
    throw new RangeError(`binary row has ${cells.length} cells for ${columns.length} columns`);
  }
  writer.writeInt1(0x00);
  // The NULL bitmap of result rows starts at bit 2 (the first two bits are reserved).
  const bitmapLength = (columns.length + 7 + 2) >> 3;
  for (let byte = 0; byte < bitmapLength; byte++) {
    let bits = 0;
    for (let bit = 0; bit < 8; bit++) {
      const index = byte * 8 + bit - 2;
      if (index >= 0 && index < cells.length && cells[index] === null) {
        bits |= 1 << bit;
      }
    }
    writer.writeInt1(bits);
  }
  for (let index = 0; index < columns.length; index++) {
    const cell = cells[index];
    const column = columns[index];
    if (cell === null || cell === undefined || column === undefined) {
      continue;
    }
    writeBinaryValue(writer, column, cell, index);
  }
}

function writeBinaryValue(writer: PayloadWriter, column: BinaryColumn, cell: string | Uint8Array, index: number): void {
  switch (column.type) {
    case ColumnTypes.MYSQL_TYPE_TINY:
      writer.writeInt1(Number(parseInteger(cell, column, 1, index)));
      return;
    case ColumnTypes.MYSQL_TYPE_SHORT:
    case ColumnTypes.MYSQL_TYPE_YEAR:
      writer.writeInt2(Number(parseInteger(cell, column, 2, index)));
      return;
    // INT24 travels in 4 bytes in the binary protocol.
    case ColumnTypes.MYSQL_TYPE_INT24:
    case ColumnTypes.MYSQL_TYPE_LONG:
      writer.writeInt4(Number(parseInteger(cell, column, 4, index)));
      return;
    case ColumnTypes.MYSQL_TYPE_LONGLONG:
      writer.writeInt8(parseInteger(cell, column, 8, index));
      return;
    case ColumnTypes.MYSQL_TYPE_FLOAT:
      writer.writeFloat(parseFloatText(cell, column, index));
      return;
    case ColumnTypes.MYSQL_TYPE_DOUBLE:
      writer.writeDouble(parseFloatText(cell, column, index));
      return;
    case ColumnTypes.MYSQL_TYPE_DATE:
    case ColumnTypes.MYSQL_TYPE_DATETIME:
    case ColumnTypes.MYSQL_TYPE_TIMESTAMP:
    case ColumnTypes.MYSQL_TYPE_NEWDATE: {
      const parts = parseDateTimeText(asText(cell));
      if (parts === null || parts.year > 9999) {
        throw unencodable(cell, column, index);
      }
      writeBinaryDateTime(writer, parts);
      return;
    }
    case ColumnTypes.MYSQL_TYPE_TIME: {
      const parts = parseTimeText(asText(cell));
      if (parts === null) {
        throw unencodable(cell, column, index);
      }
      writeBinaryTime(writer, parts);
      return;
    }
    default:
      if (typeof cell === 'string') {
        writer.writeLenencString(cell);
      } else {
        writer.writeLenencBytes(cell);
      }
  }
}

// Numbers while they are exact (15 digits at most), bigint beyond.
function parseInteger(
  cell: string | Uint8Array,
  column: BinaryColumn,
  bytes: 1 | 2 | 4 | 8,
  index: number,
): number | bigint {
  const text = asText(cell);
  if (!INTEGER_TEXT.test(text)) {
    throw unencodable(cell, column, index);
  }
  const unsigned = (column.flags & ColumnFlags.UNSIGNED_FLAG) !== 0;
  if (text.length <= 15) {
    const value = Number(text);
    const bits = bytes * 8;
    const min = unsigned ? 0 : -(2 ** (bits - 1));
    const max = unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
    if (value < min || value > max) {
      throw unencodable(cell, column, index);
    }
    return value;
  }
  const value = BigInt(text);
  const bits = BigInt(bytes * 8);
  const min = unsigned ? 0n : -(1n << (bits - 1n));
  const max = unsigned ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
  if (value < min || value > max) {
    throw unencodable(cell, column, index);
  }
  return value;
}

function parseFloatText(cell: string | Uint8Array, column: BinaryColumn, index: number): number {
  const text = asText(cell);
  if (FLOAT_TEXT.test(text)) {
    return Number(text);
  }
  const infinity = INFINITY_TEXT.exec(text);
  if (infinity !== null) {
    return infinity[1] === '-' ? -Infinity : Infinity;
  }
  if (NAN_TEXT.test(text)) {
    return NaN;
  }
  throw unencodable(cell, column, index);
}

function asText(cell: string | Uint8Array): string {
  return typeof cell === 'string' ? cell : Buffer.from(cell.buffer, cell.byteOffset, cell.byteLength).toString('latin1');
}

function unencodable(cell: string | Uint8Array, column: BinaryColumn, index: number): TypeError {
  const shown = asText(cell);
  const text = shown.length > 64 ? `${shown.slice(0, 64)}...` : shown;
  return new TypeError(
    `binary row: column ${index} of type 0x${column.type.toString(16)} cannot hold ${JSON.stringify(text)}`,
  );
}
