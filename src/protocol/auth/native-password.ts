// mysql_native_password: the server stores SHA1(SHA1(password)); the client proves
// knowledge of SHA1(password) with SHA1(password) XOR SHA1(scramble + stored hash).

import { createHash, timingSafeEqual } from 'node:crypto';

import { scrambleBytes, xorBytes } from './scramble.js';

const HASH_LENGTH = 20;

/**
 * The stored form of a password: SHA1(SHA1(password)), 20 bytes; empty for an empty
 * password (MySQL stores no hash for an account without a password).
 */
export function nativePasswordHash(password: string | Uint8Array): Buffer {
  if (password.length === 0) {
    return Buffer.alloc(0);
  }
  return sha1(sha1(password));
}

/**
 * Whether a client's auth response proves the password behind `storedHash`. An empty
 * stored hash accepts only an empty response; anything else needs a 20-byte response.
 */
export function verifyNativePassword(scramble: Uint8Array, authResponse: Uint8Array, storedHash: Uint8Array): boolean {
  if (storedHash.length === 0) {
    return authResponse.length === 0;
  }
  if (storedHash.length !== HASH_LENGTH || authResponse.length !== HASH_LENGTH) {
    return false;
  }
  const stage1 = xorBytes(authResponse, sha1(scrambleBytes(scramble), storedHash));
  return timingSafeEqual(sha1(stage1), storedHash);
}

/** The client side: what a client with `password` answers to `scramble` (empty for no password). */
export function nativePasswordToken(password: string | Uint8Array, scramble: Uint8Array): Buffer {
  if (password.length === 0) {
    return Buffer.alloc(0);
  }
  const stage1 = sha1(password);
  return xorBytes(stage1, sha1(scrambleBytes(scramble), sha1(stage1)));
}

function sha1(...parts: (string | Uint8Array)[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) {
    hash.update(part);
  }
  return hash.digest();
}
