import { describe, expect, it } from 'vitest';
import { rawBytesOf } from './literals.js';

describe('rawBytesOf', () => {
  it('is undefined for ordinary text, surrogate pairs included', () => {
    expect(rawBytesOf('héllo 😀')).toBeUndefined();
  });

  it('turns the lone surrogates that stand for raw bytes back into those bytes', () => {
    const text = `\udcff\0A\udc80é`;
    expect(Buffer.from(rawBytesOf(text) ?? [])).toEqual(Buffer.from([0xff, 0x00, 0x41, 0x80, 0xc3, 0xa9]));
  });
});
