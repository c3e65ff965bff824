// The character sets text may travel in between client and server. Inside, text is
// always Unicode; a client that says (at login, or by SET NAMES) it speaks latin1 or
// ascii gets its statements decoded from that and its results encoded into it, as
// MySQL does. latin1 is MySQL's: Windows-1252 (0x80..0x9F are € ‚ ƒ ... rather than
// C1 controls). A character the target cannot hold is sent as '?', as MySQL does.
import { decodeQueryText } from './query-text.js';

export const WIRE_CHARSETS = ['utf8mb4', 'utf8mb3', 'utf8', 'latin1', 'ascii', 'binary'] as const;
export type WireCharset = (typeof WIRE_CHARSETS)[number];

export function isWireCharset(name: string): name is WireCharset {
  return (WIRE_CHARSETS as readonly string[]).includes(name.toLowerCase());
}

/** The character set of a collation id a client names in its handshake (undefined: one we do not transcode). */
const BY_COLLATION: Readonly<Record<number, WireCharset>> = {
  8: 'latin1',
  47: 'latin1',
  48: 'latin1',
  11: 'ascii',
  65: 'ascii',
  33: 'utf8mb3',
  83: 'utf8mb3',
  192: 'utf8mb3',
  45: 'utf8mb4',
  46: 'utf8mb4',
  224: 'utf8mb4',
  255: 'utf8mb4',
  63: 'binary',
};

export function charsetOfCollation(id: number): WireCharset | undefined {
  return BY_COLLATION[id];
}

/** The default collation id of a character set, as result column definitions carry it. */
export function defaultCollationId(charset: WireCharset): number {
  switch (charset) {
    case 'latin1':
      return 8;
    case 'ascii':
      return 11;
    case 'utf8':
    case 'utf8mb3':
      return 33;
    case 'utf8mb4':
      return 255;
    case 'binary':
      return 63;
  }
}

/** Whether text in this character set is sent as UTF-8 (nothing to convert). */
export function isUtf8(charset: WireCharset): boolean {
  return charset !== 'latin1' && charset !== 'ascii';
}

const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const CP1252_ENCODE = new Map<number, number>([...CP1252_HIGH].map((ch, i) => [ch.codePointAt(0) ?? 0, 0x80 + i]));
const QUESTION = 0x3f;

/** Text as the client's character set holds it. */
export function encodeText(text: string, charset: WireCharset): Uint8Array {
  if (isUtf8(charset)) return Buffer.from(text, 'utf8');
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? QUESTION;
    if (code < 0x80) out.push(code);
    else if (charset === 'ascii') out.push(QUESTION);
    else if (code >= 0xa0 && code <= 0xff) out.push(code);
    else out.push(CP1252_ENCODE.get(code) ?? QUESTION);
  }
  return Uint8Array.from(out);
}

/** A statement's text as the client sent it, in its character set. */
export function decodeText(bytes: Uint8Array, charset: WireCharset): string {
  if (isUtf8(charset)) return decodeQueryText(bytes);
  let text = '';
  for (const b of bytes) text += b >= 0x80 && b < 0xa0 ? (CP1252_HIGH[b - 0x80] ?? '?') : String.fromCharCode(b);
  return text;
}
