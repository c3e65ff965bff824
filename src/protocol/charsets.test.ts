import { describe, expect, it } from 'vitest';
import { charsetOfCollation, decodeText, encodeText, isWireCharset } from './charsets.js';

describe('client character sets', () => {
  it('encodes latin1 as Windows-1252, with ? for what it cannot hold', () => {
    expect([...encodeText('café €‰ ☃', 'latin1')]).toEqual([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x89, 0x20, 0x3f]);
    expect([...encodeText('naïve', 'ascii')]).toEqual([0x6e, 0x61, 0x3f, 0x76, 0x65]);
    expect(Buffer.from(encodeText('☃', 'utf8mb4')).toString('utf8')).toBe('☃');
  });

  it('decodes what a latin1 client sends, and UTF-8 otherwise', () => {
    expect(decodeText(Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]), 'latin1')).toBe('café €');
    expect(decodeText(Buffer.from('café ☃', 'utf8'), 'utf8mb4')).toBe('café ☃');
    // Every byte round-trips through latin1.
    const all = Uint8Array.from({ length: 256 }, (_v, i) => i);
    expect([...encodeText(decodeText(all, 'latin1'), 'latin1')]).toEqual([...all]);
  });

  it('knows the charsets of handshake collations and the names SET NAMES may use', () => {
    expect([8, 11, 33, 45, 63, 255, 28].map(charsetOfCollation)).toEqual(['latin1', 'ascii', 'utf8mb3', 'utf8mb4', 'binary', 'utf8mb4', undefined]);
    expect(['UTF8MB4', 'latin1', 'gbk'].map(isWireCharset)).toEqual([true, true, false]);
  });
});
