// The contract every storage backend fulfils (local versioned directory, S3).
// Keys are '/'-separated relative paths built only by ./keys.ts; backends never
// interpret them beyond mapping them to their own namespace.
import type { Readable } from 'node:stream';

export const STORAGE_ERROR_KINDS = [
  'NotFound',
  'PreconditionFailed',
  'AccessDenied',
  'BucketMissing',
  'InvalidKey',
  'Temporary',
  'Unsupported',
  'Unexpected',
] as const;
export type StorageErrorKind = (typeof STORAGE_ERROR_KINDS)[number];

/** Raised by every backend; foreign errors are converted at the backend's edge. */
export class StorageError extends Error {
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
  get temporary(): boolean {
    return this.kind === 'Temporary';
  }
}

export function isStorageError(err: unknown, kind?: StorageErrorKind): err is StorageError {
  return err instanceof StorageError && (kind === undefined || err.kind === kind);
}

export interface ObjectMeta {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
  readonly etag?: string;
  /** Present when the store keeps versions. */
  readonly versionId?: string;
}

export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly size: number;
  readonly lastModified: Date;
}

/** One version (or delete marker) of one key. */
export interface VersionRef {
  readonly key: string;
  readonly versionId: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; absent on the last page. */
  readonly next?: string;
}

export interface PutOptions {
  /** Fail with PreconditionFailed when the key already exists (If-None-Match: *). */
  readonly ifNoneMatch?: boolean;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export interface GetOptions {
  readonly versionId?: string;
  /** Inclusive byte range. */
  readonly range?: { readonly start: number; readonly end: number };
  readonly signal?: AbortSignal;
}

export interface ListOptions {
  readonly prefix: string;
  /** Only keys directly under the prefix; sub-"folders" come back in `prefixes`. */
  readonly delimiter?: boolean;
  readonly pageSize?: number;
  readonly continuation?: string;
}

export interface ListResult extends Page<ObjectMeta> {
  readonly prefixes: readonly string[];
}

export interface StoreCapabilities {
  /** Overwrites and deletes keep earlier versions that can be listed and read. */
  readonly versioning: boolean;
  /** A put with ifNoneMatch is enforced by the store, race-safe (probed, not assumed). */
  readonly conditionalCreate: boolean;
  /** copy() happens inside the store without moving bytes through this process. */
  readonly serverSideCopy: boolean;
}

export interface ObjectStore {
  /** Human-readable location, e.g. file:///var/lib/ducksafe or s3://bucket/prefix. */
  readonly url: string;
  readonly capabilities: StoreCapabilities;

  put(key: string, body: Uint8Array | Readable, options?: PutOptions): Promise<ObjectMeta>;
  /** Uploads a local file; large files go up in parts. */
  putFile(key: string, path: string, options?: PutOptions): Promise<ObjectMeta>;
  get(key: string, options?: GetOptions): Promise<Uint8Array>;
  getStream(key: string, options?: GetOptions): Promise<Readable>;
  /** Downloads to a local path atomically (temporary name, then rename). */
  getFile(key: string, path: string, options?: GetOptions): Promise<ObjectMeta>;
  head(key: string, options?: { readonly versionId?: string }): Promise<ObjectMeta>;
  /** Removes the current version (leaves a delete marker on a versioned store). Missing keys are not an error. */
  delete(key: string): Promise<void>;
  /** Permanently removes one version or delete marker. */
  deleteVersion(key: string, versionId: string): Promise<void>;
  /**
   * Permanently removes many versions or delete markers, in as few requests as the store
   * allows (S3: 1000 per DeleteObjects). Ones already gone are not an error.
   */
  deleteVersions(versions: readonly VersionRef[]): Promise<void>;
  list(options: ListOptions): Promise<ListResult>;
  listVersions(options: ListOptions): Promise<Page<ObjectVersion>>;
  copy(fromKey: string, toKey: string, options?: { readonly versionId?: string }): Promise<ObjectMeta>;
  close(): Promise<void>;
}

/** Where a key of the store lives, as a URL a person can look up (s3://bucket/prefix/key, file:///dir/key). */
export function objectUrl(store: ObjectStore, key: string): string {
  return store.url.endsWith('/') ? `${store.url}${key}` : `${store.url}/${key}`;
}

/** Iterates every object under a prefix, page by page. */
export async function* listAll(store: ObjectStore, prefix: string): AsyncGenerator<ObjectMeta> {
  let continuation: string | undefined;
  do {
    const page = await store.list(continuation === undefined ? { prefix } : { prefix, continuation });
    yield* page.items;
    continuation = page.next;
  } while (continuation !== undefined);
}
