// ListObjectVersions answers with versions and delete markers in two separate lists; the
// S3 order of the combined listing is by key (UTF-8 bytes), then newest first. The SDK
// drops the original interleaving, so it is rebuilt here.
import type { ObjectVersion } from '../object-store.js';

function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** S3 order: key ascending, then the current entry, then newest first. */
export function compareVersions(a: ObjectVersion, b: ObjectVersion): number {
  const byKey = compareKeys(a.key, b.key);
  if (byKey !== 0) return byKey;
  if (a.isLatest !== b.isLatest) return a.isLatest ? -1 : 1;
  return b.lastModified.getTime() - a.lastModified.getTime();
}

export function mergeVersions(versions: readonly ObjectVersion[], markers: readonly ObjectVersion[]): ObjectVersion[] {
  // Array.prototype.sort is stable: entries with equal keys and times keep S3's relative order.
  return [...versions, ...markers].sort(compareVersions);
}

export interface VersionCursor {
  readonly keyMarker: string;
  readonly versionIdMarker?: string;
}

/** The opaque continuation token handed to callers: S3's two markers, base64url JSON. */
export function encodeVersionCursor(cursor: VersionCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeVersionCursor(token: string): VersionCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { keyMarker, versionIdMarker } = value as Record<string, unknown>;
    if (typeof keyMarker !== 'string') return undefined;
    if (versionIdMarker !== undefined && typeof versionIdMarker !== 'string') return undefined;
    return versionIdMarker === undefined ? { keyMarker } : { keyMarker, versionIdMarker };
  } catch {
    return undefined;
  }
}
