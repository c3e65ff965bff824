// A growable little-endian byte writer for packet payloads. Every message encoder
// writes into one of these, so the same code serves a one-off packet and the
// streaming path (PacketBatch writes rows straight after a reserved header).
//
// Bad arguments (out-of-range integers, a NUL inside a NUL-terminated string) are
// programming errors of the caller and throw RangeError/TypeError, never ProtocolError:
// ProtocolError is for bytes a peer sent.

const DEFAULT_CAPACITY = 256;
// After take(), a writer starts its next buffer at the size it last reached, so a
// steady stream of ~64 KiB batches stops reallocating; one huge row must not pin
// its buffer size forever, hence the cap.
const MAX_RETAINED_CAPACITY = 1024 * 1024;

const TWO_POW_64 = 1n << 64n;
const MIN_INT64 = -(1n << 63n);

export class PayloadWriter {
  private buffer: Buffer;
  private position = 0;
  private nextCapacity: number;

  constructor(initialCapacity = DEFAULT_CAPACITY) {
    this.nextCapacity = Math.max(16, initialCapacity);
    this.buffer = Buffer.allocUnsafe(this.nextCapacity);
  }

  /** Bytes written since construction or the last take(). */
  get length(): number {
    return this.position;
  }

  /**
   * The written bytes. The writer starts a fresh buffer, so the returned bytes are
   * never overwritten (they can be handed to socket.write without copying).
   */
  take(): Buffer {
    const out = this.buffer.subarray(0, this.position);
    this.nextCapacity = Math.min(Math.max(this.buffer.length, 16), MAX_RETAINED_CAPACITY);
    this.buffer = Buffer.allocUnsafe(this.nextCapacity);
    this.position = 0;
    return out;
  }

  /** A view of bytes already written (valid until the next write). */
  view(start: number, end: number = this.position): Buffer {
    if (start < 0 || end > this.position || start > end) {
      throw new RangeError(`view ${start}..${end} is outside the ${this.position} written bytes`);
    }
    return this.buffer.subarray(start, end);
  }

