// Collects framed packets into one growing buffer so the server can send many small
// packets (result rows) with one socket write. Each payload is written straight
// after a reserved 4-byte header that is patched afterwards, so a row costs no copy.

import { MAX_PACKET_PAYLOAD } from './constants.js';
import { checkSequenceId } from './encode-packets.js';
import { PayloadWriter } from './payload-writer.js';

export interface PacketBatchOptions {
  /** Sequence id of the first packet added. */
  readonly sequenceId?: number;
  /** Starting buffer size; the server flushing at ~64 KiB wants a bit more than that. */
  readonly initialCapacity?: number;
}

export class PacketBatch {
  private readonly writer: PayloadWriter;
  private sequence: number;

  constructor(options: PacketBatchOptions = {}) {
    const sequenceId = options.sequenceId ?? 0;
    checkSequenceId(sequenceId);
    this.sequence = sequenceId;
    this.writer = new PayloadWriter(options.initialCapacity ?? 80 * 1024);
  }

  /** Sequence id the next packet will carry. */
  get sequenceId(): number {
    return this.sequence;
  }

  /** Restarts the sequence (every command's response starts from the request's next id). */
  set sequenceId(sequenceId: number) {
    checkSequenceId(sequenceId);
    this.sequence = sequenceId;
  }

  /** Bytes added and not yet taken; flush when this passes the server's threshold. */
  get length(): number {
    return this.writer.length;
  }

  /**
   * Appends one packet whose payload `write` produces: `batch.add(writeTextRow, cells)`.
   * If `write` throws, the batch is left as it was before the call.
   */
  add<A extends unknown[]>(write: (writer: PayloadWriter, ...args: A) => void, ...args: A): void {
    const start = this.writer.length;
    this.writer.writeZeros(4);
    try {
      write(this.writer, ...args);
    } catch (error) {
      this.writer.truncate(start);
      throw error;
    }
    const length = this.writer.length - start - 4;
    if (length < MAX_PACKET_PAYLOAD) {
      this.writer.setInt3At(start, length);
      this.writer.setInt1At(start + 3, this.sequence);
      this.sequence = (this.sequence + 1) & 0xff;
      return;
    }
    // A payload of 16 MiB or more needs a header every 0xFFFFFF bytes; rare enough
    // to pay for a copy.
    const payload = Buffer.from(this.writer.view(start + 4));
    this.writer.truncate(start);
    this.addPayload(payload);
  }

  /** Appends an already encoded payload, split into packets as needed. */
  addPayload(payload: Uint8Array): void {
    let start = 0;
    for (;;) {
      const length = Math.min(MAX_PACKET_PAYLOAD, payload.length - start);
      this.writer.writeInt3(length);
      this.writer.writeInt1(this.sequence);
      this.writer.writeBytes(payload.subarray(start, start + length));
      this.sequence = (this.sequence + 1) & 0xff;
      start += length;
      if (length < MAX_PACKET_PAYLOAD) {
        return;
      }
    }
  }

  /** The bytes added so far; the batch starts empty again and keeps its sequence id. */
  take(): Buffer {
    return this.writer.take();
  }
}
