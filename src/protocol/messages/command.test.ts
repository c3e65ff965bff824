import { describe, expect, it } from 'vitest';

import { CapabilityFlags, Commands } from '../constants.js';
import { nativePasswordHash, verifyNativePassword } from '../auth/native-password.js';
import { encodePayload, type PayloadWriter } from '../payload-writer.js';
import { ProtocolError } from '../protocol-error.js';
import { assertOnlyProtocolErrors, mysql2, payloadOf } from '../test-support.js';
import { decodeCommand, type ChangeUser } from './command.js';
import { decodeQueryText } from '../query-text.js';

const CAPS =
  CapabilityFlags.CLIENT_PROTOCOL_41 |
  CapabilityFlags.CLIENT_SECURE_CONNECTION |
  CapabilityFlags.CLIENT_PLUGIN_AUTH |
  CapabilityFlags.CLIENT_CONNECT_ATTRS;

const payload = (write: (w: PayloadWriter) => void): Buffer => encodePayload(write);

describe('decodeCommand', () => {
  it('decodes mysql2’s COM_QUERY, COM_STMT_PREPARE, COM_STMT_CLOSE and COM_RESET_CONNECTION', () => {
    expect(decodeCommand(payloadOf(new mysql2.Query('SELECT ’ü’ AS x', 224).toPacket()), CAPS)).toEqual({
      kind: 'COM_QUERY',
      query: 'SELECT ’ü’ AS x',
    });
    expect(decodeCommand(payloadOf(new mysql2.PrepareStatement('SELECT ?', 224).toPacket()), CAPS)).toEqual({
      kind: 'COM_STMT_PREPARE',
      query: 'SELECT ?',
    });
    expect(decodeCommand(payloadOf(new mysql2.CloseStatement(0x01020304).toPacket()), CAPS)).toEqual({
      kind: 'COM_STMT_CLOSE',
      statementId: 0x01020304,
    });
    expect(decodeCommand(payloadOf(new mysql2.ResetConnection().toPacket()), CAPS)).toEqual({ kind: 'COM_RESET_CONNECTION' });
  });

  it('decodes the commands without arguments', () => {
    const simple = [
      [Commands.COM_QUIT, 'COM_QUIT'],
      [Commands.COM_STATISTICS, 'COM_STATISTICS'],
      [Commands.COM_DEBUG, 'COM_DEBUG'],
      [Commands.COM_PING, 'COM_PING'],
      [Commands.COM_RESET_CONNECTION, 'COM_RESET_CONNECTION'],
    ] as const;
    for (const [byte, kind] of simple) {
      expect(decodeCommand(Buffer.of(byte), CAPS)).toEqual({ kind });
    }
  });

  it('decodes COM_INIT_DB, COM_FIELD_LIST, COM_PROCESS_KILL and COM_SET_OPTION', () => {
    expect(decodeCommand(Buffer.concat([Buffer.of(Commands.COM_INIT_DB), Buffer.from('shop')]), CAPS)).toEqual({
      kind: 'COM_INIT_DB',
      schema: 'shop',
    });
    expect(decodeCommand(Buffer.concat([Buffer.of(Commands.COM_FIELD_LIST), Buffer.from('orders\0id%')]), CAPS)).toEqual({
      kind: 'COM_FIELD_LIST',
      table: 'orders',
      wildcard: 'id%',
    });
    expect(decodeCommand(Buffer.from('0c2a000000', 'hex'), CAPS)).toEqual({ kind: 'COM_PROCESS_KILL', connectionId: 42 });
    expect(decodeCommand(Buffer.from('1b0100', 'hex'), CAPS)).toEqual({ kind: 'COM_SET_OPTION', option: 1 });
  });

  it('decodes the statement commands', () => {
    expect(decodeCommand(Buffer.from('17070000000001000000', 'hex'), CAPS)).toEqual({ kind: 'COM_STMT_EXECUTE', statementId: 7 });
    expect(decodeCommand(Buffer.from('1a07000000', 'hex'), CAPS)).toEqual({ kind: 'COM_STMT_RESET', statementId: 7 });
    expect(decodeCommand(Buffer.from('1c070000000a000000', 'hex'), CAPS)).toEqual({
      kind: 'COM_STMT_FETCH',
      statementId: 7,
      rowCount: 10,
    });
    const longData = decodeCommand(Buffer.from('18070000000200deadbeef', 'hex'), CAPS);
    expect(longData).toMatchObject({ kind: 'COM_STMT_SEND_LONG_DATA', statementId: 7, paramId: 2 });
    expect(longData.kind === 'COM_STMT_SEND_LONG_DATA' && longData.data.toString('hex')).toBe('deadbeef');
  });

  it('decodes mysql2’s COM_CHANGE_USER', () => {
    const scramble = Buffer.from('abcdefghijklmnopqrst');
    const flags = CAPS;
    const command = decodeCommand(
      payloadOf(
        new mysql2.ChangeUser({
          flags,
          user: 'bob',
          database: 'shop',
          password: 'pw',
          authPluginData1: scramble.subarray(0, 8),
          authPluginData2: scramble.subarray(8),
          charsetNumber: 45,
          connectAttributes: { app: 'test' },
        }).toPacket(),
      ),
      flags,
    ) as ChangeUser;
    expect(command).toMatchObject({
      kind: 'COM_CHANGE_USER',
      username: 'bob',
      schema: 'shop',
      characterSet: 45,
      authPluginName: 'mysql_native_password',
      connectAttributes: new Map([['app', 'test']]),
    });
    expect(verifyNativePassword(scramble, command.authResponse, nativePasswordHash('pw'))).toBe(true);
  });

  it('decodes an old-style COM_CHANGE_USER that stops after the schema', () => {
    const command = decodeCommand(
      payload((w) => {
        w.writeInt1(Commands.COM_CHANGE_USER);
        w.writeNulTerminatedString('bob');
        w.writeNulTerminatedString('');
        w.writeNulTerminatedString('db');
      }),
      CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_PLUGIN_AUTH,
    );
    expect(command).toEqual({
      kind: 'COM_CHANGE_USER',
      username: 'bob',
      authResponse: Buffer.alloc(0),
      schema: 'db',
      characterSet: null,
      authPluginName: null,
      connectAttributes: null,
    });
  });

  it('reports other command bytes as unknown', () => {
    expect(decodeCommand(Buffer.of(Commands.COM_BINLOG_DUMP, 1, 2), CAPS)).toEqual({ kind: 'unknown', command: 0x12 });
    expect(decodeCommand(Buffer.of(0xee), CAPS)).toEqual({ kind: 'unknown', command: 0xee });
  });

  it('throws ProtocolError for an empty or truncated command, never anything else', () => {
    expect(() => decodeCommand(Buffer.alloc(0), CAPS)).toThrow(ProtocolError);
    expect(() => decodeCommand(Buffer.from('0c2a00', 'hex'), CAPS)).toThrow(ProtocolError);
    expect(() => decodeCommand(Buffer.concat([Buffer.of(Commands.COM_FIELD_LIST), Buffer.from('orders')]), CAPS)).toThrow(ProtocolError);
    const changeUser = payloadOf(
      new mysql2.ChangeUser({ flags: CAPS, user: 'u', database: 'd', password: 'p', authPluginData1: Buffer.alloc(8, 1), authPluginData2: Buffer.alloc(12, 2), charsetNumber: 45, connectAttributes: { a: 'b' } }).toPacket(),
    );
    for (const sample of [changeUser, Buffer.from('18070000000200ff', 'hex'), Buffer.from('1c070000000a000000', 'hex')]) {
      expect(assertOnlyProtocolErrors(sample, (bytes) => decodeCommand(bytes, CAPS))).toBeGreaterThan(0);
    }
  });
});

describe('statement text (decodeQueryText)', () => {
  it('decodes UTF-8, and keeps each byte that is not UTF-8 as a lone surrogate U+DC00 + byte', () => {
    expect(decodeQueryText(Buffer.from("SELECT 'é😀'", 'utf8'))).toBe("SELECT 'é😀'");
    const sent = Buffer.concat([Buffer.from("INSERT INTO t VALUES (_binary'"), Buffer.from([0xff, 0x00, 0x80, 0xc3, 0xa9, 0xe2, 0x82]), Buffer.from("')")]);
    expect(decodeQueryText(sent)).toBe("INSERT INTO t VALUES (_binary'\udcff\0\udc80é\udce2\udc82')");
  });

  it('is how COM_QUERY and COM_STMT_PREPARE read their text', () => {
    for (const command of [Commands.COM_QUERY, Commands.COM_STMT_PREPARE]) {
      const payload = encodePayload((w: PayloadWriter) => {
        w.writeInt1(command);
        w.writeBytes(Buffer.from([0x41, 0xfe]));
      });
      expect(decodeCommand(payload, CAPS)).toMatchObject({ query: 'A\udcfe' });
    }
  });
});
