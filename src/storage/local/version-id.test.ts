import { describe, expect, it } from 'vitest';
import { VersionIdGenerator, isVersionId, versionIdAt, versionTime } from './version-id.js';

describe('version ids', () => {
  it('sort by creation time and carry it', () => {
    let now = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const ids = new VersionIdGenerator(() => now);
    const first = ids.next();
    now += 1;
    const second = ids.next();
    expect(isVersionId(first)).toBe(true);
    expect(second > first).toBe(true);
    expect(versionTime(first)).toBe(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
  });

  it('stay increasing within one millisecond and when the clock steps back', () => {
    let now = 1_000_000;
    const ids = new VersionIdGenerator(() => now);
    const seen: string[] = [];
    for (let i = 0; i < 70_000; i++) {
      if (i === 100) now -= 500;
      seen.push(ids.next());
    }
    for (let i = 1; i < seen.length; i++) expect((seen[i] as string) > (seen[i - 1] as string)).toBe(true);
  });

  it('come after a given newest id, even one from another process or a faster clock', () => {
    const ids = new VersionIdGenerator(() => 5_000);
    const later = versionIdAt(9_000);
    const next = ids.next(later);
    expect(next > later).toBe(true);
    expect(versionTime(next)).toBe(9_000);
    expect(ids.next() > next).toBe(true);
  });

  it('are unique between generators (processes) in the same millisecond', () => {
    const a = new VersionIdGenerator(() => 42);
    const b = new VersionIdGenerator(() => 42);
    expect(a.next()).not.toBe(b.next());
  });

  it('recognise only their own format', () => {
    for (const bad of ['null', '', '../../etc', 'ABCDEF0123456789abcdef01', '0123456789abcdef0123456']) {
      expect(isVersionId(bad)).toBe(false);
    }
  });
});
