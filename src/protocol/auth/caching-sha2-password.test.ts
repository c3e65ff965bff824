import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { mysql2 } from '../test-support.js';
import {
  cachingSha2PasswordHash,
  cachingSha2PasswordToken,
  CachingSha2Status,
  verifyCachingSha2Password,
} from './caching-sha2-password.js';

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
