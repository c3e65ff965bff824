import { describe, expect, it } from 'vitest';

import { PayloadReader } from './payload-reader.js';
import { encodePayload, PayloadWriter } from './payload-writer.js';
import { ProtocolError } from './protocol-error.js';
import { asMysql2Packet } from './test-support.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function written(write: (writer: PayloadWriter) => void): string {
  return hex(encodePayload(write));
}

describe('PayloadWriter', () => {
  it('writes fixed-width little-endian integers, two’s complement for negatives', () => {
    expect(written((w) => w.writeInt1(0xab))).toBe('ab');
    expect(written((w) => w.writeInt1(-1))).toBe('ff');
    expect(written((w) => w.writeInt2(0x1234))).toBe('3412');
    expect(written((w) => w.writeInt2(-2))).toBe('feff');
    expect(written((w) => w.writeInt3(0x123456))).toBe('563412');
    expect(written((w) => w.writeInt4(0x12345678))).toBe('78563412');
    expect(written((w) => w.writeInt4(-1))).toBe('ffffffff');
    expect(written((w) => w.writeInt4(0xffffffff))).toBe('ffffffff');
    expect(written((w) => w.writeInt8(1n))).toBe('0100000000000000');
    expect(written((w) => w.writeInt8(-(1n << 63n)))).toBe('0000000000000080');
    expect(written((w) => w.writeInt8((1n << 64n) - 1n))).toBe('ffffffffffffffff');
    expect(written((w) => w.writeInt8(2 ** 40))).toBe('0000000000010000');
  });

  it('rejects integers that do not fit', () => {
    const w = new PayloadWriter();
    expect(() => w.writeInt1(256)).toThrow(RangeError);
    expect(() => w.writeInt1(-129)).toThrow(RangeError);
    expect(() => w.writeInt2(1.5)).toThrow(RangeError);
    expect(() => w.writeInt4(2 ** 32)).toThrow(RangeError);
    expect(() => w.writeInt8(1n << 64n)).toThrow(RangeError);
    expect(() => w.writeInt8(2 ** 60)).toThrow(RangeError);
    expect(() => w.writeLenencInt(-1)).toThrow(RangeError);
    expect(() => w.writeLenencInt(1n << 64n)).toThrow(RangeError);
    expect(w.length).toBe(0);
  });

  it('writes length-encoded integers at every width boundary', () => {
    const cases: [number | bigint, string][] = [
      [0, '00'],
      [250, 'fa'],
      [251, 'fcfb00'],
      [0xffff, 'fcffff'],
      [0x10000, 'fd000001'],
      [0xffffff, 'fdffffff'],
      [0x1000000, 'fe0000000100000000'],
      [(1n << 64n) - 1n, 'feffffffffffffffff'],
      [5n, '05'],
    ];
    for (const [value, expected] of cases) {
      expect(written((w) => w.writeLenencInt(value)), String(value)).toBe(expected);
    }
    expect(written((w) => w.writeLenencNull())).toBe('fb');
  });

  it('writes strings: lenenc UTF-8, NUL-terminated, raw', () => {
    expect(written((w) => w.writeLenencString('héllo'))).toBe(`06${Buffer.from('héllo').toString('hex')}`);
    expect(written((w) => w.writeLenencString(''))).toBe('00');
    expect(written((w) => w.writeNulTerminatedString('ab'))).toBe('616200');
    expect(written((w) => w.writeString('ab'))).toBe('6162');
    expect(written((w) => w.writeLenencBytes(Uint8Array.of(1, 2)))).toBe('020102');
    expect(written((w) => w.writeZeros(3))).toBe('000000');
    expect(() => new PayloadWriter().writeNulTerminatedString('a\0b')).toThrow(TypeError);
  });

  it('picks the right length prefix for strings around the fast-path limit', () => {
    for (const text of ['x'.repeat(83), 'x'.repeat(84), 'x'.repeat(250), 'x'.repeat(251), '€'.repeat(83), '€'.repeat(84), '😀'.repeat(63), 'x'.repeat(70_000)]) {
      const bytes = encodePayload((w) => w.writeLenencString(text));
      const reader = new PayloadReader(bytes);
      expect(reader.readLenencString()).toBe(text);
      expect(reader.atEnd).toBe(true);
      // mysql2's reader agrees on the framing
      expect(asMysql2Packet(bytes).readLengthCodedString('utf8')).toBe(text);
    }
  });

  it('grows from a tiny buffer and take() never hands out bytes it later overwrites', () => {
    const w = new PayloadWriter(1);
    w.writeBytes(Buffer.alloc(1000, 7));
    const first = w.take();
    w.writeBytes(Buffer.alloc(10, 9));
    expect(first.length).toBe(1000);
    expect(first.every((b) => b === 7)).toBe(true);
    expect(hex(w.take())).toBe('09'.repeat(10));
  });

  it('patches and truncates written bytes only', () => {
    const w = new PayloadWriter();
    w.writeZeros(4);
    w.setInt3At(0, 0x010203);
    w.setInt1At(3, 9);
    expect(hex(w.view(0))).toBe('03020109');
    expect(() => w.setInt3At(2, 1)).toThrow(RangeError);
    w.truncate(1);
    expect(hex(w.take())).toBe('03');
    expect(() => w.truncate(5)).toThrow(RangeError);
  });
});

