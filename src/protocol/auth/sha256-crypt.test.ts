import { describe, expect, it } from 'vitest';

import { sha256Crypt } from './sha256-crypt.js';

// Test vectors from Drepper's specification of SHA-256 crypt (the first also what `openssl passwd -5` prints).
describe('sha256Crypt', () => {
  it('matches the specification with the default rounds', () => {
    expect(sha256Crypt(Buffer.from('Hello world!'), Buffer.from('saltstring'), 5000)).toBe('5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5');
  });

  it('matches the specification with 10000 rounds and a 16-byte salt', () => {
    expect(sha256Crypt(Buffer.from('Hello world!'), Buffer.from('saltstringsaltst'), 10000)).toBe('3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA');
  });

  it('matches the specification for a long password', () => {
    expect(sha256Crypt(Buffer.from('we have a short salt string but not a short password'), Buffer.from('short'), 77777)).toBe(
      'JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/',
    );
  });

  it('refuses a round count that is not positive', () => {
    expect(() => sha256Crypt(Buffer.from('x'), Buffer.from('s'), 0)).toThrow(RangeError);
  });
});
