import { describe, expect, it } from 'vitest';
import { decodeQueryText, RAW_BYTE_ESCAPE_BASE } from './query-text.js';

const escape = (b: number): string => String.fromCharCode(RAW_BYTE_ESCAPE_BASE + b);

describe('decodeQueryText', () => {
  it('decodes well-formed UTF-8 as it is', () => {
    const text = "SELECT 'é', '😀', 'ü'";
    expect(decodeQueryText(Buffer.from(text, 'utf8'))).toBe(text);
  });

  it('keeps each byte that is not UTF-8 as an escape, and the text around it', () => {
    const bytes = Buffer.concat([Buffer.from("INSERT INTO t VALUES ('", 'utf8'), Buffer.from([0x00, 0x01, 0xff, 0xc3, 0xa9, 0xc3, 0x28, 0x80]), Buffer.from("')", 'utf8')]);
    expect(decodeQueryText(bytes)).toBe(`INSERT INTO t VALUES ('\0\x01${escape(0xff)}é${escape(0xc3)}(${escape(0x80)}')`);
  });

  it('escapes overlong forms, encoded surrogates and truncated sequences byte by byte', () => {
    expect(decodeQueryText(Buffer.from([0xc0, 0xaf]))).toBe(escape(0xc0) + escape(0xaf));
    expect(decodeQueryText(Buffer.from([0xed, 0xa0, 0x80]))).toBe(escape(0xed) + escape(0xa0) + escape(0x80));
    expect(decodeQueryText(Buffer.from([0x61, 0xf0, 0x9f, 0x98]))).toBe(`a${escape(0xf0)}${escape(0x9f)}${escape(0x98)}`);
  });
});
