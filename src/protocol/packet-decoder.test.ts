import { describe, expect, it } from 'vitest';

import { CapabilityFlags, MAX_PACKET_PAYLOAD } from './constants.js';
import { encodePackets } from './encode-packets.js';
import { writeErr, writeOk } from './messages/generic-response.js';
import { writeTextRow } from './messages/text-row.js';
import { PacketDecoder, type DecodedPayload } from './packet-decoder.js';
import { encodePayload } from './payload-writer.js';
import { ProtocolError } from './protocol-error.js';
import { mysql2, payloadOf, typed } from './test-support.js';

const caps = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_TRANSACTIONS;
const flags = mysql2.clientFlags;

// Every kind of payload a connection carries, as real clients and our encoders make them.
function samplePayloads(): Buffer[] {
  const clientFlags =
    (flags.PROTOCOL_41 ?? 0) |
    (flags.SECURE_CONNECTION ?? 0) |
    (flags.PLUGIN_AUTH ?? 0) |
    (flags.PLUGIN_AUTH_LENENC_CLIENT_DATA ?? 0) |
    (flags.CONNECT_WITH_DB ?? 0) |
    (flags.CONNECT_ATTRS ?? 0);
  const scramble = Buffer.from('0123456789abcdefghij');
  return [
    payloadOf(new mysql2.SSLRequest(clientFlags, 45).toPacket()),
    payloadOf(
      new mysql2.HandshakeResponse({
        user: 'root',
        database: 'db',
        password: 'secret',
        authPluginData1: scramble.subarray(0, 8),
        authPluginData2: scramble.subarray(8),
        flags: clientFlags,
        charsetNumber: 45,
        connectAttributes: { _client_name: 'Node-MySQL-2' },
      }).toPacket(),
    ),
    payloadOf(new mysql2.Query('SELECT 1', 45).toPacket()),
    payloadOf(new mysql2.PrepareStatement('SELECT ?', 45).toPacket()),
    payloadOf(new mysql2.Execute(7, [typed('LONGLONG', 5n), 'x', null], 45, 'local').toPacket()),
    payloadOf(new mysql2.CloseStatement(7).toPacket()),
    payloadOf(new mysql2.ResetConnection().toPacket()),
    encodePayload(writeOk, { statusFlags: 2, info: 'info' }, caps),
    encodePayload(writeErr, { errno: 1146, sqlState: '42S02', message: "Table 'x' doesn't exist" }, caps),
    encodePayload(writeTextRow, ['a', null, '']),
    Buffer.alloc(0),
    Buffer.alloc(300, 0x61),
  ];
}

function frameAll(payloads: Buffer[]): Buffer {
  return Buffer.concat(payloads.map((payload, index) => encodePackets(payload, index % 256).bytes));
}

