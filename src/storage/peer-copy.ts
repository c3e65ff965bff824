// Copies between two stores of the same service (two S3 buckets or prefixes behind one
// endpoint) happen inside the service, without the bytes passing through this process.
// A store that can do that says so with these methods; layers that wrap a store (retry,
// the writer lease) pass the ability through, as they do for local files.
import type { ObjectMeta, ObjectStore } from './object-store.js';

export interface PeerCopy {
  /** Stores whose domains are equal may copy from each other (for S3: the endpoint). */
  readonly copyDomain: string;
  /** Names `key` of this store as the source of a copy made by a peer. */
  copySource(key: string): string;
  /**
   * Copies the object that a peer's copySource named, of `size` bytes, to `toKey` of this
   * store. AccessDenied when this store's credentials may not read the source.
   */
  copyFromPeer(source: string, size: number, toKey: string, options?: { readonly signal?: AbortSignal }): Promise<ObjectMeta>;
}

export function exposesPeerCopy(store: ObjectStore): store is ObjectStore & PeerCopy {
  const candidate = store as Partial<PeerCopy>;
  return typeof candidate.copyDomain === 'string' && typeof candidate.copyFromPeer === 'function' && typeof candidate.copySource === 'function';
}
