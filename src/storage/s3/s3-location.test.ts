import { describe, expect, it } from 'vitest';
import { checkKey, copySource, fromObjectKey, parseS3Url, toObjectKey } from './s3-location.js';

describe('parseS3Url', () => {
  it('splits bucket and prefix, normalising the prefix to end with one slash', () => {
    expect(parseS3Url('s3://warehouse')).toEqual({ bucket: 'warehouse', prefix: '' });
    expect(parseS3Url('s3://warehouse/')).toEqual({ bucket: 'warehouse', prefix: '' });
    expect(parseS3Url('s3://warehouse/prod/eu')).toEqual({ bucket: 'warehouse', prefix: 'prod/eu/' });
    expect(parseS3Url('s3://warehouse/prod//')).toEqual({ bucket: 'warehouse', prefix: 'prod/' });
  });

  it('refuses other schemes, bad bucket names and prefixes that escape', () => {
    for (const url of ['file:///tmp', 's3://', 's3://UPPER/x', 's3://a_b/x', 's3://ab', 's3://bucket/a/../b', 's3://bucket/a//b']) {
      expect(() => parseS3Url(url), url).toThrow(expect.objectContaining({ kind: 'InvalidKey' }) as Error);
    }
  });
});

describe('keys', () => {
  it('refuses keys that are empty, absolute, or have empty, . or .. segments, backslashes or NUL', () => {
    for (const key of ['', '/a', 'a/', 'a//b', '.', './a', 'a/..', '../a', 'a\\b', 'a\0b']) {
      expect(() => checkKey(key), JSON.stringify(key)).toThrow(expect.objectContaining({ kind: 'InvalidKey', key }) as Error);
    }
    for (const key of ['a', 'a/b.json', '_catalog/log/00000000000000000001.json', '.hidden', 'a..b', 'ünï cödé']) {
      expect(() => checkKey(key)).not.toThrow();
    }
  });

  it('maps keys under the prefix and back', () => {
    const location = { bucket: 'b', prefix: 'pre/' };
    expect(toObjectKey(location, 'db/1/x')).toBe('pre/db/1/x');
    expect(fromObjectKey(location, 'pre/db/1/x')).toBe('db/1/x');
    expect(toObjectKey({ bucket: 'b', prefix: '' }, 'x')).toBe('x');
  });

  it('encodes the copy source per segment and appends the version', () => {
    const location = { bucket: 'b', prefix: '' };
    expect(copySource(location, 'dir/a b+c?.txt')).toBe('b/dir/a%20b%2Bc%3F.txt');
    expect(copySource(location, 'x', 'v1.2_3')).toBe('b/x?versionId=v1.2_3');
  });
});
