// Reading and appending numbered JSON log objects on an ObjectStore. A commit is
// one conditional create of the next sequence number (DESIGN.md invariants 2, 3):
// whoever creates <seq>.json first owns that seq; everyone else must re-read.
import { isStorageError, listAll, type ObjectStore } from '../../storage/object-store.js';
import { parseLogSeq } from '../../storage/keys.js';

export class CommitConflict extends Error {
  override readonly name = 'CommitConflict';
  constructor(readonly seq: number) {
    super(`log sequence ${seq} was committed by another writer`);
  }
}

/**
 * A commit's timestamp: the clock, but never before the previous commit, so that
 * timestamps grow with sequence numbers (time travel finds commits by binary search)
 * even when clocks of servers sharing a warehouse disagree.
 */
export function laterOf(now: Date, previous: string): string {
  const prev = Date.parse(previous);
  return Number.isNaN(prev) || now.getTime() >= prev ? now.toISOString() : previous;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  try {
    const bytes = await store.get(key);
    return JSON.parse(decoder.decode(bytes)) as T;
  } catch (err) {
    if (isStorageError(err, 'NotFound')) return undefined;
    throw err;
  }
}

export async function writeJson(store: ObjectStore, key: string, value: unknown, exclusive: boolean): Promise<void> {
  const body = encoder.encode(JSON.stringify(value));
  try {
    await store.put(key, body, exclusive ? { ifNoneMatch: true, contentType: 'application/json' } : { contentType: 'application/json' });
  } catch (err) {
    // A create whose reply was lost and was retried finds its own object: that is a win, not a conflict.
    if (exclusive && isStorageError(err, 'PreconditionFailed') && (await sameContent(store, key, body))) return;
    throw err;
  }
}

async function sameContent(store: ObjectStore, key: string, body: Uint8Array): Promise<boolean> {
  try {
    return Buffer.from(await store.get(key)).equals(body);
  } catch {
    return false;
  }
}

/**
 * Appends entry `seq` exactly once. On a store without enforced conditional
 * creates the caller holds the writer lease, so a plain existence check under
 * the per-log mutex is enough there.
 */
export async function appendEntry(store: ObjectStore, key: string, seq: number, value: unknown): Promise<void> {
  if (!store.capabilities.conditionalCreate) {
    const exists = await store.head(key).then(
      () => true,
      (err: unknown) => {
        if (isStorageError(err, 'NotFound')) return false;
        throw err;
      },
    );
    if (exists) throw new CommitConflict(seq);
    await writeJson(store, key, value, false);
    return;
  }
  try {
    await writeJson(store, key, value, true);
  } catch (err) {
    if (isStorageError(err, 'PreconditionFailed')) throw new CommitConflict(seq);
    throw err;
  }
}

/** The highest entry seq under a log prefix by listing it (the slow path, used without a hint). */
export async function highestSeqByListing(store: ObjectStore, prefix: string, checkpoint: boolean): Promise<number> {
  let max = 0;
  for await (const meta of listAll(store, prefix)) {
    const parsed = parseLogSeq(meta.key);
    if (parsed !== undefined && parsed.checkpoint === checkpoint && parsed.seq > max) max = parsed.seq;
  }
  return max;
}
