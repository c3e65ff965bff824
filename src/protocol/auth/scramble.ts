// The nonce (scramble) both password plugins answer to, and the XOR they share.

import { randomBytes } from 'node:crypto';

export const SCRAMBLE_LENGTH = 20;

const FIRST_PRINTABLE = 0x21;
const PRINTABLE_COUNT = 0x7f - FIRST_PRINTABLE;
const DOLLAR = 0x24;

/**
 * A fresh 20-byte scramble of printable ASCII without NUL or '$', as MySQL makes
 * them: clients that treat it as a C string or a crypt salt must not cut it short.
 */
export function generateScramble(): Buffer {
  const scramble = Buffer.alloc(SCRAMBLE_LENGTH);
  let filled = 0;
  while (filled < SCRAMBLE_LENGTH) {
    for (const byte of randomBytes(SCRAMBLE_LENGTH * 2)) {
      // Rejection sampling keeps the distribution uniform over the accepted bytes.
      if (byte >= PRINTABLE_COUNT * 2) {
        continue;
      }
      const candidate = FIRST_PRINTABLE + (byte % PRINTABLE_COUNT);
      if (candidate === DOLLAR) {
        continue;
      }
      scramble[filled++] = candidate;
      if (filled === SCRAMBLE_LENGTH) {
        break;
      }
    }
  }
  return scramble;
}

/** The 20 bytes that count: auth switch data carries the scramble plus a trailing NUL. */
export function scrambleBytes(scramble: Uint8Array): Uint8Array {
  if (scramble.length < SCRAMBLE_LENGTH) {
    throw new RangeError(`scramble must be at least ${SCRAMBLE_LENGTH} bytes, got ${scramble.length}`);
  }
  return scramble.subarray(0, SCRAMBLE_LENGTH);
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Buffer {
  const out = Buffer.alloc(a.length);
  for (let index = 0; index < a.length; index++) {
    out[index] = (a[index] ?? 0) ^ (b[index] ?? 0);
  }
  return out;
}
