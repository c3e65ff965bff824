// Where a warehouse lives in S3 and how its relative keys map to object keys. Keys are
// checked here with the same rules as the local store, so a key that one backend refuses
// is refused by every backend.
import { StorageError } from '../object-store.js';

export interface S3Location {
  readonly bucket: string;
  /** Empty, or ends with '/'. */
  readonly prefix: string;
}

// DNS-style bucket names (the rules every S3 implementation accepts); anything else is
// almost certainly a typo in the configuration.
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket` or `s3://bucket/some/prefix`. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  const bucket = m?.[1];
  if (m === null || bucket === undefined) {
    throw new StorageError('InvalidKey', `not an S3 warehouse URL: '${url}' (expected s3://bucket/prefix)`);
  }
  if (!BUCKET_PATTERN.test(bucket)) {
    throw new StorageError('InvalidKey', `invalid S3 bucket name '${bucket}' in '${url}'`);
  }
  const rawPrefix = (m[2] ?? '').replace(/\/+$/, '');
  if (rawPrefix !== '') checkKey(rawPrefix, url);
  return { bucket, prefix: rawPrefix === '' ? '' : `${rawPrefix}/` };
}

/** Throws InvalidKey for keys that could escape the prefix or that backends disagree on. */
export function checkKey(key: string, shown = key): void {
  const bad =
    key === '' ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.includes('\0') ||
    key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) throw new StorageError('InvalidKey', `invalid object key '${shown}'`, key);
}

/** A list prefix may be empty or end with '/', but is otherwise a key. */
export function checkPrefix(prefix: string): void {
  if (prefix === '') return;
  checkKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix, prefix);
}

export function toObjectKey(location: S3Location, key: string): string {
  checkKey(key);
  return location.prefix + key;
}

export function fromObjectKey(location: S3Location, objectKey: string): string {
  return objectKey.startsWith(location.prefix) ? objectKey.slice(location.prefix.length) : objectKey;
}

/** The `x-amz-copy-source` value: bucket and key URL-encoded per segment, then the version. */
export function copySource(location: S3Location, objectKey: string, versionId?: string): string {
  const path = [location.bucket, ...objectKey.split('/')].map(encodeURIComponent).join('/');
  return versionId === undefined ? path : `${path}?versionId=${encodeURIComponent(versionId)}`;
}