  /** Drops everything written after `length` bytes (used to roll back a failed write). */
  truncate(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > this.position) {
      throw new RangeError(`cannot truncate ${this.position} written bytes to ${length}`);
    }
    this.position = length;
  }

  /** Overwrites one byte already written (a sequence id in a reserved header). */
  setInt1At(offset: number, value: number): void {
    this.checkPatch(offset, 1);
    this.buffer[offset] = checkInt(value, 1);
  }

  /** Overwrites three bytes already written (a payload length in a reserved header). */
  setInt3At(offset: number, value: number): void {
    this.checkPatch(offset, 3);
    const unsigned = checkInt(value, 3);
    this.buffer[offset] = unsigned & 0xff;
    this.buffer[offset + 1] = (unsigned >>> 8) & 0xff;
    this.buffer[offset + 2] = unsigned >>> 16;
  }

  /** int<1>: accepts -128..255 and writes the low 8 bits (two's complement for negatives). */
  writeInt1(value: number): void {
    const byte = checkInt(value, 1);
    this.ensure(1);
    this.buffer[this.position++] = byte;
  }

  /** int<2>, little-endian; accepts -2^15..2^16-1. */
  writeInt2(value: number): void {
    this.ensure(2);
    this.buffer.writeUInt16LE(checkInt(value, 2), this.position);
    this.position += 2;
  }

  /** int<3>, little-endian; accepts -2^23..2^24-1. */
  writeInt3(value: number): void {
    const unsigned = checkInt(value, 3);
    this.ensure(3);
    this.buffer[this.position] = unsigned & 0xff;
    this.buffer[this.position + 1] = (unsigned >>> 8) & 0xff;
    this.buffer[this.position + 2] = unsigned >>> 16;
    this.position += 3;
  }

  /** int<4>, little-endian; accepts -2^31..2^32-1. */
  writeInt4(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(checkInt(value, 4), this.position);
    this.position += 4;
  }

  /** int<8>, little-endian; accepts -2^63..2^64-1 (numbers must be safe integers). */
  writeInt8(value: bigint | number): void {
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      // Two 32-bit halves: avoids a BigInt per value on the row path.
      const high = Math.floor(value / 0x1_0000_0000);
      this.ensure(8);
      this.buffer.writeUInt32LE(value - high * 0x1_0000_0000, this.position);
      this.buffer.writeInt32LE(high, this.position + 4);
      this.position += 8;
      return;
    }
    const big = toBigInt(value);
    if (big < MIN_INT64 || big >= TWO_POW_64) {
      throw new RangeError(`${big} does not fit in 8 bytes`);
    }
    this.ensure(8);
    this.buffer.writeBigUInt64LE(BigInt.asUintN(64, big), this.position);
    this.position += 8;
  }

  /** IEEE 754 single precision, little-endian. */
  writeFloat(value: number): void {
    this.ensure(4);
    this.buffer.writeFloatLE(value, this.position);
    this.position += 4;
  }

  /** IEEE 754 double precision, little-endian. */
  writeDouble(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.position);
    this.position += 8;
  }

  /** Length-encoded integer: 0..2^64-1 in 1, 3, 4 or 9 bytes. */
  writeLenencInt(value: bigint | number): void {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`${value} is not a length-encodable integer`);
      }
      if (value < 0xfb) {
        this.writeInt1(value);
      } else if (value <= 0xffff) {
        this.writeInt1(0xfc);
        this.writeInt2(value);
      } else if (value <= 0xffffff) {
        this.writeInt1(0xfd);
        this.writeInt3(value);
      } else {
        this.writeInt1(0xfe);
        this.writeInt8(value);
      }
      return;
    }
    if (value < 0n || value >= TWO_POW_64) {
      throw new RangeError(`${value} is not a length-encodable integer`);
    }
    if (value <= 0xffffffn) {
      this.writeLenencInt(Number(value));
    } else {
      this.writeInt1(0xfe);
      this.writeInt8(value);
    }
  }

  /** The 0xFB marker that stands for NULL where a length-encoded value is expected. */
  writeLenencNull(): void {
    this.writeInt1(0xfb);
  }

  /** string<lenenc>, UTF-8. */
  writeLenencString(value: string): void {
    // Short strings (the common cell) get a one-byte length whatever their UTF-8
    // size, so encode once and patch the length instead of measuring first.
    if (value.length * 3 < 0xfb) {
      this.ensure(1 + value.length * 3);
      const start = this.position;
      const written = writeUtf8(this.buffer, value, start + 1);
      this.buffer[start] = written;
      this.position = start + 1 + written;
      return;
    }
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.writeLenencInt(byteLength);
    this.ensure(byteLength);
    this.position += this.buffer.write(value, this.position, byteLength, 'utf8');
  }

  /** string<lenenc> of raw bytes. */
  writeLenencBytes(value: Uint8Array): void {
    this.writeLenencInt(value.length);
    this.writeBytes(value);
  }

  /** string<NUL>, UTF-8. */
  writeNulTerminatedString(value: string): void {
    if (value.includes('\0')) {
      throw new TypeError('a NUL-terminated string cannot contain NUL');
    }
    this.writeString(value);
    this.writeInt1(0);
  }

  /** string<fix>/string<EOF>: UTF-8 bytes with no length or terminator. */
  writeString(value: string): void {
    if (value.length === 0) {
      return;
    }
    this.ensure(value.length * 3);
    this.position += writeUtf8(this.buffer, value, this.position);
  }

  /** Raw bytes. */
  writeBytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
  }

  /** `count` zero bytes (fillers, reserved fields). */
  writeZeros(count: number): void {
    this.ensure(count);
    // fill() has a fixed cost that dominates for the 4-byte headers of small packets.
    if (count <= 16) {
      for (let index = 0; index < count; index++) {
        this.buffer[this.position + index] = 0;
      }
    } else {
      this.buffer.fill(0, this.position, this.position + count);
    }
    this.position += count;
  }

  private ensure(extra: number): void {
    const needed = this.position + extra;
    if (needed <= this.buffer.length) {
      return;
    }
    let capacity = Math.max(this.buffer.length * 2, 16);
    while (capacity < needed) {
      capacity *= 2;
    }
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  private checkPatch(offset: number, width: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + width > this.position) {
      throw new RangeError(`offset ${offset} is outside the ${this.position} written bytes`);
    }
  }
}

/** Encodes one payload with a message writer: `encodePayload(writeOk, ok, capabilities)`. */
export function encodePayload<A extends unknown[]>(
  write: (writer: PayloadWriter, ...args: A) => void,
  ...args: A
): Buffer {
  const writer = new PayloadWriter();
  write(writer, ...args);
  return writer.take();
}

// 2^(8 * bytes), by byte count.
const LIMITS = [1, 2 ** 8, 2 ** 16, 2 ** 24, 2 ** 32] as const;

// Returns the unsigned representation of `value` in `bytes` bytes.
function checkInt(value: number, bytes: 1 | 2 | 3 | 4): number {
  const limit = LIMITS[bytes];
  if (!Number.isInteger(value) || value < -(limit / 2) || value >= limit) {
    throw new RangeError(`${value} does not fit in ${bytes} byte${bytes === 1 ? '' : 's'}`);
  }
  return value < 0 ? value + limit : value;
}

// Buffer.write costs more than the copy for the short strings of a typical row, so
// ASCII is stored byte by byte and anything else falls back to the native encoder.
// The caller has ensured room for 3 bytes per UTF-16 unit.
function writeUtf8(buffer: Buffer, value: string, offset: number): number {
  const length = value.length;
  if (length > 64) {
    return buffer.write(value, offset, 'utf8');
  }
  for (let index = 0; index < length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 0x80) {
      return buffer.write(value, offset, 'utf8');
    }
    buffer[offset + index] = code;
  }
  return length;
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') {
    return value;
  }
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${value} is not a safe integer; pass a bigint`);
  }
  return BigInt(value);
}
