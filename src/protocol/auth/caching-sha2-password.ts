// caching_sha2_password, fast path: the client sends SHA256(password) XOR
// SHA256(SHA256(SHA256(password)) + scramble), which the server checks against
// SHA256(SHA256(password)). MySQL keeps that value only in an in-memory cache and
// falls back to "full authentication" (cleartext over TLS, or RSA) on a miss; a
// server that stores it for every account can always answer FAST_AUTH_SUCCESS.
// Full authentication is not implemented here.

import { createHash, timingSafeEqual } from 'node:crypto';

import { scrambleBytes, xorBytes } from './scramble.js';

/** The AuthMoreData bytes of the plugin's exchange. */
export const CachingSha2Status = {
  /** client → server: send me your RSA public key. */
  REQUEST_PUBLIC_KEY: 0x02,
  /** server → client (in AuthMoreData): the scramble matched; an OK packet follows. */
  FAST_AUTH_SUCCESS: 0x03,
  /** server → client (in AuthMoreData): send the password in full. */
  PERFORM_FULL_AUTHENTICATION: 0x04,
} as const;

const HASH_LENGTH = 32;

/** SHA256(SHA256(password)), 32 bytes; empty for an empty password. */
export function cachingSha2PasswordHash(password: string | Uint8Array): Buffer {
  if (password.length === 0) {
    return Buffer.alloc(0);
  }
  return sha256(sha256(password));
}

/**
 * Whether a client's scramble response proves the password behind `storedHash`.
 * An empty stored hash accepts only an empty response.
 */
export function verifyCachingSha2Password(scramble: Uint8Array, authResponse: Uint8Array, storedHash: Uint8Array): boolean {
  if (storedHash.length === 0) {
    return authResponse.length === 0;
  }
  if (storedHash.length !== HASH_LENGTH || authResponse.length !== HASH_LENGTH) {
    return false;
  }
  const stage1 = xorBytes(authResponse, sha256(storedHash, scrambleBytes(scramble)));
  return timingSafeEqual(sha256(stage1), storedHash);
}

/** The client side: what a client with `password` answers to `scramble` (empty for no password). */
export function cachingSha2PasswordToken(password: string | Uint8Array, scramble: Uint8Array): Buffer {
  if (password.length === 0) {
    return Buffer.alloc(0);
  }
  const stage1 = sha256(password);
  return xorBytes(stage1, sha256(sha256(stage1), scrambleBytes(scramble)));
}

function sha256(...parts: (string | Uint8Array)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
  }
  return hash.digest();
}
