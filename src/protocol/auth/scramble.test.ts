import { describe, expect, it } from 'vitest';

import { generateScramble, scrambleBytes, xorBytes } from './scramble.js';

describe('scramble', () => {
  it('generates 20-byte printable scrambles without NUL or $, different each time', () => {
    const seen = new Set<string>();
    for (let round = 0; round < 200; round++) {
      const generated = generateScramble();
      expect(generated.length).toBe(20);
      for (const byte of generated) {
        expect(byte).toBeGreaterThanOrEqual(0x21);
        expect(byte).toBeLessThanOrEqual(0x7e);
        expect(byte).not.toBe(0x24);
      }
      seen.add(generated.toString('hex'));
    }
    expect(seen.size).toBe(200);
  });

  it('keeps the 20 bytes that count and refuses shorter ones', () => {
    expect(scrambleBytes(Buffer.alloc(21, 1)).length).toBe(20);
    expect(() => scrambleBytes(Buffer.alloc(8))).toThrow(RangeError);
  });

  it('xors byte by byte', () => {
    expect(xorBytes(Uint8Array.of(0xf0, 0x0f), Uint8Array.of(0xff, 0xff)).toString('hex')).toBe('0ff0');
  });
});