describe('PayloadReader', () => {
  it('reads back everything the writer writes', () => {
    const payload = encodePayload((w) => {
      w.writeInt1(200);
      w.writeInt1(-5);
      w.writeInt2(65000);
      w.writeInt2(-300);
      w.writeInt3(0xabcdef);
      w.writeInt4(4_000_000_000);
      w.writeInt4(-123456);
      w.writeInt8((1n << 64n) - 2n);
      w.writeInt8(-5n);
      w.writeFloat(1.5);
      w.writeDouble(Math.PI);
      w.writeLenencInt(0xfffff);
      w.writeLenencString('ü');
      w.writeNulTerminatedString('nul');
      w.writeLenencNull();
      w.writeString('rest');
    });
    const r = new PayloadReader(payload);
    expect(r.readInt1()).toBe(200);
    expect(r.readSignedInt1()).toBe(-5);
    expect(r.readInt2()).toBe(65000);
    expect(r.readSignedInt2()).toBe(-300);
    expect(r.readInt3()).toBe(0xabcdef);
    expect(r.readInt4()).toBe(4_000_000_000);
    expect(r.readSignedInt4()).toBe(-123456);
    expect(r.readInt8()).toBe((1n << 64n) - 2n);
    expect(r.readSignedInt8()).toBe(-5n);
    expect(r.readFloat()).toBe(1.5);
    expect(r.readDouble()).toBe(Math.PI);
    expect(r.readLenencInt()).toBe(0xfffff);
    expect(r.readLenencString()).toBe('ü');
    expect(r.readNulTerminatedString()).toBe('nul');
    expect(r.peekLenencNull()).toBe(true);
    r.skip(1);
    expect(r.remaining).toBe(4);
    expect(r.readRestString()).toBe('rest');
    expect(r.atEnd).toBe(true);
    expect(r.readRestBytes().length).toBe(0);
  });

  it('reads a plain Uint8Array as well as a Buffer view with an offset', () => {
    const backing = Buffer.from('ff0102', 'hex');
    expect(new PayloadReader(backing.subarray(1)).readInt2()).toBe(0x0201);
    expect(new PayloadReader(new Uint8Array([0x34, 0x12])).readInt2()).toBe(0x1234);
  });

  it('throws ProtocolError on every read past the end', () => {
    const reads: ((r: PayloadReader) => unknown)[] = [
      (r) => r.readInt1(),
      (r) => r.readInt2(),
      (r) => r.readInt3(),
      (r) => r.readInt4(),
      (r) => r.readInt8(),
      (r) => r.readSignedInt1(),
      (r) => r.readSignedInt2(),
      (r) => r.readSignedInt4(),
      (r) => r.readSignedInt8(),
      (r) => r.readFloat(),
      (r) => r.readDouble(),
      (r) => r.readLenencInt(),
      (r) => r.readLenencString(),
      (r) => r.readNulTerminatedString(),
      (r) => r.readBytes(1),
      (r) => r.readString(1),
      (r) => r.skip(1),
      (r) => r.peekInt1(),
    ];
    for (const read of reads) {
      expect(() => read(new PayloadReader(Buffer.alloc(0)))).toThrow(ProtocolError);
    }
  });

  it('rejects lengths that point past the end, and impossible lenenc markers', () => {
    expect(() => new PayloadReader(Buffer.from('05616263', 'hex')).readLenencString()).toThrow(ProtocolError);
    expect(() => new PayloadReader(Buffer.from('fc0001', 'hex')).readLenencBytes()).toThrow(ProtocolError);
    expect(() => new PayloadReader(Buffer.from('fe0000', 'hex')).readLenencInt()).toThrow(ProtocolError);
    expect(() => new PayloadReader(Buffer.from('ff', 'hex')).readLenencInt()).toThrow(ProtocolError);
    expect(() => new PayloadReader(Buffer.from('fb', 'hex')).readLenencInt()).toThrow(ProtocolError);
    expect(() => new PayloadReader(Buffer.from('feffffffffffffffff', 'hex')).readLenencInt()).toThrow(ProtocolError);
    expect(() => new PayloadReader(Buffer.from('6162', 'hex')).readNulTerminatedString()).toThrow(ProtocolError);
    expect(() => new PayloadReader(Buffer.from('00', 'hex')).readBytes(-1)).toThrow(ProtocolError);
  });

  it('reads 3- and 9-byte lenenc integers', () => {
    expect(new PayloadReader(Buffer.from('fd563412', 'hex')).readLenencInt()).toBe(0x123456);
    expect(new PayloadReader(Buffer.from('fe0000000000010000', 'hex')).readLenencInt()).toBe(2 ** 40);
  });
});
