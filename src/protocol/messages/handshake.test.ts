import { describe, expect, it } from 'vitest';

import { nativePasswordHash, verifyNativePassword } from '../auth/native-password.js';
import { CapabilityFlags } from '../constants.js';
import { encodePayload } from '../payload-writer.js';
import { ProtocolError } from '../protocol-error.js';
import { asMysql2Packet, assertOnlyProtocolErrors, mysql2, payloadOf } from '../test-support.js';
import { decodeHandshakeResponse, writeInitialHandshake, type HandshakeResponse41 } from './handshake.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('writeInitialHandshake', () => {
  it('matches the protocol manual example of a 5.5 server without plugin auth', () => {
    const payload = encodePayload(writeInitialHandshake, {
      serverVersion: '5.5.2-m2',
      connectionId: 11,
      authPluginData: Buffer.from('dvH@I-CJ*4d|cZwk4^]:'),
      capabilities: 0xf7ff,
      characterSet: 8,
      statusFlags: 2,
      authPluginName: 'mysql_native_password',
    });
    expect(payload.toString('hex')).toBe(
      hex(`0a 35 2e 35 2e 32 2d 6d 32 00 0b 00 00 00 64 76 48 40 49 2d 43 4a 00 ff f7 08 02 00
           00 00 00 00 00 00 00 00 00 00 00 00 00 2a 34 64 7c 63 5a 77 6b 34 5e 5d 3a 00`).toString('hex'),
    );
  });

  it('matches the protocol manual example of a 5.6 server with plugin auth', () => {
    const payload = encodePayload(writeInitialHandshake, {
      serverVersion: '5.6.4-m7-log',
      connectionId: 0x0a56,
      authPluginData: Buffer.from('RB3vz&Gr+yD&/ZZ305ZG'),
      capabilities: 0xc00fffff,
      characterSet: 8,
      statusFlags: 2,
      authPluginName: 'mysql_native_password',
    });
    expect(payload.length).toBe(0x50);
    expect(payload.toString('hex')).toBe(
      hex(`0a 35 2e 36 2e 34 2d 6d 37 2d 6c 6f 67 00 56 0a 00 00 52 42 33 76 7a 26 47 72 00 ff
           ff 08 02 00 0f c0 15 00 00 00 00 00 00 00 00 00 00 2b 79 44 26 2f 5a 5a 33 30 35 5a
           47 00 6d 79 73 71 6c 5f 6e 61 74 69 76 65 5f 70 61 73 73 77 6f 72 64 00`).toString('hex'),
    );
  });

  it('is read back by mysql2’s client', () => {
    const scramble = Buffer.from('abcdefghijklmnopqrst');
    const capabilities =
      CapabilityFlags.CLIENT_LONG_PASSWORD |
      CapabilityFlags.CLIENT_PROTOCOL_41 |
      CapabilityFlags.CLIENT_SECURE_CONNECTION |
      CapabilityFlags.CLIENT_PLUGIN_AUTH |
      CapabilityFlags.CLIENT_DEPRECATE_EOF;
    const payload = encodePayload(writeInitialHandshake, {
      serverVersion: '8.0.36-ducksafe',
      connectionId: 0xfffffffe,
      authPluginData: scramble,
      capabilities,
      characterSet: 255,
      statusFlags: 2,
      authPluginName: 'caching_sha2_password',
    });
    const parsed = mysql2.Handshake.fromPacket(asMysql2Packet(payload));
    expect(parsed.protocolVersion).toBe(10);
    expect(parsed.serverVersion).toBe('8.0.36-ducksafe');
    expect(parsed.connectionId).toBe(0xfffffffe);
    expect(parsed.capabilityFlags).toBe(capabilities);
    expect(parsed.characterSet).toBe(255);
    expect(parsed.statusFlags).toBe(2);
    expect(Buffer.concat([parsed.authPluginData1, parsed.authPluginData2]).subarray(0, 20).equals(scramble)).toBe(true);
    expect(parsed.authPluginName).toBe('caching_sha2_password');
  });

  it('requires a 20-byte scramble', () => {
    expect(() =>
      encodePayload(writeInitialHandshake, {
        serverVersion: 'x',
        connectionId: 1,
        authPluginData: Buffer.alloc(8),
        capabilities: 0,
        characterSet: 45,
        statusFlags: 0,
        authPluginName: 'mysql_native_password',
      }),
    ).toThrow(RangeError);
  });
});

