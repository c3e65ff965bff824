// SHA-256 crypt (Drepper, "Unix crypt using SHA-256"): the salted, iterated hash
// MySQL's caching_sha2_password stores as `$A$005$<20-byte salt><43-char hash>`.
// Storing it instead of SHA256(SHA256(password)) keeps a leaked catalog from being
// a fast-path credential; the fast-path digest lives only in the server's memory.

import { createHash, type Hash } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 43-character hash part of `$5$rounds=N$salt$hash` for `password` and `salt`. */
export function sha256Crypt(password: Uint8Array, salt: Uint8Array, rounds: number): string {
  if (!Number.isSafeInteger(rounds) || rounds < 1) {
    throw new RangeError(`rounds must be a positive integer, got ${rounds}`);
  }
  const p = Buffer.from(password);
  const s = Buffer.from(salt);
  const b = digest(p, s, p);
  const a = createHash('sha256').update(p).update(s);
  addRepeated(a, b, p.length);
  for (let n = p.length; n > 0; n >>= 1) a.update((n & 1) !== 0 ? b : p);
  let current = a.digest();

  const dp = createHash('sha256');
  for (let i = 0; i < p.length; i++) dp.update(p);
  const pSequence = repeatTo(dp.digest(), p.length);
  const ds = createHash('sha256');
  for (let i = 0; i < 16 + (current[0] ?? 0); i++) ds.update(s);
  const sSequence = repeatTo(ds.digest(), s.length);

  for (let round = 0; round < rounds; round++) {
    const c = createHash('sha256');
    const odd = (round & 1) !== 0;
    c.update(odd ? pSequence : current);
    if (round % 3 !== 0) c.update(sSequence);
    if (round % 7 !== 0) c.update(pSequence);
    c.update(odd ? current : pSequence);
    current = c.digest();
  }
  return encode(current);
}

function digest(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
}

function addRepeated(hash: Hash, block: Buffer, length: number): void {
  let left = length;
  for (; left > block.length; left -= block.length) hash.update(block);
  hash.update(block.subarray(0, left));
}

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += block.length) block.copy(out, offset, 0, Math.min(block.length, length - offset));
  return out;
}

// The byte order SHA-256 crypt spreads the digest over its 24-bit groups.
const GROUPS: readonly (readonly [number, number, number])[] = [
  [0, 10, 20],
  [21, 1, 11],
  [12, 22, 2],
  [3, 13, 23],
  [24, 4, 14],
  [15, 25, 5],
  [6, 16, 26],
  [27, 7, 17],
  [18, 28, 8],
  [9, 19, 29],
];

function encode(d: Buffer): string {
  let out = '';
  const put = (b2: number, b1: number, b0: number, count: number): void => {
    let w = (b2 << 16) | (b1 << 8) | b0;
    for (let i = 0; i < count; i++) {
      out += ITOA64[w & 0x3f] ?? '';
      w >>= 6;
    }
  };
  for (const [x, y, z] of GROUPS) put(d[x] ?? 0, d[y] ?? 0, d[z] ?? 0, 4);
  put(0, d[31] ?? 0, d[30] ?? 0, 3);
  return out;
}

/** Salt characters: the crypt alphabet, which never holds NUL or '$'. */
export const CRYPT_ALPHABET = ITOA64;
