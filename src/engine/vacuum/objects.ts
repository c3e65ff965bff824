// The objects under a prefix with all their versions, and their removal. This is
// the only engine code that deletes anything from the warehouse store (see
// test/integration/deletes.test.ts): VACUUM removes an object with every one of its
// versions, so that the space really comes back — on a versioned bucket a plain
// delete only adds a delete marker, and the local store keeps a hard link under
// .versions/. What VACUUM removes is past its retention period by definition; the
// bucket's versions are the fail-safe for everything else, not for this.
import type { ObjectStore, ObjectVersion } from '../../storage/object-store.js';
import type { Pins } from '../pins.js';

export interface StoredObject {
  readonly key: string;
  /** Every version and delete marker; the current one (isLatest) last, so removing in order never promotes another. */
  readonly versions: readonly ObjectVersion[];
}

/** Bytes that removing the object frees: every version's. */
export function objectBytes(o: StoredObject): number {
  return o.versions.reduce((n, v) => n + (v.isDeleteMarker ? 0 : v.size), 0);
}

/** When the object last changed (its newest version or delete marker). */
export function lastChanged(o: StoredObject): number {
  return o.versions.reduce((t, v) => Math.max(t, v.lastModified.getTime()), 0);
}

/** Every object under `prefix` with its versions, from one listing of versions (not one per key). */
export async function listObjects(store: ObjectStore, prefix: string, signal?: AbortSignal): Promise<Map<string, StoredObject>> {
  const byKey = new Map<string, ObjectVersion[]>();
  let continuation: string | undefined;
  do {
    signal?.throwIfAborted();
    const page = await store.listVersions(continuation === undefined ? { prefix } : { prefix, continuation });
    for (const v of page.items) {
      const list = byKey.get(v.key);
      if (list === undefined) byKey.set(v.key, [v]);
      else list.push(v);
    }
    continuation = page.next;
  } while (continuation !== undefined);
  const objects = new Map<string, StoredObject>();
  for (const [key, versions] of byKey) {
    objects.set(key, { key, versions: [...versions].sort((a, b) => Number(a.isLatest) - Number(b.isLatest)) });
  }
  return objects;
}

/** The "folders" directly under a prefix. */
export async function listFolders(store: ObjectStore, prefix: string): Promise<string[]> {
  const folders: string[] = [];
  let continuation: string | undefined;
  do {
    const page = await store.list(continuation === undefined ? { prefix, delimiter: true } : { prefix, delimiter: true, continuation });
    folders.push(...page.prefixes);
    continuation = page.next;
  } while (continuation !== undefined);
  return folders;
}

export interface Removed {
  readonly files: number;
  readonly bytes: number;
  /** Keys left in place because something pinned them after VACUUM decided. */
  readonly pinned: readonly string[];
}

/** How many objects are removed at once: deletes are small requests, latency-bound on S3. */
const PARALLEL = 16;

/**
 * Removes every version of each object, except objects pinned at the moment their
 * turn comes. Stops between objects once `signal` is aborted; `done` reports each
 * removed key (for logs and summaries).
 */
export async function removeObjects(
  store: ObjectStore,
  pins: Pins,
  objects: readonly StoredObject[],
  signal: AbortSignal | undefined,
  done: (key: string, bytes: number) => void = () => {},
): Promise<Removed> {
  let files = 0;
  let bytes = 0;
  const pinned: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length && signal?.aborted !== true) {
      const o = objects[next++];
      if (o === undefined) break;
      if (pins.isPinned(o.key)) {
        pinned.push(o.key);
        continue;
      }
      for (const v of o.versions) await store.deleteVersion(o.key, v.versionId);
      files++;
      bytes += objectBytes(o);
      done(o.key, objectBytes(o));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, objects.length) }, worker));
  return { files, bytes, pinned };
}
