// Bringing removed objects back from a versioned store's history (fail-safe). On a
// versioned store a delete only stacks a delete marker on the key; removing the key's
// markers makes its newest version current again, inside the store: no bytes move and
// the object returns as it was, under its old version id. Knows nothing of tables: the
// caller says which keys matter.
import type { ObjectStore, ObjectVersion, VersionRef } from './object-store.js';

/** S3's id for an object stored while versioning was off (and the local store's for a file it did not write). */
export const UNVERSIONED_ID = 'null';

export type Recovery =
  | { readonly kind: 'present' }
  /** Removing `markers` brings back `version`. */
  | { readonly kind: 'recoverable'; readonly version: ObjectVersion; readonly markers: readonly VersionRef[] }
  | { readonly kind: 'lost'; readonly reason: string };

/** Every version and delete marker under `prefix`, by key, newest first (listVersions' order). */
export async function versionsByKey(store: ObjectStore, prefix: string): Promise<Map<string, ObjectVersion[]>> {
  const byKey = new Map<string, ObjectVersion[]>();
  let continuation: string | undefined;
  do {
    const page = await store.listVersions(continuation === undefined ? { prefix } : { prefix, continuation });
    for (const v of page.items) {
      const list = byKey.get(v.key);
      if (list === undefined) byKey.set(v.key, [v]);
      else list.push(v);
    }
    continuation = page.next;
  } while (continuation !== undefined);
  return byKey;
}

/**
 * Whether the key is there, and if not, what brings it back: the newest version that is
 * not a delete marker, once every marker of the key is gone. All markers go, not only
 * those above that version: stores list entries of equal times in no reliable order, and a
 * marker below the version hides nothing, so removing it loses no data.
 */
export function recoveryOf(versions: readonly ObjectVersion[] | undefined): Recovery {
  if (versions === undefined || versions.length === 0) return { kind: 'lost', reason: 'no version of it exists' };
  const latest = versions.find((v) => v.isLatest);
  if (latest !== undefined && !latest.isDeleteMarker) return { kind: 'present' };
  const version = versions.find((v) => !v.isDeleteMarker);
  if (version === undefined) return { kind: 'lost', reason: 'only delete markers remain: no earlier version exists' };
  // Databend's rule too: such a version may have been replaced in place while versioning was off, so it is no backup.
  if (version.versionId === UNVERSIONED_ID) return { kind: 'lost', reason: 'it was written before bucket versioning was enabled' };
  const markers = versions.filter((v) => v.isDeleteMarker).map((v) => ({ key: v.key, versionId: v.versionId }));
  return { kind: 'recoverable', version, markers };
}

/** Objects brought back per request batch, so a long recovery can say how far it is. */
const UNDELETE_BATCH = 500;

/**
 * Brings back every given object by removing its delete markers; safe to repeat, and to
 * run concurrently. `done` hears how many objects each batch brought back.
 */
export async function undelete(
  store: ObjectStore,
  recoveries: readonly Extract<Recovery, { kind: 'recoverable' }>[],
  done: (objects: number) => void = () => {},
): Promise<void> {
  for (let i = 0; i < recoveries.length; i += UNDELETE_BATCH) {
    const batch = recoveries.slice(i, i + UNDELETE_BATCH);
    const markers = batch.flatMap((r) => r.markers);
    if (markers.length > 0) await store.deleteVersions(markers);
    done(batch.length);
  }
}
