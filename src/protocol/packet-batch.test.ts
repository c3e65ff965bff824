import { describe, expect, it } from 'vitest';

import { MAX_PACKET_PAYLOAD } from './constants.js';
import { encodePackets } from './encode-packets.js';
import { writeTextRow } from './messages/text-row.js';
import { PacketBatch } from './packet-batch.js';
import { PacketDecoder } from './packet-decoder.js';
import type { PayloadWriter } from './payload-writer.js';

describe('encodePackets', () => {
  it('frames a small payload with its length and sequence id', () => {
    const framed = encodePackets(Buffer.from('0e', 'hex'), 0);
    expect(framed.bytes.toString('hex')).toBe('010000000e');
    expect(framed.nextSequenceId).toBe(1);
  });

  it('frames an empty payload and wraps the sequence id at 256', () => {
    const framed = encodePackets(Buffer.alloc(0), 255);
    expect(framed.bytes.toString('hex')).toBe('000000ff');
    expect(framed.nextSequenceId).toBe(0);
  });

  it('splits a payload of 0xFFFFFF + 3 bytes into a full packet and a 3-byte one', () => {
    const payload = Buffer.alloc(MAX_PACKET_PAYLOAD + 3, 1);
    const framed = encodePackets(payload, 9);
    expect(framed.bytes.subarray(0, 4).toString('hex')).toBe('ffffff09');
    expect(framed.bytes.subarray(MAX_PACKET_PAYLOAD + 4, MAX_PACKET_PAYLOAD + 8).toString('hex')).toBe('0300000a');
    expect(framed.bytes.length).toBe(payload.length + 8);
    expect(framed.nextSequenceId).toBe(11);
  });

  it('rejects sequence ids outside 0..255', () => {
    expect(() => encodePackets(Buffer.alloc(0), 256)).toThrow(RangeError);
    expect(() => encodePackets(Buffer.alloc(0), -1)).toThrow(RangeError);
  });
});

describe('PacketBatch', () => {
  it('frames each added payload with the running sequence id', () => {
    const batch = new PacketBatch({ sequenceId: 1 });
    batch.add(writeTextRow, ['a']);
    batch.add(writeTextRow, [null, 'bc']);
    batch.addPayload(Buffer.from('fe00000200', 'hex'));
    expect(batch.sequenceId).toBe(4);
    expect(batch.length).toBe(6 + 8 + 9);
    expect(batch.take().toString('hex')).toBe(
      ['020000' + '01' + '0161', '040000' + '02' + 'fb026263', '050000' + '03' + 'fe00000200'].join(''),
    );
    expect(batch.length).toBe(0);
    expect(batch.sequenceId).toBe(4);
  });

  it('wraps sequence ids and can be restarted for the next command', () => {
    const batch = new PacketBatch({ sequenceId: 255 });
    batch.add((w: PayloadWriter) => w.writeInt1(1));
    batch.add((w: PayloadWriter) => w.writeInt1(2));
    expect(batch.take().toString('hex')).toBe('010000ff01' + '0100000002');
    batch.sequenceId = 0;
    batch.add((w: PayloadWriter) => w.writeInt1(3));
    expect(batch.take().toString('hex')).toBe('0100000003');
    expect(() => {
      batch.sequenceId = 300;
    }).toThrow(RangeError);
  });

  it('leaves the batch as it was when a writer throws', () => {
    const batch = new PacketBatch();
    batch.add(writeTextRow, ['ok']);
    const before = batch.length;
    expect(() =>
      batch.add((w: PayloadWriter) => {
        w.writeString('partial');
        throw new TypeError('bad cell');
      }),
    ).toThrow('bad cell');
    expect(batch.length).toBe(before);
    expect(batch.sequenceId).toBe(1);
    batch.add(writeTextRow, ['next']);
    const decoded = new PacketDecoder().push(batch.take());
    expect(decoded.map((d) => [d.sequenceId, d.payload.toString()])).toEqual([
      [0, '\u0002ok'],
      [1, '\u0004next'],
    ]);
  });

  it('keeps taken bytes intact while it fills the next batch', () => {
    const batch = new PacketBatch({ initialCapacity: 16 });
    for (let row = 0; row < 100; row++) {
      batch.add(writeTextRow, [`row ${row}`]);
    }
    const first = batch.take();
    const copy = Buffer.from(first);
    for (let row = 0; row < 100; row++) {
      batch.add(writeTextRow, ['overwrite?']);
    }
    batch.take();
    expect(first.equals(copy)).toBe(true);
    expect(new PacketDecoder().push(first)).toHaveLength(100);
  });

  it('splits a payload of 16 MiB or more written in place into several packets', () => {
    const batch = new PacketBatch({ sequenceId: 2 });
    const big = 'x'.repeat(MAX_PACKET_PAYLOAD + 10);
    batch.add(writeTextRow, [big]);
    batch.add(writeTextRow, ['after']);
    expect(batch.sequenceId).toBe(5);
    const decoded = new PacketDecoder({ maxPayloadLength: 64 * 1024 * 1024 }).push(batch.take());
    expect(decoded).toHaveLength(2);
    expect(decoded[0]?.sequenceId).toBe(2);
    expect(decoded[0]?.nextSequenceId).toBe(4);
    // A string this long takes the 9-byte length prefix: 0xFE + int<8> 0x01000009.
    expect(decoded[0]?.payload.length).toBe(MAX_PACKET_PAYLOAD + 10 + 9);
    expect(decoded[0]?.payload.subarray(0, 9).toString('hex')).toBe('fe0900000100000000');
    expect(decoded[1]?.sequenceId).toBe(4);
    expect(decoded[1]?.payload.toString()).toBe('\u0005after');
  });

  it('splits an added payload of exactly 0xFFFFFF bytes with a trailing empty packet', () => {
    const batch = new PacketBatch();
    batch.addPayload(Buffer.alloc(MAX_PACKET_PAYLOAD));
    expect(batch.sequenceId).toBe(2);
    const bytes = batch.take();
    expect(bytes.length).toBe(MAX_PACKET_PAYLOAD + 8);
    expect(bytes.subarray(bytes.length - 4).toString('hex')).toBe('00000001');
  });
});
