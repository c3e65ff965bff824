import { describe, expect, it } from 'vitest';
import type { ObjectVersion } from '../object-store.js';
import { decodeVersionCursor, encodeVersionCursor, mergeVersions } from './s3-versions.js';

function v(key: string, versionId: string, at: number, flags: { latest?: boolean; marker?: boolean } = {}): ObjectVersion {
  return {
    key,
    versionId,
    isLatest: flags.latest ?? false,
    isDeleteMarker: flags.marker ?? false,
    size: flags.marker === true ? 0 : 1,
    lastModified: new Date(at),
  };
}

describe('mergeVersions', () => {
  it('interleaves versions and delete markers by key, then newest first', () => {
    const versions = [v('a', 'a2', 2_000), v('a', 'a1', 1_000), v('b', 'b1', 1_500, { latest: true })];
    const markers = [v('a', 'am', 3_000, { latest: true, marker: true }), v('a', 'am0', 1_500, { marker: true })];
    expect(mergeVersions(versions, markers).map((x) => x.versionId)).toEqual(['am', 'a2', 'am0', 'a1', 'b1']);
  });

  it('puts the latest entry first even when timestamps tie', () => {
    const merged = mergeVersions([v('a', 'old', 1_000)], [v('a', 'marker', 1_000, { latest: true, marker: true })]);
    expect(merged.map((x) => x.versionId)).toEqual(['marker', 'old']);
  });

  it('orders keys by UTF-8 bytes as S3 does, not by UTF-16 code units', () => {
    // In UTF-16 code units the emoji (D83D DE00) sorts before U+FF5E; in UTF-8, which is
    // what S3 compares, it sorts after (F0 9F 98 80 > EF BD 9E).
    const merged = mergeVersions([v('\u{1F600}', 'emoji', 1), v('\uFF5E', 'tilde', 1)], []);
    expect(merged.map((x) => x.versionId)).toEqual(['tilde', 'emoji']);
  });
});

describe('version cursors', () => {
  it('round-trip both markers', () => {
    for (const cursor of [{ keyMarker: 'pre/a' }, { keyMarker: 'pre/a', versionIdMarker: 'v.1-x' }]) {
      expect(decodeVersionCursor(encodeVersionCursor(cursor))).toEqual(cursor);
    }
  });
  it('reject tokens they did not make', () => {
    expect(decodeVersionCursor('not base64 json')).toBeUndefined();
    expect(decodeVersionCursor(Buffer.from('{"keyMarker":1}').toString('base64url'))).toBeUndefined();
  });
});
