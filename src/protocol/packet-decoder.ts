// Reassembles logical payloads from the TCP byte stream. TCP can cut anywhere, so
// chunks are queued and parsed lazily: read() parses at most one payload, which
// lets the server stop after an SSL request and hand the bytes that follow (the
// TLS ClientHello) to the TLS socket through takeBuffered().

import { DEFAULT_MAX_PAYLOAD_LENGTH, MAX_PACKET_PAYLOAD } from './constants.js';
import { ProtocolError } from './protocol-error.js';

export interface DecodedPayload {
  /** Sequence id of the payload's first packet. */
  readonly sequenceId: number;
  /** Sequence id the reply must start with: one past the payload's last packet, mod 256. */
  readonly nextSequenceId: number;
  readonly payload: Buffer;
}

export interface PacketDecoderOptions {
  /**
   * Largest logical payload accepted (max_allowed_packet). A header announcing more
   * throws ProtocolError 'packet-too-large' before any of that payload is buffered.
   */
  readonly maxPayloadLength?: number;
}

const HEADER_LENGTH = 4;

export class PacketDecoder {
  private readonly maxPayloadLength: number;
  private chunks: Buffer[] = [];
  private headOffset = 0;
  private queuedBytes = 0;
  // The header of the packet whose body is awaited, once consumed.
  private currentLength = -1;
  private currentSequenceId = 0;
  // Packets of a payload of 16 MiB or more, awaiting its last (shorter) packet.
  private parts: Buffer[] = [];
  private partsLength = 0;
  private firstSequenceId = 0;
  private failed = false;

  constructor(options: PacketDecoderOptions = {}) {
    const max = options.maxPayloadLength ?? DEFAULT_MAX_PAYLOAD_LENGTH;
    if (!Number.isSafeInteger(max) || max < 0) {
      throw new RangeError(`maxPayloadLength must be a non-negative integer, got ${max}`);
    }
    this.maxPayloadLength = max;
  }

  /** Bytes received and not yet returned as part of a payload. */
  get bufferedBytes(): number {
    return this.queuedBytes + this.partsLength;
  }

  /** Queues a chunk without parsing it. */
  write(chunk: Uint8Array): void {
    this.assertUsable();
    if (chunk.length === 0) {
      return;
    }
    this.chunks.push(
      Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
    );
    this.queuedBytes += chunk.length;
  }

  /**
   * The next complete payload, or null until more bytes arrive. Throws ProtocolError
   * on a size or sequence violation; the decoder is unusable afterwards (the
   * stream cannot be resynchronised, so the connection must close).
   */
  read(): DecodedPayload | null {
    this.assertUsable();
    try {
      return this.readPayload();
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** write() then read() until null: every payload the chunk completes, in order. */
  push(chunk: Uint8Array): DecodedPayload[] {
    this.write(chunk);
    const payloads: DecodedPayload[] = [];
    for (let next = this.read(); next !== null; next = this.read()) {
      payloads.push(next);
    }
    return payloads;
  }

  /**
   * Removes and returns every queued byte. Only valid between payloads (after read()
   * returned a payload or null with nothing partial): the bytes after an SSL request
   * belong to the TLS layer.
   */
  takeBuffered(): Buffer {
    this.assertUsable();
    if (this.currentLength >= 0 || this.parts.length > 0) {
      throw new Error('takeBuffered() called in the middle of a payload');
    }
    const rest = this.takeBytes(this.queuedBytes);
    return rest;
  }

  private readPayload(): DecodedPayload | null {
    for (;;) {
      if (this.currentLength < 0) {
        if (this.queuedBytes < HEADER_LENGTH) {
          return null;
        }
        const header = this.takeBytes(HEADER_LENGTH);
        const length = header.readUIntLE(0, 3);
        const sequenceId = header[3] ?? 0;
        if (this.parts.length > 0) {
          const expected = (this.currentSequenceId + 1) & 0xff;
          if (sequenceId !== expected) {
            throw new ProtocolError(
              `packets out of order: continuation packet has sequence id ${sequenceId}, expected ${expected}`,
            );
          }
        } else {
          this.firstSequenceId = sequenceId;
        }
        if (this.partsLength + length > this.maxPayloadLength) {
          throw new ProtocolError(
            `payload of at least ${this.partsLength + length} bytes exceeds the maximum of ${this.maxPayloadLength}`,
            'packet-too-large',
          );
        }
        this.currentLength = length;
        this.currentSequenceId = sequenceId;
      }
      if (this.queuedBytes < this.currentLength) {
        return null;
      }
      const body = this.takeBytes(this.currentLength);
      const full = this.currentLength === MAX_PACKET_PAYLOAD;
      this.currentLength = -1;
      if (full) {
        this.parts.push(body);
        this.partsLength += body.length;
        continue;
      }
      let payload = body;
      if (this.parts.length > 0) {
        this.parts.push(body);
        payload = Buffer.concat(this.parts, this.partsLength + body.length);
        this.parts = [];
        this.partsLength = 0;
      }
      return {
        sequenceId: this.firstSequenceId,
        nextSequenceId: (this.currentSequenceId + 1) & 0xff,
        payload,
      };
    }
  }

  // Removes `count` queued bytes; a view when they sit in one chunk, else a copy.
  private takeBytes(count: number): Buffer {
    const head = this.chunks[0];
    if (count === 0 || head === undefined) {
      return Buffer.alloc(0);
    }
    this.queuedBytes -= count;
    if (head.length - this.headOffset >= count) {
      const view = head.subarray(this.headOffset, this.headOffset + count);
      this.headOffset += count;
      if (this.headOffset === head.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
      return view;
    }
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks[0];
      if (chunk === undefined) {
        throw new Error('packet decoder queue shorter than its byte count');
      }
      const take = Math.min(chunk.length - this.headOffset, count - filled);
      chunk.copy(out, filled, this.headOffset, this.headOffset + take);
      filled += take;
      this.headOffset += take;
      if (this.headOffset === chunk.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
    }
    return out;
  }

  private assertUsable(): void {
    if (this.failed) {
      throw new Error('PacketDecoder used after a ProtocolError; the connection must close');
    }
  }
}
