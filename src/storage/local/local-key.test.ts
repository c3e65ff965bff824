import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../object-store.js';
import { checkKey, compareKeys, escapeSegment, splitPrefix, unescapeSegment } from './local-key.js';

function invalidReason(key: string): string {
  try {
    checkKey(key);
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind).toBe('InvalidKey');
    expect((err as StorageError).key).toBe(key);
    return (err as StorageError).message;
  }
  throw new Error(`${JSON.stringify(key)} was accepted`);
}

describe('checkKey', () => {
  it('accepts ordinary keys and returns their segments', () => {
    expect(checkKey('db/d1/t1/p0/f.parquet')).toEqual(['db', 'd1', 't1', 'p0', 'f.parquet']);
    expect(checkKey('_ducksafe.json')).toEqual(['_ducksafe.json']);
    expect(checkKey('a/..b/.c/@v1/%/ü')).toEqual(['a', '..b', '.c', '@v1', '%', 'ü']);
  });

  it.each([
    ['', /empty/],
    ['../x', /'\.\.' segment/],
    ['a/../../x', /'\.\.' segment/],
    ['./x', /'\.' segment/],
    ['/etc/passwd', /absolute/],
    ['a//b', /empty path segment/],
    ['a/', /empty path segment/],
    ['a\\b', /backslash/],
    ['a\0b', /NUL/],
    ['.versions/keys/a', /reserved/],
    ['.versionsX', /reserved/],
    ['é'.repeat(513), /1024 bytes/],
  ])('refuses %j', (key, reason) => {
    expect(invalidReason(key)).toMatch(reason);
  });
});

describe('splitPrefix', () => {
  it('splits the folder to walk from the partial name', () => {
    expect(splitPrefix('')).toEqual({ dirSegments: [], namePrefix: '' });
    expect(splitPrefix('db/')).toEqual({ dirSegments: ['db'], namePrefix: '' });
    expect(splitPrefix('db/d1/_log/0000')).toEqual({ dirSegments: ['db', 'd1', '_log'], namePrefix: '0000' });
    expect(splitPrefix('..x')).toEqual({ dirSegments: [], namePrefix: '..x' });
  });

  it('refuses prefixes whose folders could escape the root', () => {
    for (const prefix of ['../', 'a/../b', '/abs', 'a//', '.versions/']) {
      expect(() => splitPrefix(prefix)).toThrow(StorageError);
    }
  });
});

describe('compareKeys', () => {
  it('orders like S3: by UTF-8 bytes, which is Unicode code point order', () => {
    const alphabet = ['a', 'b', '/', '-', '.', '0', 'Z', '_', 'é', '\uFF5E', '😀', '\uE000', '\uD7FF'];
    for (let i = 0; i < 2000; i++) {
      const make = (): string => Array.from({ length: randomInt(0, 5) }, () => alphabet[randomInt(alphabet.length)]).join('');
      const a = make();
      const b = make();
      expect(Math.sign(compareKeys(a, b)), `${a} vs ${b}`).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
    }
  });

  it('puts a folder after names that share its start but continue with a smaller character', () => {
    expect(['a/x', 'a0', 'a-b', 'a.txt', 'a'].sort(compareKeys)).toEqual(['a', 'a-b', 'a.txt', 'a/x', 'a0']);
  });
});

describe('escapeSegment', () => {
  it('never produces a name starting with @, and round-trips', () => {
    for (const segment of ['@v1', '%40', '%25%', 'plain', '@@%', 'a@b%c']) {
      const escaped = escapeSegment(segment);
      expect(escaped.startsWith('@')).toBe(false);
      expect(escaped.includes('@')).toBe(false);
      expect(unescapeSegment(escaped)).toBe(segment);
    }
  });
});
