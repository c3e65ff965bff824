// caching_sha2_password. Fast path: the client sends SHA256(password) XOR
// SHA256(SHA256(SHA256(password)) + scramble), which the server checks against
// SHA256(SHA256(password)). As in MySQL that digest lives only in the server's
// memory; at rest an account keeps a salted SHA-256 crypt verifier
// (`$A$005$<salt><hash>`), checked in the full path, where the client sends the
// password itself: in clear over TLS, or XOR-ed with the scramble and encrypted
// with the server's RSA public key (OAEP) over a plain connection.

import { constants, createHash, privateDecrypt, publicEncrypt, randomBytes, timingSafeEqual, type KeyLike } from 'node:crypto';

import { scrambleBytes, xorBytes } from './scramble.js';
import { CRYPT_ALPHABET, sha256Crypt } from './sha256-crypt.js';

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

const VERIFIER_PREFIX = '$A$';
const SALT_LENGTH = 20;
const CRYPT_HASH_LENGTH = 43;
/** MySQL's default: 5 × 1000 rounds of SHA-256 crypt. */
const DEFAULT_ROUNDS_THOUSANDS = 5;

/**
 * The stored form of a caching_sha2_password account, as MySQL writes it in
 * mysql.user.authentication_string: `$A$`, the rounds in thousands as three hex
 * digits, `$`, a 20-character salt and the 43-character hash. Empty for no password.
 */
export function cachingSha2Verifier(password: string | Uint8Array, salt?: string): string {
  if (password.length === 0) {
    return '';
  }
  const s = salt ?? randomSalt();
  if (s.length !== SALT_LENGTH || s.includes('$') || s.includes('\0')) {
    throw new RangeError(`a caching_sha2_password salt is ${SALT_LENGTH} characters without '$' or NUL`);
  }
  const rounds = DEFAULT_ROUNDS_THOUSANDS.toString(16).toUpperCase().padStart(3, '0');
  return `${VERIFIER_PREFIX}${rounds}$${s}${sha256Crypt(Buffer.from(password), Buffer.from(s, 'latin1'), DEFAULT_ROUNDS_THOUSANDS * 1000)}`;
}

/** Whether `text` has the shape of a stored verifier (or is empty: no password). */
export function isCachingSha2Verifier(text: string): boolean {
  return text === '' || parseVerifier(text) !== null;
}

/** Whether a cleartext password (from the full path) matches a stored verifier. */
export function checkCachingSha2Verifier(password: Uint8Array, verifier: string): boolean {
  if (verifier === '') {
    return password.length === 0;
  }
  const parsed = parseVerifier(verifier);
  if (parsed === null || password.length === 0) {
    return false;
  }
  const computed = Buffer.from(sha256Crypt(password, Buffer.from(parsed.salt, 'latin1'), parsed.rounds), 'latin1');
  return timingSafeEqual(computed, Buffer.from(parsed.hash, 'latin1'));
}

function parseVerifier(text: string): { rounds: number; salt: string; hash: string } | null {
  const head = VERIFIER_PREFIX.length;
  if (!text.startsWith(VERIFIER_PREFIX) || text.length !== head + 4 + SALT_LENGTH + CRYPT_HASH_LENGTH || text[head + 3] !== '$') {
    return null;
  }
  const digits = text.slice(head, head + 3);
  if (!/^[0-9A-Fa-f]{3}$/.test(digits)) {
    return null;
  }
  const rounds = parseInt(digits, 16) * 1000;
  const salt = text.slice(head + 4, head + 4 + SALT_LENGTH);
  const hash = text.slice(head + 4 + SALT_LENGTH);
  if (rounds === 0 || [...hash].some((c) => !CRYPT_ALPHABET.includes(c))) {
    return null;
  }
  return { rounds, salt, hash };
}

function randomSalt(): string {
  let salt = '';
  for (const byte of randomBytes(SALT_LENGTH)) {
    salt += CRYPT_ALPHABET[byte & 0x3f] ?? '.';
  }
  return salt;
}

/** The password a client sent in clear over TLS: its bytes without the closing NUL. */
export function cleartextPassword(payload: Uint8Array): Buffer {
  const end = payload.length > 0 && payload[payload.length - 1] === 0 ? payload.length - 1 : payload.length;
  return Buffer.from(payload.subarray(0, end));
}

/**
 * The password a client sent encrypted with the server's RSA public key: decrypts
 * (OAEP, SHA-1, as MySQL and its clients use), undoes the XOR with the scramble and
 * drops the closing NUL. Null when the bytes do not decrypt with this key.
 */
export function decryptRsaPassword(ciphertext: Uint8Array, scramble: Uint8Array, privateKey: KeyLike): Buffer | null {
  let plain: Buffer;
  try {
    plain = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, ciphertext);
  } catch {
    return null;
  }
  return cleartextPassword(xorRotating(plain, scrambleBytes(scramble)));
}

/** The client side of the RSA exchange: what a client sends for `password`. */
export function encryptRsaPassword(password: string | Uint8Array, scramble: Uint8Array, publicKey: KeyLike): Buffer {
  const plain = Buffer.concat([Buffer.from(password), Buffer.of(0)]);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, xorRotating(plain, scrambleBytes(scramble)));
}

function xorRotating(data: Uint8Array, key: Uint8Array): Buffer {
  const out = Buffer.alloc(data.length);
  for (let index = 0; index < data.length; index++) {
    out[index] = (data[index] ?? 0) ^ (key[index % key.length] ?? 0);
  }
  return out;
}
