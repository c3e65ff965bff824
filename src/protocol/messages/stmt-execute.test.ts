import { describe, expect, it } from 'vitest';

import { ColumnTypes as T, Commands } from '../constants.js';
import { encodePayload, type PayloadWriter } from '../payload-writer.js';
import { ProtocolError } from '../protocol-error.js';
import { assertOnlyProtocolErrors, mysql2, payloadOf, typed } from '../test-support.js';
import { decodeStmtExecute, type ParamType, type StmtExecute } from './stmt-execute.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function mysql2Execute(params: unknown[], statementId = 5): Buffer {
  return payloadOf(new mysql2.Execute(statementId, params, 224, 'Z').toPacket());
}

function decode(payload: Buffer, paramCount: number, boundTypes: readonly ParamType[] | null = null): StmtExecute {
  return decodeStmtExecute(payload, { paramCount, boundTypes });
}

describe('decodeStmtExecute', () => {
  it('decodes the protocol manual example', () => {
    const execute = decode(hex('17 01 00 00 00 00 01 00 00 00 00 01 0f 00 03 66 6f 6f'), 1);
    expect(execute).toEqual({
      statementId: 1,
      flags: 0,
      iterationCount: 1,
      params: [{ type: T.MYSQL_TYPE_VARCHAR, unsigned: false, value: 'foo' }],
      boundTypes: [{ type: T.MYSQL_TYPE_VARCHAR, unsigned: false }],
    });
  });

  it('decodes a statement without parameters', () => {
    expect(decode(mysql2Execute([], 9), 0)).toEqual({ statementId: 9, flags: 0, iterationCount: 1, params: [], boundTypes: [] });
  });

  it('decodes the types mysql2 infers from JavaScript values', () => {
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    const execute = decode(
      mysql2Execute([1.5, true, 'héllo', Buffer.from([0, 1, 255]), date, { a: [1] }, null, 12345678901234567890n]),
      8,
    );
    expect(execute.params).toEqual([
      { type: T.MYSQL_TYPE_DOUBLE, unsigned: false, value: 1.5 },
      { type: T.MYSQL_TYPE_TINY, unsigned: false, value: 1n },
      { type: T.MYSQL_TYPE_VAR_STRING, unsigned: false, value: 'héllo' },
      { type: T.MYSQL_TYPE_BLOB, unsigned: false, value: Buffer.from([0, 1, 255]) },
      { type: T.MYSQL_TYPE_DATETIME, unsigned: false, value: '2024-01-02 03:04:05.678000' },
      { type: T.MYSQL_TYPE_JSON, unsigned: false, value: '{"a":[1]}' },
      { type: T.MYSQL_TYPE_NULL, unsigned: false, value: null },
      { type: T.MYSQL_TYPE_VAR_STRING, unsigned: false, value: '12345678901234567890' },
    ]);
    expect(execute.params[3]?.value).toBeInstanceOf(Uint8Array);
  });

  it('decodes every typed parameter mysql2 can send', () => {
    const cases: [unknown, number, boolean, unknown][] = [
      [typed('TINY', -128), T.MYSQL_TYPE_TINY, false, -128n],
      [typed('TINY', 255, true), T.MYSQL_TYPE_TINY, true, 255n],
      [typed('SHORT', -32768), T.MYSQL_TYPE_SHORT, false, -32768n],
      [typed('SHORT', 65535, true), T.MYSQL_TYPE_SHORT, true, 65535n],
      // mysql2 sends INT24 as LONG and YEAR as SHORT
      [typed('INT24', -8388608), T.MYSQL_TYPE_LONG, false, -8388608n],
      [typed('YEAR', 2024), T.MYSQL_TYPE_SHORT, false, 2024n],
      [typed('LONG', -2147483648), T.MYSQL_TYPE_LONG, false, -2147483648n],
      [typed('LONG', 4294967295, true), T.MYSQL_TYPE_LONG, true, 4294967295n],
      [typed('LONGLONG', -(2n ** 63n)), T.MYSQL_TYPE_LONGLONG, false, -(2n ** 63n)],
      [typed('LONGLONG', 2n ** 63n - 1n), T.MYSQL_TYPE_LONGLONG, false, 2n ** 63n - 1n],
      [typed('LONGLONG', 2n ** 64n - 1n, true), T.MYSQL_TYPE_LONGLONG, true, 2n ** 64n - 1n],
      [typed('FLOAT', 35.5), T.MYSQL_TYPE_FLOAT, false, 35.5],
      [typed('DOUBLE', -1e300), T.MYSQL_TYPE_DOUBLE, false, -1e300],
      [typed('DATE', new Date(Date.UTC(2024, 1, 29, 13))), T.MYSQL_TYPE_DATE, false, '2024-02-29'],
      [typed('DATETIME', new Date(Date.UTC(2024, 1, 29, 13, 14, 15))), T.MYSQL_TYPE_DATETIME, false, '2024-02-29 13:14:15'],
      [typed('TIMESTAMP', new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 1))), T.MYSQL_TYPE_TIMESTAMP, false, '1999-12-31 23:59:59.001000'],
      [typed('TIME', '-838:59:59.5'), T.MYSQL_TYPE_TIME, false, '-838:59:59.500000'],
      [typed('TIME', '12:00:01'), T.MYSQL_TYPE_TIME, false, '12:00:01'],
      [typed('TIME', '00:00:00'), T.MYSQL_TYPE_TIME, false, '00:00:00'],
      [typed('DECIMAL', '-12.3400'), T.MYSQL_TYPE_DECIMAL, false, '-12.3400'],
      [typed('NEWDECIMAL', '99999999999999999999.99'), T.MYSQL_TYPE_NEWDECIMAL, false, '99999999999999999999.99'],
      [typed('VARCHAR', 'v'), T.MYSQL_TYPE_VARCHAR, false, 'v'],
      [typed('VAR_STRING', 'ü'), T.MYSQL_TYPE_VAR_STRING, false, 'ü'],
      [typed('STRING', 'c'), T.MYSQL_TYPE_STRING, false, 'c'],
      [typed('ENUM', 'red'), T.MYSQL_TYPE_STRING, false, 'red'],
      [typed('SET', 'a,b'), T.MYSQL_TYPE_STRING, false, 'a,b'],
      [typed('JSON', { k: 'v' }), T.MYSQL_TYPE_JSON, false, '{"k":"v"}'],
      [typed('TINY_BLOB', Buffer.from('t')), T.MYSQL_TYPE_TINY_BLOB, false, Buffer.from('t')],
      [typed('MEDIUM_BLOB', Buffer.from('m')), T.MYSQL_TYPE_MEDIUM_BLOB, false, Buffer.from('m')],
      [typed('LONG_BLOB', Buffer.alloc(70000, 1)), T.MYSQL_TYPE_LONG_BLOB, false, Buffer.alloc(70000, 1)],
      [typed('BLOB', Buffer.alloc(0)), T.MYSQL_TYPE_BLOB, false, Buffer.alloc(0)],
      [typed('NULL', null), T.MYSQL_TYPE_NULL, false, null],
      [typed('LONGLONG', null), T.MYSQL_TYPE_LONGLONG, false, null],
    ];
    const execute = decode(
      mysql2Execute(cases.map(([param]) => param)),
      cases.length,
    );
    expect(execute.params).toHaveLength(cases.length);
    cases.forEach(([, type, unsigned, value], index) => {
      expect(execute.params[index], `parameter ${index}`).toEqual({ type, unsigned, value });
    });
    expect(execute.boundTypes.map((t) => t.type)).toEqual(cases.map(([, type]) => type));
  });

  it('reads NULLs from the bitmap at every position, with no value bytes for them', () => {
    const values = Array.from({ length: 17 }, (_, index) => ([0, 7, 8, 16].includes(index) ? null : `v${index}`));
    const execute = decode(mysql2Execute(values), values.length);
    expect(execute.params.map((p) => p.value)).toEqual(values);
  });

  it('reuses the bound types of the previous execution when new-params-bound is 0', () => {
    const boundTypes: ParamType[] = [
      { type: T.MYSQL_TYPE_LONGLONG, unsigned: true },
      { type: T.MYSQL_TYPE_VAR_STRING, unsigned: false },
    ];
    const payload = encodePayload((w: PayloadWriter) => {
      w.writeInt1(Commands.COM_STMT_EXECUTE);
      w.writeInt4(3);
      w.writeInt1(0);
      w.writeInt4(1);
      w.writeInt1(0b00);
      w.writeInt1(0);
      w.writeInt8(2n ** 64n - 1n);
      w.writeLenencString('again');
    });
    const execute = decode(payload, 2, boundTypes);
    expect(execute.params).toEqual([
      { type: T.MYSQL_TYPE_LONGLONG, unsigned: true, value: 2n ** 64n - 1n },
      { type: T.MYSQL_TYPE_VAR_STRING, unsigned: false, value: 'again' },
    ]);
    expect(execute.boundTypes).toBe(boundTypes);
  });

  it('says wrong-arguments when no types were ever bound', () => {
    const payload = hex('17 03000000 00 01000000 00 00 05');
    const error = (() => {
      try {
        decode(payload, 1, null);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).kind).toBe('wrong-arguments');
  });

  it('takes long data in place of the value, as text for string types and bytes otherwise', () => {
    // Parameter 0 and 2 came with COM_STMT_SEND_LONG_DATA: no NULL bit, no value.
    const payload = encodePayload((w: PayloadWriter) => {
      w.writeInt1(Commands.COM_STMT_EXECUTE);
      w.writeInt4(4);
      w.writeInt1(0);
      w.writeInt4(1);
      w.writeInt1(0b000);
      w.writeInt1(1);
      for (const type of [T.MYSQL_TYPE_VAR_STRING, T.MYSQL_TYPE_LONG, T.MYSQL_TYPE_BLOB]) {
        w.writeInt1(type);
        w.writeInt1(0);
      }
      w.writeInt4(77);
    });
    const longData = new Map<number, Uint8Array>([
      [0, Buffer.from('long text ✓')],
      [2, Uint8Array.of(1, 2, 3)],
    ]);
    const execute = decodeStmtExecute(payload, { paramCount: 3, boundTypes: null, longData });
    expect(execute.params.map((p) => p.value)).toEqual(['long text ✓', 77n, Uint8Array.of(1, 2, 3)]);
  });

  it('keeps string parameters that are not UTF-8 as bytes, as Connector/J sends setBytes()', () => {
    const notUtf8 = Uint8Array.of(0xff, 0, 0x80);
    const payload = encodePayload((w: PayloadWriter) => {
      w.writeInt1(Commands.COM_STMT_EXECUTE);
      w.writeInt4(4);
      w.writeInt1(0);
      w.writeInt4(1);
      w.writeInt1(0b000);
      w.writeInt1(1);
      for (const type of [T.MYSQL_TYPE_VAR_STRING, T.MYSQL_TYPE_VAR_STRING, T.MYSQL_TYPE_STRING]) {
        w.writeInt1(type);
        w.writeInt1(0);
      }
      w.writeLenencBytes(Buffer.from(notUtf8));
      w.writeLenencBytes(Buffer.from([0, 0, 0x41, 0]));
    });
    const longData = new Map<number, Uint8Array>([[2, Uint8Array.of(0xc3)]]);
    const values = decodeStmtExecute(payload, { paramCount: 3, boundTypes: null, longData }).params.map((p) => p.value);
    expect(values).toEqual([Buffer.from(notUtf8), '\0\0A\0', Buffer.from([0xc3])]);
    expect(values[0]).toBeInstanceOf(Uint8Array);
  });

  it('decodes 13-byte DATETIME parameters with a time zone displacement', () => {
    const payload = encodePayload((w: PayloadWriter) => {
      w.writeInt1(Commands.COM_STMT_EXECUTE);
      w.writeInt4(1);
      w.writeInt1(0);
      w.writeInt4(1);
      w.writeInt1(0);
      w.writeInt1(1);
      w.writeInt1(T.MYSQL_TYPE_DATETIME);
      w.writeInt1(0);
      w.writeBytes(hex('0d e8 07 01 02 03 04 05 00 00 00 00'));
      w.writeInt2(-330);
    });
    expect(decode(payload, 1).params[0]?.value).toBe('2024-01-02 03:04:05-05:30');
  });

  it('rejects a command that is not COM_STMT_EXECUTE, bad flags and bad temporal lengths', () => {
    expect(() => decode(hex('03 01000000'), 0)).toThrow(ProtocolError);
    expect(() => decode(hex('17 01000000 00 01000000 00 02 0f00 0161'), 1)).toThrow(/new-params-bound/);
    expect(() => decode(hex('17 01000000 00 01000000 00 01 0c00 05 e807010203'), 1)).toThrow(/binary date length/);
    expect(() => decode(hex('17 01000000 00 01000000 00 01 0b00 03 000000'), 1)).toThrow(/binary time length/);
    expect(() => decode(hex('17 01000000 00 01000000 00 01 0c00 04 e8070d01'), 1)).toThrow(/invalid binary date/);
  });

  it('fails on truncated or corrupted packets only with ProtocolError', () => {
    const payload = mysql2Execute([
      typed('LONGLONG', 5n),
      'text',
      typed('DATETIME', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))),
      typed('TIME', '-1:02:03.5'),
      Buffer.from('b'),
      null,
      1.5,
      typed('FLOAT', 2),
    ]);
    expect(assertOnlyProtocolErrors(payload, (bytes) => decode(bytes, 8))).toBeGreaterThan(payload.length);
    const types: ParamType[] = [{ type: T.MYSQL_TYPE_NEWDECIMAL, unsigned: false }];
    expect(assertOnlyProtocolErrors(hex('17 01000000 00 01000000 00 00 0431 2e35 30'), (bytes) => decode(bytes, 1, types))).toBeGreaterThan(0);
  });
});
