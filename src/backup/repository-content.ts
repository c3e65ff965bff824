// What a repository holds, read and changed through its store: the snapshots (one
// manifest each), the data objects they reference, and the markers of backups in
// progress. Data objects are shared between snapshots, so one is removed only when no
// manifest and no running backup (of any server) references it.
import { readJson, writeJson } from '../engine/catalog/log-store.js';
import type { Logger } from '../logging/logger.js';
import { isStorageError, listAll, type ObjectStore } from '../storage/object-store.js';
import { parseSnapshotManifestKey, repositoryKeys } from '../storage/keys.js';
import { decodeManifest, type Manifest } from './manifest.js';

export interface SnapshotRef {
  readonly label: string;
  readonly timestamp: string;
}

/** Snapshots in the repository (those whose manifest exists), by label then timestamp. */
export async function listSnapshots(store: ObjectStore, label?: string): Promise<SnapshotRef[]> {
  const prefix = label === undefined ? repositoryKeys.snapshotsPrefix() : repositoryKeys.labelPrefix(label);
  const found: SnapshotRef[] = [];
  for await (const meta of listAll(store, prefix)) {
    const parsed = parseSnapshotManifestKey(meta.key);
    if (parsed !== undefined && (label === undefined || parsed.label === label)) found.push(parsed);
  }
  return found.sort((a, b) => (a.label === b.label ? a.timestamp.localeCompare(b.timestamp) : a.label < b.label ? -1 : 1));
}

/** The snapshot's manifest, or undefined when there is none; a damaged one throws ManifestError. */
export async function readManifest(store: ObjectStore, ref: SnapshotRef, signal?: AbortSignal): Promise<Manifest | undefined> {
  const key = repositoryKeys.manifest(ref.label, ref.timestamp);
  let bytes: Uint8Array;
  try {
    bytes = await store.get(key, signal === undefined ? {} : { signal });
  } catch (err) {
    if (isStorageError(err, 'NotFound')) return undefined;
    throw err;
  }
  return decodeManifest(bytes, `snapshot '${ref.label}' at ${ref.timestamp} (${key})`);
}

export interface KnownObject {
  readonly object: string;
  readonly sha256: string;
  readonly size: number;
}

/** What earlier snapshots already stored: by the warehouse file they copied, and by content. */
export interface RepositoryIndex {
  readonly bySource: ReadonlyMap<string, KnownObject>;
  readonly bySha256: ReadonlyMap<string, KnownObject>;
}

export async function loadIndex(store: ObjectStore, logger: Logger, signal?: AbortSignal): Promise<RepositoryIndex> {
  const bySource = new Map<string, KnownObject>();
  const bySha256 = new Map<string, KnownObject>();
  for (const ref of await listSnapshots(store)) {
    signal?.throwIfAborted();
    let manifest: Manifest | undefined;
    try {
      manifest = await readManifest(store, ref, signal);
    } catch (err) {
      // A damaged manifest only costs deduplication: its files are copied again.
      logger.warn({ label: ref.label, timestamp: ref.timestamp, err: err instanceof Error ? err.message : String(err) }, 'skipping an unreadable snapshot manifest');
      continue;
    }
    for (const t of manifest?.tables ?? []) {
      for (const f of t.files) {
        const known = { object: f.object, sha256: f.sha256, size: f.size };
        bySource.set(f.source, known);
        bySha256.set(f.sha256, known);
      }
    }
  }
  return { bySource, bySha256 };
}

interface InProgressMarker {
  readonly jobId: number;
  readonly label: string;
  readonly startedAt: string;
  readonly objects: readonly string[];
}

/** Declares the objects a backup will reference before it relies on any of them. */
export async function writeInProgress(store: ObjectStore, token: string, marker: InProgressMarker): Promise<void> {
  await writeJson(store, repositoryKeys.inProgress(token), marker, false);
}

export async function removeInProgress(store: ObjectStore, token: string): Promise<void> {
  await store.delete(repositoryKeys.inProgress(token));
}

/** Every object some manifest or some other running backup references. */
async function referencedObjects(store: ObjectStore, logger: Logger, exceptToken: string | undefined): Promise<Set<string> | undefined> {
  const referenced = new Set<string>();
  for (const ref of await listSnapshots(store)) {
    let manifest: Manifest | undefined;
    try {
      manifest = await readManifest(store, ref);
    } catch (err) {
      // What a damaged manifest references is unknown: remove nothing rather than guess.
      logger.warn({ label: ref.label, timestamp: ref.timestamp, err: err instanceof Error ? err.message : String(err) }, 'a manifest is unreadable; no data objects are removed');
      return undefined;
    }
    for (const t of manifest?.tables ?? []) for (const f of t.files) referenced.add(f.object);
  }
  const exceptKey = exceptToken === undefined ? undefined : repositoryKeys.inProgress(exceptToken);
  for await (const meta of listAll(store, repositoryKeys.inProgressPrefix())) {
    if (meta.key === exceptKey) continue;
    const marker = await readJson<InProgressMarker>(store, meta.key);
    for (const o of marker?.objects ?? []) referenced.add(o);
  }
  return referenced;
}

/** Removes those of `candidates` that nothing references any more; returns how many went. */
export async function removeUnreferenced(store: ObjectStore, candidates: Iterable<string>, logger: Logger, exceptToken?: string): Promise<number> {
  const wanted = [...new Set(candidates)];
  if (wanted.length === 0) return 0;
  const referenced = await referencedObjects(store, logger, exceptToken);
  if (referenced === undefined) return 0;
  let removed = 0;
  for (const object of wanted) {
    if (referenced.has(object)) continue;
    await store.delete(object);
    removed++;
  }
  return removed;
}
