// Frames one logical payload as packets: 4-byte header (int<3> length, int<1>
// sequence id) + body, split into 0xFFFFFF-byte packets followed by a shorter one
// (possibly empty) when the payload is 16 MiB - 1 or longer.

import { MAX_PACKET_PAYLOAD } from './constants.js';

export interface EncodedPackets {
  /** Every packet of the payload, back to back. */
  readonly bytes: Buffer;
  /** Sequence id for the packet after these, mod 256. */
  readonly nextSequenceId: number;
}

export function encodePackets(payload: Uint8Array, firstSequenceId: number): EncodedPackets {
  checkSequenceId(firstSequenceId);
  const packetCount = Math.floor(payload.length / MAX_PACKET_PAYLOAD) + 1;
  const bytes = Buffer.allocUnsafe(payload.length + packetCount * 4);
  const end = writeFramed(bytes, 0, payload, firstSequenceId);
  return { bytes: bytes.subarray(0, end), nextSequenceId: (firstSequenceId + packetCount) & 0xff };
}

// Writes the framed packets into `target` at `offset`; returns the end offset.
function writeFramed(target: Buffer, offset: number, payload: Uint8Array, firstSequenceId: number): number {
  let sequenceId = firstSequenceId;
  let position = offset;
  let start = 0;
  for (;;) {
    const length = Math.min(MAX_PACKET_PAYLOAD, payload.length - start);
    target.writeUIntLE(length, position, 3);
    target[position + 3] = sequenceId;
    target.set(payload.subarray(start, start + length), position + 4);
    position += 4 + length;
    start += length;
    sequenceId = (sequenceId + 1) & 0xff;
    if (length < MAX_PACKET_PAYLOAD) {
      return position;
    }
  }
}

export function checkSequenceId(sequenceId: number): void {
  if (!Number.isInteger(sequenceId) || sequenceId < 0 || sequenceId > 0xff) {
    throw new RangeError(`sequence id must be 0..255, got ${sequenceId}`);
  }
}
