// A bounds-checked little-endian reader over one payload. Every read past the end,
// and every length that points past it, throws ProtocolError: a peer's bytes must
// never surface as a RangeError from Buffer or as garbage values.

import { ProtocolError } from './protocol-error.js';

export class PayloadReader {
  private readonly buffer: Buffer;
  private position = 0;

  constructor(payload: Uint8Array) {
    this.buffer = Buffer.isBuffer(payload)
      ? payload
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.position;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.buffer.length - this.position;
  }

  get atEnd(): boolean {
    return this.position >= this.buffer.length;
  }

  /** The next byte without consuming it. */
  peekInt1(): number {
    this.need(1, 'int<1>');
    return this.buffer[this.position] ?? 0;
  }

  skip(count: number): void {
    this.need(count, `${count} bytes`);
    this.position += count;
  }

  /** Unsigned int<1>. */
  readInt1(): number {
    this.need(1, 'int<1>');
    return this.buffer[this.position++] ?? 0;
  }

  /** Unsigned int<2>. */
  readInt2(): number {
    this.need(2, 'int<2>');
    const value = this.buffer.readUInt16LE(this.position);
    this.position += 2;
    return value;
  }

  /** Unsigned int<3>. */
  readInt3(): number {
    this.need(3, 'int<3>');
    const value = this.buffer.readUIntLE(this.position, 3);
    this.position += 3;
    return value;
  }

  /** Unsigned int<4>. */
  readInt4(): number {
    this.need(4, 'int<4>');
    const value = this.buffer.readUInt32LE(this.position);
    this.position += 4;
    return value;
  }

  /** Unsigned int<8>. */
  readInt8(): bigint {
    this.need(8, 'int<8>');
    const value = this.buffer.readBigUInt64LE(this.position);
    this.position += 8;
    return value;
  }

  /** Signed (two's complement) int<1>. */
  readSignedInt1(): number {
    this.need(1, 'int<1>');
    return this.buffer.readInt8(this.position++);
  }

  /** Signed int<2>. */
  readSignedInt2(): number {
    this.need(2, 'int<2>');
    const value = this.buffer.readInt16LE(this.position);
    this.position += 2;
    return value;
  }

  /** Signed int<4>. */
  readSignedInt4(): number {
    this.need(4, 'int<4>');
    const value = this.buffer.readInt32LE(this.position);
    this.position += 4;
    return value;
  }

  /** Signed int<8>. */
  readSignedInt8(): bigint {
    this.need(8, 'int<8>');
    const value = this.buffer.readBigInt64LE(this.position);
    this.position += 8;
    return value;
  }

  readFloat(): number {
    this.need(4, 'float');
    const value = this.buffer.readFloatLE(this.position);
    this.position += 4;
    return value;
  }

  readDouble(): number {
    this.need(8, 'double');
    const value = this.buffer.readDoubleLE(this.position);
    this.position += 8;
    return value;
  }

  /** Whether the next byte is the 0xFB NULL marker of a length-encoded value. */
  peekLenencNull(): boolean {
    return this.remaining > 0 && this.buffer[this.position] === 0xfb;
  }

  /**
   * A length-encoded integer. The NULL marker (0xFB) and the invalid 0xFF are
   * malformed here; check peekLenencNull() first where NULL is allowed.
   */
  readLenencInt(): number {
    const first = this.readInt1();
    if (first < 0xfb) {
      return first;
    }
    switch (first) {
      case 0xfc:
        return this.readInt2();
      case 0xfd:
        return this.readInt3();
      case 0xfe: {
        const value = this.readInt8();
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
          throw new ProtocolError(`length-encoded integer ${value} is too large`);
        }
        return Number(value);
      }
      default:
        throw new ProtocolError(`0x${first.toString(16)} does not start a length-encoded integer here`);
    }
  }

  /** string<lenenc> as raw bytes (a view into the payload). */
  readLenencBytes(): Buffer {
    const length = this.readLenencInt();
    return this.readBytes(length);
  }

  /** string<lenenc> decoded as UTF-8. */
  readLenencString(): string {
    return this.readLenencBytes().toString('utf8');
  }

  /** string<NUL> as raw bytes, terminator consumed and not included. */
  readNulTerminatedBytes(): Buffer {
    const end = this.buffer.indexOf(0, this.position);
    if (end < 0) {
      throw new ProtocolError(`missing NUL terminator after byte ${this.position}`);
    }
    const value = this.buffer.subarray(this.position, end);
    this.position = end + 1;
    return value;
  }

  /** string<NUL> decoded as UTF-8. */
  readNulTerminatedString(): string {
    return this.readNulTerminatedBytes().toString('utf8');
  }

  /** `count` raw bytes (a view into the payload). */
  readBytes(count: number): Buffer {
    this.need(count, `${count} bytes`);
    const value = this.buffer.subarray(this.position, this.position + count);
    this.position += count;
    return value;
  }

  /** string<fix> decoded as UTF-8. */
  readString(count: number): string {
    return this.readBytes(count).toString('utf8');
  }

  /** string<EOF>: every byte left, as a view. */
  readRestBytes(): Buffer {
    const value = this.buffer.subarray(this.position);
    this.position = this.buffer.length;
    return value;
  }

  /** string<EOF> decoded as UTF-8. */
  readRestString(): string {
    return this.readRestBytes().toString('utf8');
  }

  private need(count: number, what: string): void {
    if (!Number.isInteger(count) || count < 0 || this.position + count > this.buffer.length) {
      throw new ProtocolError(
        `payload too short: reading ${what} at byte ${this.position} of ${this.buffer.length}`,
      );
    }
  }
}
