// The stores of external tables and stages ([E]). engine/ knows nothing of S3 or of
// directories: main.ts hands it a StoreOpener, and this keeps one open store (with its
// file cache) per location and credentials, shared by every table and stage there.
import { sqlError } from '../errors/registry.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Location } from './catalog/locations.js';
import type { FileAccess } from './table/table-files.js';

export interface OpenedStore {
  /** Rooted at the location: its keys are relative to the location's URL. */
  readonly store: ObjectStore;
  /** Local copies of the store's objects for DuckDB. */
  readonly files: FileAccess;
}

/** Opens a store at a location, checking that it can be reached with its credentials. */
export type StoreOpener = (location: Location) => Promise<OpenedStore>;

export class ExternalStores {
  private readonly opened = new Map<string, Promise<OpenedStore>>();

  constructor(private readonly opener: StoreOpener | undefined) {}

  open(location: Location): Promise<OpenedStore> {
    const opener = this.opener;
    if (opener === undefined) throw sqlError('ER_NOT_SUPPORTED_YET', 'This server cannot open external locations');
    const id = JSON.stringify([location.url, Object.entries(location.connection).sort(([a], [b]) => a.localeCompare(b))]);
    let store = this.opened.get(id);
    if (store === undefined) {
      store = opener(location);
      this.opened.set(id, store);
      // A location that could not be opened (wrong credentials, server down) is tried afresh next time.
      store.catch(() => this.opened.delete(id));
    }
    return store;
  }

  /** Every store opened so far, for finding the ones a removal under some URL touched. */
  async all(): Promise<OpenedStore[]> {
    const settled = await Promise.allSettled(this.opened.values());
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  async close(): Promise<void> {
    for (const opened of await this.all()) await opened.store.close();
    this.opened.clear();
  }
}
