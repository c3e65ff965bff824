// Result set metadata: the column count packet and ColumnDefinition41, which also
// describes prepared statement parameters and COM_FIELD_LIST columns.

import { ColumnFlags, Collations, ColumnTypes } from '../constants.js';
import { PayloadReader } from '../payload-reader.js';
import type { PayloadWriter } from '../payload-writer.js';
import { ProtocolError } from '../protocol-error.js';

export interface ColumnDefinition {
  readonly schema: string;
  /** Table alias as written in the query. */
  readonly table: string;
  /** Physical table name. */
  readonly orgTable: string;
  /** Column alias (what clients key rows by). */
  readonly name: string;
  /** Physical column name. */
  readonly orgName: string;
  /** Collation id; 63 (binary) for numbers, dates and BLOBs. */
  readonly characterSet: number;
  /** Maximum display length in bytes. */
  readonly columnLength: number;
  /** A ColumnTypes value. */
  readonly type: number;
  /** ColumnFlags bits. */
  readonly flags: number;
  /** Digits after the point: 0x00 for integers and static strings, 0x1f for dynamic strings and floats. */
  readonly decimals: number;
}

/** A decoded column definition, with the catalog a server always sends as "def". */
export interface DecodedColumnDefinition extends ColumnDefinition {
  readonly catalog: string;
}

/** The first packet of a result set: the number of columns. */
export function writeColumnCount(writer: PayloadWriter, count: number): void {
  writer.writeLenencInt(count);
}

export function writeColumnDefinition(writer: PayloadWriter, column: ColumnDefinition): void {
  writer.writeLenencString('def');
  writer.writeLenencString(column.schema);
  writer.writeLenencString(column.table);
  writer.writeLenencString(column.orgTable);
  writer.writeLenencString(column.name);
  writer.writeLenencString(column.orgName);
  // Length of the fixed-length fields that follow.
  writer.writeLenencInt(0x0c);
  writer.writeInt2(column.characterSet);
  writer.writeInt4(column.columnLength);
  writer.writeInt1(column.type);
  writer.writeInt2(column.flags);
  writer.writeInt1(column.decimals);
  writer.writeZeros(2);
}

/**
 * A column of a COM_FIELD_LIST response: the definition followed by the column's
 * default value as a text-protocol value (NULL when it has none).
 */
export function writeFieldListColumnDefinition(
  writer: PayloadWriter,
  column: ColumnDefinition,
  defaultValue: string | null,
): void {
  writeColumnDefinition(writer, column);
  if (defaultValue === null) {
    writer.writeLenencNull();
  } else {
    writer.writeLenencString(defaultValue);
  }
}

export function decodeColumnDefinition(payload: Uint8Array): DecodedColumnDefinition {
  const reader = new PayloadReader(payload);
  const catalog = reader.readLenencString();
  const schema = reader.readLenencString();
  const table = reader.readLenencString();
  const orgTable = reader.readLenencString();
  const name = reader.readLenencString();
  const orgName = reader.readLenencString();
  const fixedLength = reader.readLenencInt();
  if (fixedLength !== 0x0c) {
    throw new ProtocolError(`column definition fixed part is ${fixedLength} bytes, expected 12`);
  }
  const characterSet = reader.readInt2();
  const columnLength = reader.readInt4();
  const type = reader.readInt1();
  const flags = reader.readInt2();
  const decimals = reader.readInt1();
  reader.skip(2);
  return { catalog, schema, table, orgTable, name, orgName, characterSet, columnLength, type, flags, decimals };
}

/**
 * How ducksafe describes a `?` placeholder in a COM_STMT_PREPARE response, as MySQL
 * does when it cannot infer a type: a binary VAR_STRING named "?".
 */
export const PLACEHOLDER_PARAMETER: ColumnDefinition = Object.freeze({
  schema: '',
  table: '',
  orgTable: '',
  name: '?',
  orgName: '',
  characterSet: Collations.binary,
  columnLength: 0,
  type: ColumnTypes.MYSQL_TYPE_VAR_STRING,
  flags: ColumnFlags.BINARY_FLAG,
  decimals: 0,
});
