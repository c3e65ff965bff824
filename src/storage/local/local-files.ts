// A store whose objects are already files on this machine (the local store) says so
// with `localPath`, so readers such as the file cache and DuckDB use them in place
// instead of copying. Layers that wrap a store (retry) pass the ability through.
import type { ObjectStore } from '../object-store.js';

export interface LocalFileAccess {
  /** The file holding the current version of `key` (which may not exist). Throws InvalidKey for unsafe keys. */
  localPath(key: string): string;
}

export function exposesLocalFiles(store: ObjectStore): store is ObjectStore & LocalFileAccess {
  return typeof (store as Partial<LocalFileAccess>).localPath === 'function';
}
