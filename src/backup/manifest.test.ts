import { describe, expect, it } from 'vitest';
import { decodeManifest, encodeManifest, ManifestError, manifestDetails, manifestTotals, snapshotTimestamp, type Manifest } from './manifest.js';

const manifest: Manifest = {
  format: 1,
  label: 'daily',
  timestamp: '2026-11-21-13-45-08',
  database: 'shop',
  takenAt: '2026-11-21T13:45:08.123Z',
  finishedAt: '2026-11-21T13:45:09.000Z',
  source: { warehouse: 'file:///w', databaseId: 'db1', seq: 7, jobId: 3 },
  properties: { type: 'full' },
  tables: [
    {
      name: 't',
      meta: { id: 'tab1', name: 't', columns: [], indexes: [], options: {}, createdAt: '2026-11-21T00:00:00.000Z' },
      autoIncrement: '5',
      partitions: ['p1'],
      rows: 3,
      bytes: 30,
      files: [
        { object: 'data/db/a/b/p0/f.parquet', sha256: 'ab'.repeat(32), size: 10, rows: 1, partition: 'p0', fields: [], stats: {}, source: 'db/a/b/p0/f.parquet' },
        { object: 'data/db/a/b/p0/g.parquet', sha256: 'cd'.repeat(32), size: 20, rows: 2, partition: 'p0', fields: [], stats: {}, source: 'db/a/b/p0/g.parquet' },
      ],
    },
  ],
};

describe('manifest', () => {
  it('round-trips through its stored form', () => {
    expect(decodeManifest(encodeManifest(manifest), 'm')).toEqual(manifest);
  });

  it('reports damage: a changed byte, truncation, a foreign object, a newer format', () => {
    const bytes = Buffer.from(encodeManifest(manifest));
    const changed = Buffer.from(bytes.toString('utf8').replace('"rows":3', '"rows":4'));
    expect(() => decodeManifest(changed, 'snap')).toThrow(/snap: the manifest does not match its checksum/);
    expect(() => decodeManifest(bytes.subarray(0, bytes.length - 10), 'snap')).toThrow(ManifestError);
    expect(() => decodeManifest(Buffer.from('{"a":1}'), 'snap')).toThrow(/not a ducksafe snapshot manifest/);
    const newer = encodeManifest({ ...manifest, format: 99 });
    expect(() => decodeManifest(newer, 'snap')).toThrow(/format 99 is newer/);
  });

  it('sums and describes what it holds', () => {
    expect(manifestTotals(manifest)).toEqual({ files: 2, bytes: 30, rows: 3 });
    expect(JSON.parse(manifestDetails(manifest))).toMatchObject({ database: 'shop', tables: [{ name: 't', partitions: ['p1'], rows: 3, bytes: 30, files: 2 }], files: 2 });
  });

  it("formats Doris's timestamp in UTC", () => {
    expect(snapshotTimestamp(new Date('2026-01-02T03:04:05.999Z'))).toBe('2026-01-02-03-04-05');
  });
});
