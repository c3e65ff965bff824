import { describe, expect, it } from 'vitest';

import { ColumnFlags, ColumnTypes as T } from '../constants.js';
import { PacketBatch } from '../packet-batch.js';
import { encodePayload } from '../payload-writer.js';
import { asMysql2Packet } from '../test-support.js';
import { writeBinaryRow, type BinaryColumn } from './binary-row.js';
import type { TextCell } from './text-row.js';

const U = ColumnFlags.UNSIGNED_FLAG;
const hex = (text: string): string => text.replace(/\s+/g, '');

/** The bytes of one non-NULL cell: the row minus its 0x00 header and 1-byte NULL bitmap. */
function cellBytes(type: number, cell: TextCell, flags = 0): string {
  const payload = encodePayload(writeBinaryRow, [{ type, flags }], [cell]);
  expect(payload.subarray(0, 2).toString('hex')).toBe('0000');
  return payload.subarray(2).toString('hex');
}

describe('writeBinaryRow', () => {
  it('matches the protocol manual example row', () => {
    expect(encodePayload(writeBinaryRow, [{ type: T.MYSQL_TYPE_VAR_STRING, flags: 0 }], ['foobar']).toString('hex')).toBe(
      hex('00 00 06 66 6f 6f 62 61 72'),
    );
  });

  it('encodes integer types fixed-width, signed and unsigned, at their edges', () => {
    const cases: [number, string, number, string][] = [
      [T.MYSQL_TYPE_TINY, '-128', 0, '80'],
      [T.MYSQL_TYPE_TINY, '127', 0, '7f'],
      [T.MYSQL_TYPE_TINY, '255', U, 'ff'],
      [T.MYSQL_TYPE_SHORT, '-32768', 0, '0080'],
      [T.MYSQL_TYPE_SHORT, '65535', U, 'ffff'],
      [T.MYSQL_TYPE_YEAR, '2024', U, 'e807'],
      [T.MYSQL_TYPE_INT24, '-8388608', 0, '000080ff'],
      [T.MYSQL_TYPE_INT24, '16777215', U, 'ffffff00'],
      [T.MYSQL_TYPE_LONG, '-2147483648', 0, '00000080'],
      [T.MYSQL_TYPE_LONG, '4294967295', U, 'ffffffff'],
      [T.MYSQL_TYPE_LONGLONG, '1', 0, '0100000000000000'],
      [T.MYSQL_TYPE_LONGLONG, '-9223372036854775808', 0, '0000000000000080'],
      [T.MYSQL_TYPE_LONGLONG, '9223372036854775807', 0, 'ffffffffffffff7f'],
      [T.MYSQL_TYPE_LONGLONG, '18446744073709551615', U, 'ffffffffffffffff'],
      [T.MYSQL_TYPE_LONGLONG, '9007199254740993', U, '0100000000002000'],
    ];
    for (const [type, text, flags, expected] of cases) {
      expect(cellBytes(type, text, flags), `${type} ${text}`).toBe(expected);
    }
  });

  it('produces 64-bit integers mysql2 reads back exactly', () => {
    const columns: BinaryColumn[] = [
      { type: T.MYSQL_TYPE_LONGLONG, flags: 0 },
      { type: T.MYSQL_TYPE_LONGLONG, flags: 0 },
      { type: T.MYSQL_TYPE_LONGLONG, flags: U },
    ];
    const packet = asMysql2Packet(
      encodePayload(writeBinaryRow, columns, ['-9223372036854775808', '9223372036854775807', '18446744073709551615']),
    );
    packet.offset += 2;
    expect(packet.readSInt64String()).toBe('-9223372036854775808');
    expect(packet.readSInt64String()).toBe('9223372036854775807');
    expect(packet.readInt64String()).toBe('18446744073709551615');
  });

  it('rejects integers out of their column’s range or not integers at all', () => {
    const bad: [number, string, number][] = [
      [T.MYSQL_TYPE_TINY, '128', 0],
      [T.MYSQL_TYPE_TINY, '-1', U],
      [T.MYSQL_TYPE_LONG, '1.5', 0],
      [T.MYSQL_TYPE_LONGLONG, '9223372036854775808', 0],
      [T.MYSQL_TYPE_LONGLONG, '18446744073709551616', U],
      [T.MYSQL_TYPE_SHORT, '', 0],
      [T.MYSQL_TYPE_SHORT, 'true', 0],
    ];
    for (const [type, text, flags] of bad) {
      expect(() => cellBytes(type, text, flags), text).toThrow(TypeError);
    }
  });

  it('encodes FLOAT and DOUBLE as IEEE 754 (protocol manual values)', () => {
    expect(cellBytes(T.MYSQL_TYPE_DOUBLE, '35.5')).toBe(hex('00 00 00 00 00 c0 41 40'));
    expect(cellBytes(T.MYSQL_TYPE_FLOAT, '35.5')).toBe(hex('00 00 0e 42'));
    const packet = asMysql2Packet(
      encodePayload(writeBinaryRow, [{ type: T.MYSQL_TYPE_FLOAT, flags: 0 }, { type: T.MYSQL_TYPE_DOUBLE, flags: 0 }], ['3.14', '-1.5e-300']),
    );
    packet.offset += 2;
    expect(packet.readFloat()).toBe(Math.fround(3.14));
    expect(packet.readDouble()).toBe(-1.5e-300);
    expect(cellBytes(T.MYSQL_TYPE_DOUBLE, '-inf')).toBe(Buffer.from(new Float64Array([-Infinity]).buffer).toString('hex'));
    expect(cellBytes(T.MYSQL_TYPE_DOUBLE, 'nan')).toBe(Buffer.from(new Float64Array([NaN]).buffer).toString('hex'));
    expect(() => cellBytes(T.MYSQL_TYPE_DOUBLE, '1,5')).toThrow(TypeError);
    expect(() => cellBytes(T.MYSQL_TYPE_FLOAT, '')).toThrow(TypeError);
  });

  it('encodes dates in the shortest of the 0/4/7/11-byte forms (protocol manual values)', () => {
    expect(cellBytes(T.MYSQL_TYPE_DATETIME, '2010-10-17 19:27:30.000001')).toBe(hex('0b da 07 0a 11 13 1b 1e 01 00 00 00'));
    expect(cellBytes(T.MYSQL_TYPE_DATETIME, '2010-10-17 19:27:30')).toBe(hex('07 da 07 0a 11 13 1b 1e'));
    expect(cellBytes(T.MYSQL_TYPE_DATETIME, '2010-10-17 00:00:00')).toBe(hex('04 da 07 0a 11'));
    expect(cellBytes(T.MYSQL_TYPE_DATE, '2010-10-17')).toBe(hex('04 da 07 0a 11'));
    expect(cellBytes(T.MYSQL_TYPE_DATE, '0000-00-00')).toBe('00');
    expect(cellBytes(T.MYSQL_TYPE_TIMESTAMP, '0000-00-00 00:00:00')).toBe('00');
    expect(cellBytes(T.MYSQL_TYPE_TIMESTAMP, '2024-01-02 03:04:05.123456')).toBe(hex('0b e8 07 01 02 03 04 05 40 e2 01 00'));
    expect(cellBytes(T.MYSQL_TYPE_DATETIME, '2024-01-02 00:00:00.5')).toBe(hex('0b e8 07 01 02 00 00 00 20 a1 07 00'));
  });

  it('produces dates mysql2 reads back as the same text', () => {
    const columns: BinaryColumn[] = [
      { type: T.MYSQL_TYPE_DATE, flags: 0 },
      { type: T.MYSQL_TYPE_DATETIME, flags: 0 },
      { type: T.MYSQL_TYPE_DATETIME, flags: 0 },
    ];
    const packet = asMysql2Packet(
      encodePayload(writeBinaryRow, columns, ['2024-01-02', '2024-01-02 03:04:05.123456', '1999-12-31 23:59:59']),
    );
    packet.offset += 2;
    expect(packet.readDateTimeString(0, null, T.MYSQL_TYPE_DATE)).toBe('2024-01-02');
    expect(packet.readDateTimeString(6, null, T.MYSQL_TYPE_DATETIME)).toBe('2024-01-02 03:04:05.123456');
    expect(packet.readDateTimeString(0, null, T.MYSQL_TYPE_DATETIME)).toBe('1999-12-31 23:59:59');
  });

  it('rejects dates it cannot represent', () => {
    for (const text of ['2024-13-01', '2024-01-02 24:00:00', '10000-01-01', 'infinity', '2024-01-02 03:04:05.1234567', '44-03-15']) {
      expect(() => cellBytes(T.MYSQL_TYPE_DATETIME, text), text).toThrow(TypeError);
    }
  });

  it('encodes TIME in the 0/8/12-byte forms, days split from hours, sign first', () => {
    expect(cellBytes(T.MYSQL_TYPE_TIME, '-2899:27:30.000001')).toBe(hex('0c 01 78 00 00 00 13 1b 1e 01 00 00 00'));
    expect(cellBytes(T.MYSQL_TYPE_TIME, '-2899:27:30')).toBe(hex('08 01 78 00 00 00 13 1b 1e'));
    expect(cellBytes(T.MYSQL_TYPE_TIME, '-838:59:59.5')).toBe(hex('0c 01 22 00 00 00 16 3b 3b 20 a1 07 00'));
    expect(cellBytes(T.MYSQL_TYPE_TIME, '19:27:30')).toBe(hex('08 00 00 00 00 00 13 1b 1e'));
    expect(cellBytes(T.MYSQL_TYPE_TIME, '00:00:00')).toBe('00');
    expect(() => cellBytes(T.MYSQL_TYPE_TIME, '12:60:00')).toThrow(TypeError);
    expect(() => cellBytes(T.MYSQL_TYPE_TIME, '1 12:00:00')).toThrow(TypeError);
  });

  it('produces times mysql2 reads back as the same text', () => {
    const columns: BinaryColumn[] = [
      { type: T.MYSQL_TYPE_TIME, flags: 0 },
      { type: T.MYSQL_TYPE_TIME, flags: 0 },
      { type: T.MYSQL_TYPE_TIME, flags: 0 },
    ];
    const packet = asMysql2Packet(encodePayload(writeBinaryRow, columns, ['-838:59:59.5', '25:00:01', '00:00:00']));
    packet.offset += 2;
    expect(packet.readTimeString()).toBe('-838:59:59.5');
    expect(packet.readTimeString()).toBe('25:00:01');
    expect(packet.readTimeString()).toBe('00:00:00');
  });

  it('writes DECIMAL, strings, JSON, BIT and BLOB cells as string<lenenc>', () => {
    expect(cellBytes(T.MYSQL_TYPE_NEWDECIMAL, '-3.14')).toBe('052d332e3134');
    expect(cellBytes(T.MYSQL_TYPE_VAR_STRING, 'é')).toBe('02c3a9');
    expect(cellBytes(T.MYSQL_TYPE_STRING, '')).toBe('00');
    expect(cellBytes(T.MYSQL_TYPE_JSON, '{"a":1}')).toBe('077b2261223a317d');
    expect(cellBytes(T.MYSQL_TYPE_BLOB, Uint8Array.of(0, 0xfb, 0xff))).toBe('0300fbff');
    expect(cellBytes(T.MYSQL_TYPE_BIT, Uint8Array.of(5))).toBe('0105');
  });

  it('reads numeric cells given as bytes', () => {
    expect(cellBytes(T.MYSQL_TYPE_LONG, Buffer.from('-2'))).toBe('feffffff');
    expect(cellBytes(T.MYSQL_TYPE_DATE, Buffer.from('2010-10-17'))).toBe(hex('04 da 07 0a 11'));
  });

  it('sets NULL bits from bit 2 and writes nothing for NULL cells', () => {
    const columns = Array.from({ length: 10 }, () => ({ type: T.MYSQL_TYPE_TINY, flags: 0 }));
    const cells: TextCell[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    for (const index of [0, 6, 7, 8]) {
      cells[index] = null;
    }
    const payload = encodePayload(writeBinaryRow, columns, cells);
    // columns 0, 6, 7, 8 -> bits 2, 8, 9, 10
    expect(payload.toString('hex')).toBe('00' + '04' + '07' + '010203040509');
  });

  it('sizes the bitmap as (columns + 9) / 8 bytes', () => {
    for (const [count, bitmapBytes] of [
      [1, 1],
      [6, 1],
      [7, 2],
      [14, 2],
      [15, 3],
    ] as const) {
      const columns = Array.from({ length: count }, () => ({ type: T.MYSQL_TYPE_TINY, flags: 0 }));
      const payload = encodePayload(writeBinaryRow, columns, Array.from({ length: count }, () => null));
      expect(payload.length, String(count)).toBe(1 + bitmapBytes);
      const setBits = Array.from(payload.subarray(1)).flatMap((byte, index) =>
        Array.from({ length: 8 }, (_, bit) => ((byte >> bit) & 1 ? index * 8 + bit : -1)).filter((b) => b >= 0),
      );
      expect(setBits, String(count)).toEqual(Array.from({ length: count }, (_, column) => column + 2));
    }
  });

  it('refuses a row whose cell count differs from the column count', () => {
    expect(() => encodePayload(writeBinaryRow, [{ type: T.MYSQL_TYPE_TINY, flags: 0 }], [])).toThrow(RangeError);
  });

  it('leaves a batch untouched when a cell cannot be encoded', () => {
    const batch = new PacketBatch();
    const columns = [{ type: T.MYSQL_TYPE_LONG, flags: 0 }];
    batch.add(writeBinaryRow, columns, ['1']);
    expect(() => batch.add(writeBinaryRow, columns, ['x'])).toThrow(/column 0 of type 0x3 cannot hold "x"/);
    expect(batch.sequenceId).toBe(1);
    expect(batch.take().toString('hex')).toBe('0600000000000100' + '0000');
  });
});
