import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { mysql2 } from '../test-support.js';
import { nativePasswordHash, nativePasswordToken, verifyNativePassword } from './native-password.js';

describe('mysql_native_password', () => {
  const scramble = Buffer.from('dvH@I-CJ*4d|cZwk4^]:');

  it('stores SHA1(SHA1(password)), which MySQL shows as *2470C0C0…', () => {
    // The well-known hash of 'password' in mysql.user.authentication_string.
    expect(nativePasswordHash('password').toString('hex').toUpperCase()).toBe('2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
    const stage1 = createHash('sha1').update('secret').digest();
    expect(nativePasswordHash('secret').equals(createHash('sha1').update(stage1).digest())).toBe(true);
  });

  it('accepts the token of the right password and rejects a wrong one', () => {
    const stored = nativePasswordHash('s3cret!');
    expect(verifyNativePassword(scramble, nativePasswordToken('s3cret!', scramble), stored)).toBe(true);
    expect(verifyNativePassword(scramble, nativePasswordToken('s3cret?', scramble), stored)).toBe(false);
    const otherScramble = Buffer.from('abcdefghijklmnopqrst');
    expect(verifyNativePassword(otherScramble, nativePasswordToken('s3cret!', scramble), stored)).toBe(false);
  });

  it('computes the same client token as mysql2', () => {
    const reference = mysql2.nativePasswordToken('pässword', scramble.subarray(0, 8), scramble.subarray(8));
    expect(nativePasswordToken('pässword', scramble).equals(reference)).toBe(true);
  });

  it('ignores the NUL that ends the scramble in auth switch data', () => {
    const stored = nativePasswordHash('pw');
    const withNul = Buffer.concat([scramble, Buffer.of(0)]);
    expect(verifyNativePassword(withNul, nativePasswordToken('pw', scramble), stored)).toBe(true);
  });

  it('treats an empty password as an empty response on both sides', () => {
    expect(nativePasswordHash('').length).toBe(0);
    expect(nativePasswordToken('', scramble).length).toBe(0);
    expect(verifyNativePassword(scramble, Buffer.alloc(0), nativePasswordHash(''))).toBe(true);
    expect(verifyNativePassword(scramble, nativePasswordToken('x', scramble), nativePasswordHash(''))).toBe(false);
    expect(verifyNativePassword(scramble, Buffer.alloc(0), nativePasswordHash('x'))).toBe(false);
  });

  it('rejects responses of the wrong length without throwing', () => {
    const stored = nativePasswordHash('pw');
    expect(verifyNativePassword(scramble, Buffer.alloc(19), stored)).toBe(false);
    expect(verifyNativePassword(scramble, Buffer.alloc(21), stored)).toBe(false);
  });
});
