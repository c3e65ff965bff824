import { createHash, generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { mysql2 } from '../test-support.js';
import {
  cachingSha2PasswordHash,
  cachingSha2PasswordToken,
  CachingSha2Status,
  cachingSha2Verifier,
  checkCachingSha2Verifier,
  cleartextPassword,
  decryptRsaPassword,
  encryptRsaPassword,
  isCachingSha2Verifier,
  verifyCachingSha2Password,
} from './caching-sha2-password.js';
import { sha256Crypt } from './sha256-crypt.js';

describe('caching_sha2_password fast authentication', () => {
  const scramble = Buffer.from('abcdefghijklmnopqrst');

  it('stores SHA256(SHA256(password))', () => {
    const stage1 = createHash('sha256').update('pässword').digest();
    expect(cachingSha2PasswordHash('pässword').equals(createHash('sha256').update(stage1).digest())).toBe(true);
    expect(cachingSha2PasswordHash('').length).toBe(0);
  });

  it('computes the same client token as mysql2 and accepts it', () => {
    const token = mysql2.cachingSha2Token('pässword', scramble);
    expect(cachingSha2PasswordToken('pässword', scramble).equals(token)).toBe(true);
    expect(verifyCachingSha2Password(scramble, token, cachingSha2PasswordHash('pässword'))).toBe(true);
    const withNul = Buffer.concat([scramble, Buffer.of(0)]);
    expect(verifyCachingSha2Password(withNul, token, cachingSha2PasswordHash('pässword'))).toBe(true);
  });

  it('rejects a wrong password, another scramble and malformed responses', () => {
    const stored = cachingSha2PasswordHash('right');
    expect(verifyCachingSha2Password(scramble, cachingSha2PasswordToken('wrong', scramble), stored)).toBe(false);
    expect(verifyCachingSha2Password(Buffer.from('tsrqponmlkjihgfedcba'), cachingSha2PasswordToken('right', scramble), stored)).toBe(false);
    expect(verifyCachingSha2Password(scramble, Buffer.alloc(20), stored)).toBe(false);
    expect(verifyCachingSha2Password(scramble, Buffer.alloc(0), stored)).toBe(false);
  });

  it('treats an empty password as an empty response', () => {
    expect(cachingSha2PasswordToken('', scramble).length).toBe(0);
    expect(verifyCachingSha2Password(scramble, Buffer.alloc(0), cachingSha2PasswordHash(''))).toBe(true);
    expect(verifyCachingSha2Password(scramble, Buffer.alloc(32), cachingSha2PasswordHash(''))).toBe(false);
  });

  it('names the AuthMoreData status bytes mysql2 expects', () => {
    expect(CachingSha2Status).toEqual({ REQUEST_PUBLIC_KEY: 2, FAST_AUTH_SUCCESS: 3, PERFORM_FULL_AUTHENTICATION: 4 });
  });
});

describe('caching_sha2_password stored verifier (full authentication)', () => {
  it('writes MySQL’s $A$005$ form: 20-character salt, 43-character SHA-256 crypt hash', () => {
    const verifier = cachingSha2Verifier('pässword', 'abcdefghijklmnopqrst');
    expect(verifier).toMatch(/^\$A\$005\$abcdefghijklmnopqrst[./0-9A-Za-z]{43}$/);
    // The hash part is SHA-256 crypt with 5000 rounds, as `openssl passwd -5` computes it.
    expect(verifier.slice(-43)).toBe(sha256Crypt(Buffer.from('pässword'), Buffer.from('abcdefghijklmnopqrst'), 5000));
    expect(cachingSha2Verifier('')).toBe('');
    expect(cachingSha2Verifier('x')).not.toBe(cachingSha2Verifier('x'));
  });

  it('checks a cleartext password against it', () => {
    const verifier = cachingSha2Verifier('right');
    expect(checkCachingSha2Verifier(Buffer.from('right'), verifier)).toBe(true);
    expect(checkCachingSha2Verifier(Buffer.from('wrong'), verifier)).toBe(false);
    expect(checkCachingSha2Verifier(Buffer.alloc(0), verifier)).toBe(false);
    expect(checkCachingSha2Verifier(Buffer.alloc(0), '')).toBe(true);
    expect(checkCachingSha2Verifier(Buffer.from('x'), '')).toBe(false);
  });

  it('reads the rounds as hex thousands and refuses malformed verifiers', () => {
    const salt = 'ABCDEFGHIJKLMNOPQRST';
    const tenThousand = `$A$00A$${salt}${sha256Crypt(Buffer.from('pw'), Buffer.from(salt), 10_000)}`;
    expect(checkCachingSha2Verifier(Buffer.from('pw'), tenThousand)).toBe(true);
    for (const bad of ['*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19', tenThousand.slice(0, -1), tenThousand.replace('$00A$', '$000$'), tenThousand.replace('$00A$', '$0G0$'), `${tenThousand.slice(0, -1)}!`]) {
      expect(isCachingSha2Verifier(bad)).toBe(false);
      expect(checkCachingSha2Verifier(Buffer.from('pw'), bad)).toBe(false);
    }
    expect(isCachingSha2Verifier(tenThousand)).toBe(true);
    expect(isCachingSha2Verifier('')).toBe(true);
    expect(() => cachingSha2Verifier('pw', 'short')).toThrow(RangeError);
  });
});

describe('caching_sha2_password full authentication payloads', () => {
  const scramble = Buffer.from('abcdefghijklmnopqrst');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('decrypts what mysql2 sends after receiving the public key', () => {
    const sent = mysql2.cachingSha2Encrypt('pässword', scramble, publicPem);
    expect(decryptRsaPassword(sent, scramble, privateKey)?.toString('utf8')).toBe('pässword');
    // With the scramble's trailing NUL, as auth switch data carries it.
    expect(decryptRsaPassword(sent, Buffer.concat([scramble, Buffer.of(0)]), privateKey)?.toString('utf8')).toBe('pässword');
  });

  it('round-trips its own client side, long passwords included', () => {
    const long = 'p'.repeat(150);
    expect(decryptRsaPassword(encryptRsaPassword(long, scramble, publicPem), scramble, privateKey)?.toString('utf8')).toBe(long);
  });

  it('returns null for bytes that do not decrypt, or were encrypted for another key', () => {
    expect(decryptRsaPassword(Buffer.from('secret\0'), scramble, privateKey)).toBeNull();
    expect(decryptRsaPassword(Buffer.alloc(256, 7), scramble, privateKey)).toBeNull();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(decryptRsaPassword(encryptRsaPassword('pw', scramble, other), scramble, privateKey)).toBeNull();
  });

  it('reads a cleartext password with or without its closing NUL', () => {
    expect(cleartextPassword(Buffer.from('secret\0')).toString()).toBe('secret');
    expect(cleartextPassword(Buffer.from('secret')).toString()).toBe('secret');
    expect(cleartextPassword(Buffer.alloc(0)).length).toBe(0);
  });
});
