import { describe, expect, it } from 'vitest';
import type { ObjectVersion } from './object-store.js';
import { recoveryOf } from './recovery.js';

const at = (n: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, n));
const version = (versionId: string, n: number, isLatest = false): ObjectVersion => ({ key: 'k', versionId, isLatest, isDeleteMarker: false, size: 3, lastModified: at(n) });
const marker = (versionId: string, n: number, isLatest = false): ObjectVersion => ({ key: 'k', versionId, isLatest, isDeleteMarker: true, size: 0, lastModified: at(n) });

describe('recoveryOf', () => {
  it('leaves an object whose newest entry is a version alone', () => {
    expect(recoveryOf([version('v2', 2, true), marker('m1', 1), version('v1', 0)])).toEqual({ kind: 'present' });
  });

  it('brings back the newest version by removing every marker of the key', () => {
    const r = recoveryOf([marker('m3', 5, true), marker('m2', 4), version('v2', 3), marker('m1', 2), version('v1', 1)]);
    expect(r).toMatchObject({ kind: 'recoverable', version: { versionId: 'v2' } });
    expect(r.kind === 'recoverable' ? r.markers.map((m) => m.versionId) : []).toEqual(['m3', 'm2', 'm1']);
  });

  it('cannot bring back what has no version left, or only one from before versioning', () => {
    expect(recoveryOf(undefined)).toMatchObject({ kind: 'lost', reason: 'no version of it exists' });
    expect(recoveryOf([marker('m1', 1, true)])).toMatchObject({ kind: 'lost', reason: expect.stringContaining('only delete markers') });
    expect(recoveryOf([marker('m1', 2, true), version('null', 1)])).toMatchObject({ kind: 'lost', reason: expect.stringContaining('before bucket versioning') });
  });
});
