// Statement text arrives as bytes in the connection's character set (utf8mb4), but a
// client that escapes bytes itself (PyMySQL, mysqlclient: a BLOB parameter becomes
// '...' or _binary'...' holding the raw bytes) sends bytes that are not UTF-8. Decoding
// them as U+FFFD would lose them; each byte that is not part of a well-formed UTF-8
// sequence becomes U+DC80 + (byte - 0x80) instead (Python's "surrogateescape"), which
// no well-formed UTF-8 can produce, so the SQL layer can turn it back into the byte.

/** First code unit of the escapes: byte b (0x80..0xFF) is U+DC00 + b. */
export const RAW_BYTE_ESCAPE_BASE = 0xdc00;

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Length of the well-formed UTF-8 sequence at `i`, or 0 (RFC 3629's table). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** UTF-8 text, with every byte outside a well-formed sequence kept as an escape. */
export function decodeQueryText(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    const parts: string[] = [];
    let start = 0;
    let i = 0;
    while (i < bytes.length) {
      const n = sequenceLength(bytes, i);
      if (n > 0) {
        i += n;
        continue;
      }
      parts.push(strict.decode(bytes.subarray(start, i)), String.fromCharCode(RAW_BYTE_ESCAPE_BASE + (bytes[i] ?? 0)));
      i += 1;
      start = i;
    }
    parts.push(strict.decode(bytes.subarray(start)));
    return parts.join('');
  }
}
