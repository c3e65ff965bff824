import { describe, expect, it } from 'vitest';

import { CachingSha2Status } from '../auth/caching-sha2-password.js';
import { encodePackets } from '../encode-packets.js';
import { PacketDecoder } from '../packet-decoder.js';
import { encodePayload } from '../payload-writer.js';
import { asMysql2Packet, mysql2Auth } from '../test-support.js';
import { isPublicKeyRequest, writeAuthMoreData, writeAuthSwitchRequest } from './auth.js';

const scramble = Buffer.from('abcdefghijklmnopqrst');
const PEM = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n';

// The server's side of a caching_sha2_password exchange, as the client receives it.
function exchange(): Buffer[] {
  return [
    encodePayload(writeAuthSwitchRequest, { pluginName: 'caching_sha2_password', pluginData: Buffer.concat([scramble, Buffer.of(0)]) }),
    encodePayload(writeAuthMoreData, Buffer.of(CachingSha2Status.FAST_AUTH_SUCCESS)),
    encodePayload(writeAuthMoreData, Buffer.of(CachingSha2Status.PERFORM_FULL_AUTHENTICATION)),
    encodePayload(writeAuthMoreData, Buffer.from(PEM, 'ascii')),
  ];
}

describe('caching_sha2_password exchange packets', () => {
  it('are read by mysql2 as an auth switch and AuthMoreData', () => {
    const [sw, fast, full, key] = exchange();
    const request = mysql2Auth.AuthSwitchRequest.fromPacket(asMysql2Packet(sw ?? Buffer.alloc(0)));
    expect(request.pluginName).toBe('caching_sha2_password');
    expect(request.pluginData.equals(Buffer.concat([scramble, Buffer.of(0)]))).toBe(true);
    for (const [payload, data] of [
      [fast, Buffer.of(3)],
      [full, Buffer.of(4)],
      [key, Buffer.from(PEM)],
    ] as const) {
      const packet = asMysql2Packet(payload ?? Buffer.alloc(0));
      expect(mysql2Auth.AuthSwitchRequestMoreData.verifyMarker(packet)).toBe(true);
      expect(mysql2Auth.AuthSwitchRequestMoreData.fromPacket(packet).data.equals(data)).toBe(true);
    }
  });

  it('survive the stream split at every byte boundary', () => {
    const payloads = exchange();
    const stream = Buffer.concat(payloads.map((payload, index) => encodePackets(payload, 2 + index * 2).bytes));
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new PacketDecoder();
      const decoded = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(decoded.map((d) => d.payload.toString('hex'))).toEqual(payloads.map((p) => p.toString('hex')));
      expect(decoded.map((d) => d.nextSequenceId)).toEqual([3, 5, 7, 9]);
    }
  });

  it('tells the public key request from a password', () => {
    expect(isPublicKeyRequest(Buffer.of(2))).toBe(true);
    expect(isPublicKeyRequest(Buffer.of(2, 0))).toBe(false);
    expect(isPublicKeyRequest(Buffer.from('2'))).toBe(false);
    expect(isPublicKeyRequest(Buffer.alloc(0))).toBe(false);
  });
});
