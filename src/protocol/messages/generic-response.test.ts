import { describe, expect, it } from 'vitest';

import { CapabilityFlags, ServerStatus } from '../constants.js';
import { encodePayload } from '../payload-writer.js';
import { asMysql2Packet, mysql2, type Mysql2ResultSetHeader } from '../test-support.js';
import { writeAuthMoreData, writeAuthSwitchRequest } from './auth.js';
import { writeEof, writeErr, writeOk } from './generic-response.js';

const P41 = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_TRANSACTIONS;
const hex = (text: string): string => text.replace(/\s+/g, '');

function mysql2Ok(payload: Buffer, capabilities: number): Mysql2ResultSetHeader {
  return new mysql2.ResultSetHeader(asMysql2Packet(payload), {
    config: { bigNumberStrings: false },
    serverEncoding: 'utf8',
    _handshakePacket: { capabilityFlags: capabilities },
  });
}

describe('writeOk', () => {
  it('matches the protocol manual example', () => {
    expect(encodePayload(writeOk, { statusFlags: ServerStatus.SERVER_STATUS_AUTOCOMMIT }, P41).toString('hex')).toBe(
      hex('00 00 00 02 00 00 00'),
    );
  });

  it('writes large counts as lenenc, bigint included', () => {
    const payload = encodePayload(
      writeOk,
      { affectedRows: 300, lastInsertId: (1n << 64n) - 1n, statusFlags: 3, warnings: 2 },
      P41,
    );
    expect(payload.toString('hex')).toBe(hex('00 fc2c01 feffffffffffffffff 0300 0200'));
  });

  it('uses the 0xFE header when it ends a result set (CLIENT_DEPRECATE_EOF)', () => {
    const payload = encodePayload(writeOk, { statusFlags: 2, endsResultSet: true }, P41 | CapabilityFlags.CLIENT_DEPRECATE_EOF);
    expect(payload.toString('hex')).toBe(hex('fe 00 00 0200 0000'));
  });

  it('writes info length-encoded as MySQL does, with or without CLIENT_SESSION_TRACK', () => {
    const ok = { affectedRows: 1, lastInsertId: 7, statusFlags: 2, warnings: 0, info: 'Rows matched: 1  Changed: 1  Warnings: 0' };
    const plain = encodePayload(writeOk, ok, P41);
    expect(plain[7]).toBe(ok.info.length);
    expect(plain.subarray(8).toString()).toBe(ok.info);
    const tracked = P41 | CapabilityFlags.CLIENT_SESSION_TRACK;
    const withTracking = encodePayload(writeOk, ok, tracked);
    expect(withTracking[7]).toBe(ok.info.length);
    for (const [payload, capabilities] of [
      [plain, P41],
      [withTracking, tracked],
    ] as const) {
      const parsed = mysql2Ok(payload, capabilities);
      expect(parsed.affectedRows).toBe(1);
      expect(parsed.insertId).toBe(7);
      expect(parsed.serverStatus).toBe(2);
      // Without session tracking mysql2 reads the rest as text, length byte included, as it does from MySQL.
      expect(parsed.info).toBe(capabilities === tracked ? ok.info : `${String.fromCharCode(ok.info.length)}${ok.info}`);
    }
    expect(encodePayload(writeOk, { statusFlags: 2 }, P41).length).toBe(7);
    // Under session tracking an empty info is left out entirely, as MySQL does.
    expect(encodePayload(writeOk, { statusFlags: 2 }, tracked).length).toBe(7);
  });

  it('writes the pre-4.1 layouts', () => {
    expect(encodePayload(writeOk, { statusFlags: 2, warnings: 5 }, CapabilityFlags.CLIENT_TRANSACTIONS).toString('hex')).toBe(
      hex('00 00 00 0200'),
    );
    expect(encodePayload(writeOk, { statusFlags: 2, info: 'x' }, 0).toString('hex')).toBe(hex('00 00 00 78'));
  });

  it('refuses SERVER_SESSION_STATE_CHANGED, whose data it cannot encode', () => {
    expect(() => encodePayload(writeOk, { statusFlags: ServerStatus.SERVER_SESSION_STATE_CHANGED }, P41)).toThrow(RangeError);
  });
});

describe('writeErr', () => {
  it('matches the protocol manual example', () => {
    const payload = encodePayload(writeErr, { errno: 1096, sqlState: 'HY000', message: 'No tables used' }, P41);
    expect(payload.toString('hex')).toBe(hex('ff 48 04 23 48 59 30 30 30 4e 6f 20 74 61 62 6c 65 73 20 75 73 65 64'));
  });

  it('is read by mysql2 with its errno, SQLSTATE and UTF-8 message', () => {
    const payload = encodePayload(writeErr, { errno: 1146, sqlState: '42S02', message: "Table 'db.ü' doesn't exist" }, P41);
    const parsed = asMysql2Packet(payload).asError('utf8');
    expect(parsed.errno).toBe(1146);
    expect(parsed.sqlState).toBe('42S02');
    expect(parsed.message).toBe("Table 'db.ü' doesn't exist");
  });

  it('leaves out the SQLSTATE without CLIENT_PROTOCOL_41', () => {
    expect(encodePayload(writeErr, { errno: 1040, sqlState: '08004', message: 'Too many' }, 0).toString('hex')).toBe(
      hex('ff 1004 546f6f206d616e79'),
    );
  });

  it('rejects a SQLSTATE that is not 5 characters', () => {
    expect(() => encodePayload(writeErr, { errno: 1, sqlState: '#####', message: '' }, P41)).toThrow(RangeError);
    expect(() => encodePayload(writeErr, { errno: 1, sqlState: 'HY00', message: '' }, P41)).toThrow(RangeError);
  });
});

describe('writeEof', () => {
  it('matches the protocol manual example', () => {
    expect(encodePayload(writeEof, { statusFlags: 2 }, P41).toString('hex')).toBe(hex('fe 00 00 02 00'));
  });

  it('writes warnings before status, and nothing else before 4.1', () => {
    expect(encodePayload(writeEof, { statusFlags: 0x22, warnings: 1 }, P41).toString('hex')).toBe(hex('fe 0100 2200'));
    expect(encodePayload(writeEof, { statusFlags: 2 }, 0).toString('hex')).toBe('fe');
  });
});

describe('auth packets', () => {
  it('writes AuthSwitchRequest as 0xFE, plugin name, plugin data', () => {
    const scramble = Buffer.concat([Buffer.from('abcdefghijklmnopqrst'), Buffer.of(0)]);
    const payload = encodePayload(writeAuthSwitchRequest, { pluginName: 'mysql_native_password', pluginData: scramble });
    expect(payload[0]).toBe(0xfe);
    expect(payload.subarray(1, 23).toString()).toBe('mysql_native_password\0');
    expect(payload.subarray(23).equals(scramble)).toBe(true);
  });

  it('writes AuthMoreData as 0x01 + data', () => {
    expect(encodePayload(writeAuthMoreData, Buffer.of(3)).toString('hex')).toBe('0103');
  });
});
