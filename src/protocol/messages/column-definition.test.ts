import { describe, expect, it } from 'vitest';

import { ColumnFlags, ColumnTypes, Collations } from '../constants.js';
import { encodePayload } from '../payload-writer.js';
import { asMysql2Packet, assertOnlyProtocolErrors, mysql2 } from '../test-support.js';
import {
  decodeColumnDefinition,
  PLACEHOLDER_PARAMETER,
  writeColumnCount,
  writeColumnDefinition,
  writeFieldListColumnDefinition,
  type ColumnDefinition,
} from './column-definition.js';

const hex = (text: string): string => text.replace(/\s+/g, '');

const versionComment: ColumnDefinition = {
  schema: '',
  table: '',
  orgTable: '',
  name: '@@version_comment',
  orgName: '',
  characterSet: Collations.latin1_swedish_ci,
  columnLength: 28,
  type: ColumnTypes.MYSQL_TYPE_VAR_STRING,
  flags: 0,
  decimals: 0x1f,
};

const idColumn: ColumnDefinition = {
  schema: 'shop',
  table: 'o',
  orgTable: 'orders',
  name: 'id',
  orgName: 'order_id',
  characterSet: Collations.binary,
  columnLength: 20,
  type: ColumnTypes.MYSQL_TYPE_LONGLONG,
  flags: ColumnFlags.NOT_NULL_FLAG | ColumnFlags.PRI_KEY_FLAG | ColumnFlags.UNSIGNED_FLAG | ColumnFlags.NUM_FLAG,
  decimals: 0,
};

describe('column definitions', () => {
  it('match the protocol manual example', () => {
    expect(encodePayload(writeColumnDefinition, versionComment).toString('hex')).toBe(
      hex(`03 64 65 66 00 00 00 11 40 40 76 65 72 73 69 6f 6e 5f 63 6f 6d 6d 65 6e 74 00 0c 08
           00 1c 00 00 00 fd 00 00 1f 00 00`),
    );
  });

  it('decode back to the same definition, with catalog "def"', () => {
    const payload = encodePayload(writeColumnDefinition, idColumn);
    expect(decodeColumnDefinition(payload)).toEqual({ catalog: 'def', ...idColumn });
  });

  it('are read by mysql2’s client', () => {
    const name = 'prix_€';
    const parsed = new mysql2.ColumnDefinition(
      asMysql2Packet(encodePayload(writeColumnDefinition, { ...idColumn, name, characterSet: Collations.utf8mb4_0900_ai_ci })),
      'utf8',
    );
    expect(parsed.name).toBe(name);
    expect(parsed.schema).toBe('shop');
    expect(parsed.table).toBe('o');
    expect(parsed.orgTable).toBe('orders');
    expect(parsed.orgName).toBe('order_id');
    expect(parsed.characterSet).toBe(255);
    expect(parsed.columnLength).toBe(20);
    expect(parsed.columnType).toBe(ColumnTypes.MYSQL_TYPE_LONGLONG);
    expect(parsed.flags).toBe(idColumn.flags);
    expect(parsed.decimals).toBe(0);
  });

  it('add a lenenc default value for COM_FIELD_LIST, 0xFB when there is none', () => {
    const withDefault = encodePayload(writeFieldListColumnDefinition, idColumn, '0');
    const plain = encodePayload(writeColumnDefinition, idColumn);
    expect(withDefault.subarray(0, plain.length).equals(plain)).toBe(true);
    expect(withDefault.subarray(plain.length).toString('hex')).toBe('0130');
    const withNull = encodePayload(writeFieldListColumnDefinition, idColumn, null);
    expect(withNull.subarray(plain.length).toString('hex')).toBe('fb');
  });

  it('describe untyped placeholders as binary VAR_STRING named "?"', () => {
    const parsed = decodeColumnDefinition(encodePayload(writeColumnDefinition, PLACEHOLDER_PARAMETER));
    expect(parsed).toMatchObject({ name: '?', type: 253, characterSet: 63, flags: ColumnFlags.BINARY_FLAG });
  });

  it('write the column count as a lenenc integer', () => {
    expect(encodePayload(writeColumnCount, 3).toString('hex')).toBe('03');
    expect(encodePayload(writeColumnCount, 300).toString('hex')).toBe('fc2c01');
  });

  it('fail to decode only with ProtocolError', () => {
    const payload = encodePayload(writeColumnDefinition, idColumn);
    expect(assertOnlyProtocolErrors(payload, decodeColumnDefinition)).toBeGreaterThan(payload.length);
    const bad = Buffer.from(payload);
    bad[bad.indexOf(0x0c, 20)] = 0x0d;
    expect(() => decodeColumnDefinition(bad)).toThrow(/fixed part/);
  });
});
