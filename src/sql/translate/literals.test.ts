import { describe, expect, it } from 'vitest';
import { hasRawBytes, textBytes } from './literals.js';

describe('textBytes', () => {
  it('is UTF-8 for ordinary text, surrogate pairs included', () => {
    expect(hasRawBytes('héllo 😀')).toBe(false);
    expect(Buffer.from(textBytes('héllo 😀'))).toEqual(Buffer.from('héllo 😀', 'utf8'));
  });

  it('turns the lone surrogates that stand for raw bytes back into those bytes', () => {
    const text = `\udcff\0A\udc80é`;
    expect(hasRawBytes(text)).toBe(true);
    expect(Buffer.from(textBytes(text))).toEqual(Buffer.from([0xff, 0x00, 0x41, 0x80, 0xc3, 0xa9]));
  });
});