function decodeChunks(chunks: Buffer[], options = {}): DecodedPayload[] {
  const decoder = new PacketDecoder(options);
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

function expectSamples(decoded: DecodedPayload[], payloads: Buffer[]): void {
  expect(decoded.map((d) => d.payload.toString('hex'))).toEqual(payloads.map((p) => p.toString('hex')));
  expect(decoded.map((d) => d.sequenceId)).toEqual(payloads.map((_, index) => index % 256));
  expect(decoded.map((d) => d.nextSequenceId)).toEqual(payloads.map((_, index) => (index + 1) % 256));
}

describe('PacketDecoder', () => {
  const payloads = samplePayloads();
  const stream = frameAll(payloads);

  it('decodes a whole stream in one chunk', () => {
    expectSamples(decodeChunks([stream]), payloads);
  });

  it('decodes the stream split at every byte boundary', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expectSamples(decodeChunks([stream.subarray(0, cut), stream.subarray(cut)]), payloads);
    }
  });

  it('decodes the stream split twice at every pair of boundaries inside each message packet', () => {
    let start = 0;
    for (const payload of payloads) {
      const end = start + 4 + payload.length;
      // The 300-byte filler only adds time: single splits cover it.
      const pairs = payload.length <= 160;
      for (let a = start; pairs && a <= end; a++) {
        for (let b = a; b <= end; b++) {
          expectSamples(decodeChunks([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]), payloads);
        }
      }
      start = end;
    }
  });

  it('decodes the stream fed one byte at a time', () => {
    const chunks = Array.from(stream, (byte) => Buffer.of(byte));
    expectSamples(decodeChunks(chunks), payloads);
  });

  it('accepts Uint8Array chunks that are not Buffers', () => {
    const copy = new Uint8Array(stream);
    expect(new PacketDecoder().push(new Uint8Array())).toEqual([]);
    const decoder = new PacketDecoder();
    expectSamples([...decoder.push(copy.subarray(0, 10)), ...decoder.push(copy.subarray(10))], payloads);
  });

  it('reassembles a payload of exactly 0xFFFFFF bytes (a full packet then an empty one)', () => {
    const payload = Buffer.alloc(MAX_PACKET_PAYLOAD, 0x5a);
    payload[0] = 1;
    payload[MAX_PACKET_PAYLOAD - 1] = 2;
    const framed = encodePackets(payload, 3);
    expect(framed.bytes.length).toBe(MAX_PACKET_PAYLOAD + 8);
    expect(framed.bytes.subarray(MAX_PACKET_PAYLOAD + 4).toString('hex')).toBe('00000004');
    expect(framed.nextSequenceId).toBe(5);
    const decoded = decodeChunks(splitEvery(framed.bytes, 65536));
    expect(decoded).toHaveLength(1);
    expect(decoded[0]?.sequenceId).toBe(3);
    expect(decoded[0]?.nextSequenceId).toBe(5);
    expect(decoded[0]?.payload.equals(payload)).toBe(true);
  });

  it('reassembles a payload over 16 MiB split at boundaries around the packet headers', () => {
    const payload = Buffer.alloc(MAX_PACKET_PAYLOAD + 1000);
    for (let index = 0; index < payload.length; index += 4093) {
      payload[index] = index & 0xff;
    }
    const framed = encodePackets(payload, 255);
    expect(framed.nextSequenceId).toBe(1);
    const header2 = 4 + MAX_PACKET_PAYLOAD;
    for (const cut of [1, 3, 4, 5, header2 - 1, header2, header2 + 1, header2 + 2, header2 + 3, header2 + 4, framed.bytes.length - 1]) {
      const decoder = new PacketDecoder();
      const decoded = [...decoder.push(framed.bytes.subarray(0, cut)), ...decoder.push(framed.bytes.subarray(cut))];
      expect(decoded).toHaveLength(1);
      expect(decoded[0]?.sequenceId).toBe(255);
      expect(decoded[0]?.nextSequenceId).toBe(1);
      expect(decoded[0]?.payload.equals(payload)).toBe(true);
    }
  });

  it('throws packet-too-large as soon as a header announces more than the maximum', () => {
    const decoder = new PacketDecoder({ maxPayloadLength: 100 });
    expect(decoder.push(encodePackets(Buffer.alloc(100), 0).bytes)).toHaveLength(1);
    const error = captureError(() => decoder.push(Buffer.from('65000000', 'hex')));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).kind).toBe('packet-too-large');
    expect(() => decoder.push(Buffer.alloc(1))).toThrow(/after a ProtocolError/);
  });

  it('counts every packet of a multi-packet payload against the maximum', () => {
    const decoder = new PacketDecoder({ maxPayloadLength: MAX_PACKET_PAYLOAD + 5 });
    const framed = encodePackets(Buffer.alloc(MAX_PACKET_PAYLOAD + 6), 0).bytes;
    // The second header (announcing 6 bytes) pushes the total past the maximum.
    expect(decoder.push(framed.subarray(0, MAX_PACKET_PAYLOAD + 4))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(MAX_PACKET_PAYLOAD);
    const error = captureError(() => decoder.push(framed.subarray(MAX_PACKET_PAYLOAD + 4, MAX_PACKET_PAYLOAD + 8)));
    expect((error as ProtocolError).kind).toBe('packet-too-large');
  });

  it('rejects a continuation packet with the wrong sequence id', () => {
    const framed = Buffer.from(encodePackets(Buffer.alloc(MAX_PACKET_PAYLOAD + 2), 0).bytes);
    framed[MAX_PACKET_PAYLOAD + 4 + 3] = 7;
    const error = captureError(() => new PacketDecoder().push(framed));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).kind).toBe('malformed');
  });

  it('parses lazily so the bytes after an SSL request can go to the TLS layer', () => {
    const ssl = encodePackets(payloads[0] ?? Buffer.alloc(0), 1).bytes;
    const tlsHello = Buffer.from('16030100a5010000a10303', 'hex');
    const decoder = new PacketDecoder();
    decoder.write(Buffer.concat([ssl.subarray(0, 6)]));
    expect(decoder.read()).toBeNull();
    decoder.write(Buffer.concat([ssl.subarray(6), tlsHello]));
    const first = decoder.read();
    expect(first?.payload.length).toBe(32);
    expect(first?.sequenceId).toBe(1);
    expect(decoder.takeBuffered().equals(tlsHello)).toBe(true);
    expect(decoder.bufferedBytes).toBe(0);
    expect(decoder.read()).toBeNull();
  });

  it('hands over exactly the bytes after an SSL request, wherever TCP cuts the stream', () => {
    const ssl = encodePackets(payloads[0] ?? Buffer.alloc(0), 1).bytes;
    const tlsHello = Buffer.from('16030100a5010000a10303', 'hex');
    const stream = Buffer.concat([ssl, tlsHello]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new PacketDecoder();
      decoder.write(stream.subarray(0, cut));
      let request = decoder.read();
      // What the socket delivers after the server stopped decoding goes to TLS directly.
      let late = stream.subarray(cut);
      if (request === null) {
        decoder.write(stream.subarray(cut, ssl.length));
        request = decoder.read();
        late = stream.subarray(ssl.length);
      }
      expect(request?.payload.equals(payloads[0] ?? Buffer.alloc(0))).toBe(true);
      expect(request?.nextSequenceId).toBe(2);
      expect(Buffer.concat([decoder.takeBuffered(), late]).equals(tlsHello)).toBe(true);
    }
  });

  it('refuses takeBuffered in the middle of a payload', () => {
    const decoder = new PacketDecoder();
    decoder.write(Buffer.from('0a00000001', 'hex'));
    expect(decoder.read()).toBeNull();
    expect(() => decoder.takeBuffered()).toThrow(/middle of a payload/);
  });

  it('rejects an invalid maximum', () => {
    expect(() => new PacketDecoder({ maxPayloadLength: -1 })).toThrow(RangeError);
  });
});

function splitEvery(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    chunks.push(bytes.subarray(start, start + size));
  }
  return chunks;
}

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