describe('decodeHandshakeResponse', () => {
  it('decodes the protocol manual example', () => {
    const response = decodeHandshakeResponse(
      hex(`8d a6 0f 00 00 00 00 01 08 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
           00 00 00 00 70 61 6d 00 14 ab 09 ee f6 bc b1 32 3e 61 14 38 65 c0 99 1d 95 7d 75 d4
           47 74 65 73 74 00 6d 79 73 71 6c 5f 6e 61 74 69 76 65 5f 70 61 73 73 77 6f 72 64 00`),
    );
    expect(response).toEqual({
      kind: 'handshake-response',
      capabilities: 0x000fa68d,
      maxPacketSize: 16 * 1024 * 1024,
      characterSet: 8,
      username: 'pam',
      authResponse: hex('ab 09 ee f6 bc b1 32 3e 61 14 38 65 c0 99 1d 95 7d 75 d4 47'),
      database: 'test',
      authPluginName: 'mysql_native_password',
      connectAttributes: null,
    });
  });

  const scramble = Buffer.from('0123456789abcdefghij');
  const flags = mysql2.clientFlags;
  const base = (flags.PROTOCOL_41 ?? 0) | (flags.LONG_PASSWORD ?? 0) | (flags.TRANSACTIONS ?? 0);

  function mysql2Response(clientFlags: number, options: Record<string, unknown> = {}): Buffer {
    return payloadOf(
      new mysql2.HandshakeResponse({
        user: 'alice',
        database: 'shop',
        password: 'pässword',
        authPluginData1: scramble.subarray(0, 8),
        authPluginData2: scramble.subarray(8),
        flags: clientFlags,
        charsetNumber: 224,
        ...options,
      }).toPacket(),
    );
  }

  const layouts: [string, number][] = [
    ['lenenc auth data', (flags.SECURE_CONNECTION ?? 0) | (flags.PLUGIN_AUTH_LENENC_CLIENT_DATA ?? 0)],
    ['1-byte auth length', flags.SECURE_CONNECTION ?? 0],
    ['NUL-terminated auth data', 0],
  ];
  for (const [layout, authFlags] of layouts) {
    it(`decodes mysql2’s response with ${layout}, database, plugin and attributes`, () => {
      const clientFlags =
        base | authFlags | (flags.CONNECT_WITH_DB ?? 0) | (flags.PLUGIN_AUTH ?? 0) | (flags.CONNECT_ATTRS ?? 0);
      const payload = mysql2Response(clientFlags, {
        connectAttributes: { _client_name: 'Node-MySQL-2', _pid: '42', 'ключ': 'значение' },
      });
      const response = decodeHandshakeResponse(payload) as HandshakeResponse41;
      expect(response.kind).toBe('handshake-response');
      expect(response.capabilities).toBe(clientFlags >>> 0);
      expect(response.characterSet).toBe(224);
      expect(response.username).toBe('alice');
      expect(response.database).toBe('shop');
      expect(response.authPluginName).toBe('mysql_native_password');
      expect(response.connectAttributes).toEqual(
        new Map([
          ['_client_name', 'Node-MySQL-2'],
          ['_pid', '42'],
          ['ключ', 'значение'],
        ]),
      );
      if (authFlags !== 0) {
        // A NUL-terminated token is cut at its first zero byte; the layouts that
        // carry a length keep every byte and must verify.
        expect(verifyNativePassword(scramble, response.authResponse, nativePasswordHash('pässword'))).toBe(true);
      }
      expect(assertOnlyProtocolErrors(payload, decodeHandshakeResponse)).toBeGreaterThan(0);
    });
  }

  it('reads absent optional fields as null', () => {
    const response = decodeHandshakeResponse(mysql2Response(base | (flags.SECURE_CONNECTION ?? 0), { password: '' }));
    expect(response).toMatchObject({
      kind: 'handshake-response',
      username: 'alice',
      authResponse: Buffer.alloc(0),
      database: null,
      authPluginName: null,
      connectAttributes: null,
    });
  });

  it('reads flagged fields a client left off the end as null, as MySQL does', () => {
    const payload = encodePayload((w) => {
      w.writeInt4(CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_SECURE_CONNECTION | CapabilityFlags.CLIENT_CONNECT_WITH_DB | CapabilityFlags.CLIENT_PLUGIN_AUTH);
      w.writeInt4(0);
      w.writeInt1(45);
      w.writeZeros(23);
      w.writeNulTerminatedString('bob');
      w.writeInt1(0);
    });
    expect(decodeHandshakeResponse(payload)).toMatchObject({ username: 'bob', database: null, authPluginName: null });
  });

  it('recognises mysql2’s SSL request', () => {
    const payload = payloadOf(new mysql2.SSLRequest(base | (flags.SECURE_CONNECTION ?? 0), 45).toPacket());
    expect(payload.length).toBe(32);
    const request = decodeHandshakeResponse(payload);
    expect(request.kind).toBe('ssl-request');
    expect(request.capabilities & CapabilityFlags.CLIENT_SSL).not.toBe(0);
    expect(request.characterSet).toBe(45);
  });

  it('treats a 32-byte response without CLIENT_SSL as truncated', () => {
    const payload = Buffer.alloc(32);
    payload.writeUInt32LE(CapabilityFlags.CLIENT_PROTOCOL_41, 0);
    expect(() => decodeHandshakeResponse(payload)).toThrow(ProtocolError);
  });

  it('rejects pre-4.1 clients and too-short payloads with ProtocolError', () => {
    const old = Buffer.alloc(40);
    old.writeUInt16LE(CapabilityFlags.CLIENT_LONG_PASSWORD, 0);
    expect(() => decodeHandshakeResponse(old)).toThrow(/pre-4.1/);
    expect(() => decodeHandshakeResponse(Buffer.alloc(3))).toThrow(ProtocolError);
  });

  it('rejects connection attributes longer than the packet', () => {
    const payload = encodePayload((w) => {
      w.writeInt4(CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_SECURE_CONNECTION | CapabilityFlags.CLIENT_CONNECT_ATTRS);
      w.writeInt4(0);
      w.writeInt1(45);
      w.writeZeros(23);
      w.writeNulTerminatedString('bob');
      w.writeInt1(0);
      w.writeLenencInt(50);
      w.writeLenencString('k');
    });
    expect(() => decodeHandshakeResponse(payload)).toThrow(ProtocolError);
  });
});
