// The single-writer lease (DESIGN.md §3, invariant 3). Where the store does not enforce
// conditional creates (Ceph RGW on versioned buckets ignores If-None-Match), two servers
// could both write the same commit sequence number; instead, one server at a time holds a
// lease object and is the warehouse's only writer.
//
// The lease is advisory and time-based: it protects against a second server started by
// mistake, not against a paused process whose lease expired (the holder stops writing
// once `isHeld()` turns false) or clocks far apart (expiry times come from the writer's
// clock, so servers sharing a warehouse need roughly synchronized clocks).
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import { isStorageError, StorageError } from './object-store.js';
import type { ObjectStore } from './object-store.js';
import { exposesPeerCopy, type PeerCopy } from './peer-copy.js';

const LEASE_FORMAT = 1;

interface LeaseRecord {
  readonly format: number;
  readonly owner: string;
  /** Distinguishes this acquisition from an earlier one by the same owner name. */
  readonly token: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

export interface WriterLeaseOptions {
  /** The lease object's key (keys.writerLease()). */
  readonly key: string;
  /** Who holds it, as shown to a second server that is refused: e.g. "host:pid". */
  readonly owner: string;
  /** How long a lease stays valid without renewal; renewed every ttlMs / 3. */
  readonly ttlMs: number;
  readonly logger: Logger;
  /** Milliseconds since the epoch; tests pass a controllable clock. */
  readonly now?: () => number;
  /** Pause between writing the lease and reading it back (default 500 ms, at most ttlMs / 10). */
  readonly settleMs?: number;
  /** Called once when the lease is found taken over or expires unrenewed. */
  readonly onLost?: (reason: string) => void;
  /**
   * Whether a fresh lease of another owner may be taken anyway, because that owner is
   * known to be gone (a process on this host that no longer exists, after a kill -9).
   */
  readonly ownerIsGone?: (owner: string) => boolean;
}

export interface WriterLease {
  readonly key: string;
  readonly owner: string;
  /** False once the lease was lost or released: the process must not commit any more. */
  isHeld(): boolean;
  expiresAt(): Date;
  /** Stops renewing and removes the lease object if it is still ours. */
  release(): Promise<void>;
}

/** Another owner holds a fresh lease, or won a race for it. */
export class WriterLeaseHeldError extends Error {
  constructor(
    readonly key: string,
    readonly holder: string,
    readonly expiresAt: Date,
    detail: string,
  ) {
    super(
      `the warehouse is in use by another writer: ${holder} holds the lease '${key}' until ${expiresAt.toISOString()}` +
        ` (${detail}); stop that server, or wait until the lease expires if it is gone`,
    );
    this.name = 'WriterLeaseHeldError';
  }
}

function encode(record: LeaseRecord): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(record)}\n`);
}

function decode(bytes: Uint8Array, key: string): LeaseRecord {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    value = undefined;
  }
  const r = value as Partial<LeaseRecord> | undefined;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.owner !== 'string' ||
    typeof r.token !== 'string' ||
    typeof r.expiresAt !== 'string' ||
    Number.isNaN(Date.parse(r.expiresAt))
  ) {
    // Refusing is the safe side: a server that cannot tell who holds the lease must not write.
    throw new Error(`the writer lease '${key}' is not readable; if no other server uses this warehouse, delete that object`);
  }
  return r as LeaseRecord;
}

async function readLease(store: ObjectStore, key: string): Promise<LeaseRecord | undefined> {
  try {
    return decode(await store.get(key), key);
  } catch (err) {
    if (isStorageError(err, 'NotFound')) return undefined;
    throw err;
  }
}

async function removeVersion(store: ObjectStore, key: string, versionId: string, logger: Logger): Promise<void> {
  try {
    await store.deleteVersion(key, versionId);
  } catch (err) {
    logger.warn({ key, versionId, err: err instanceof Error ? err.message : String(err) }, 'could not remove an old writer lease version');
  }
}

/**
 * Makes this process the single writer of the warehouse, or throws WriterLeaseHeldError
 * naming the current holder and when its lease expires.
 */
export async function acquireWriterLease(store: ObjectStore, options: WriterLeaseOptions): Promise<WriterLease> {
  const { key, owner, ttlMs, logger } = options;
  if (!(ttlMs > 0)) throw new Error(`writer lease ttl must be positive, got ${ttlMs}`);
  const now = options.now ?? Date.now;
  const settleMs = options.settleMs ?? Math.min(500, Math.floor(ttlMs / 10));

  const current = await readLease(store, key);
  if (current !== undefined) {
    const expires = new Date(current.expiresAt);
    const gone = current.owner !== owner && options.ownerIsGone?.(current.owner) === true;
    if (current.owner !== owner && expires.getTime() > now() && !gone) {
      throw new WriterLeaseHeldError(key, current.owner, expires, 'the lease is fresh');
    }
    if (current.owner !== owner) {
      logger.warn(
        { key, previousOwner: current.owner, expiresAt: current.expiresAt },
        gone ? 'taking over the writer lease of a server that is gone' : 'taking over an expired writer lease',
      );
    }
  }

  const token = randomUUID();
  const acquiredAt = new Date(now()).toISOString();
  const record = (): LeaseRecord => ({
    format: LEASE_FORMAT,
    owner,
    token,
    acquiredAt,
    expiresAt: new Date(now() + ttlMs).toISOString(),
  });

  let written = record();
  // On a versioned store each renewal adds a version; this process removes its own older
  // ones so the lease key does not collect one version per renewal for as long as it runs.
  let writtenVersion = (await store.put(key, encode(written), { contentType: 'application/json' })).versionId;
  // Two servers starting together can both see no lease and both write one; the store keeps
  // the last write, so after a pause each reads back and only the one it names goes on.
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const check = await readLease(store, key);
  if (check?.token !== token) {
    // Our write is an old version now (the winner's is current); on a versioned store it can go.
    if (writtenVersion !== undefined && store.capabilities.versioning) await removeVersion(store, key, writtenVersion, logger);
    const holder = check?.owner ?? '(nobody: the lease was removed)';
    throw new WriterLeaseHeldError(key, holder, new Date(check?.expiresAt ?? now()), 'another server acquired it at the same time');
  }
  logger.info({ key, owner, ttlMs }, 'acquired the writer lease');

  let held = true;
  let renewing: Promise<void> | undefined;

  const lose = (reason: string): void => {
    if (!held) return;
    held = false;
    clearInterval(timer);
    logger.error({ key, owner, reason }, 'lost the writer lease');
    options.onLost?.(reason);
  };

  const renew = async (): Promise<void> => {
    try {
      const seen = await readLease(store, key);
      if (!held) return;
      if (seen?.token !== token) {
        lose(seen === undefined ? 'the lease object was removed' : `the lease was taken over by ${seen.owner}`);
        return;
      }
      const next = record();
      const meta = await store.put(key, encode(next), { contentType: 'application/json' });
      const previous = writtenVersion;
      written = next;
      writtenVersion = meta.versionId;
      if (previous !== undefined && store.capabilities.versioning) await removeVersion(store, key, previous, logger);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (now() >= Date.parse(written.expiresAt)) lose(`renewal failed until the lease expired: ${message}`);
      else logger.warn({ key, err: message }, 'writer lease renewal failed; retrying at the next interval');
    }
  };

  const timer = setInterval(
    () => {
      if (renewing !== undefined) return;
      renewing = renew().finally(() => {
        renewing = undefined;
      });
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  // Renewal alone must not keep a finished process alive.
  timer.unref();

  return {
    key,
    owner,
    isHeld: () => held && now() < Date.parse(written.expiresAt),
    expiresAt: () => new Date(written.expiresAt),
    release: async () => {
      const wasHeld = held;
      held = false;
      clearInterval(timer);
      await renewing;
      if (!wasHeld) return;
      const seen = await readLease(store, key);
      if (seen?.token === token) {
        if (writtenVersion !== undefined && store.capabilities.versioning) await store.deleteVersion(key, writtenVersion);
        else await store.delete(key);
      }
      logger.info({ key, owner }, 'released the writer lease');
    },
  };
}

/**
 * The store as the lease holder may use it: reads pass through, and every write is
 * refused once the lease is lost, so a server that was replaced cannot commit.
 */
export function writesGuardedBy(lease: WriterLease, store: ObjectStore): ObjectStore {
  const check = (key: string): void => {
    if (!lease.isHeld()) {
      throw new StorageError('AccessDenied', `this server no longer holds the writer lease (${lease.key}); it may not write ${key}`, key);
    }
  };
  const guarded: ObjectStore = {
    url: store.url,
    capabilities: store.capabilities,
    put: async (key, body, options) => {
      check(key);
      return store.put(key, body, options);
    },
    putFile: async (key, path, options) => {
      check(key);
      return store.putFile(key, path, options);
    },
    get: (key, options) => store.get(key, options),
    getStream: (key, options) => store.getStream(key, options),
    getFile: (key, path, options) => store.getFile(key, path, options),
    head: (key, options) => store.head(key, options),
    delete: async (key) => {
      check(key);
      return store.delete(key);
    },
    deleteVersion: async (key, versionId) => {
      check(key);
      return store.deleteVersion(key, versionId);
    },
    deleteVersions: async (versions) => {
      check(versions[0]?.key ?? '');
      return store.deleteVersions(versions);
    },
    list: (options) => store.list(options),
    listVersions: (options) => store.listVersions(options),
    copy: async (from, to, options) => {
      check(to);
      return store.copy(from, to, options);
    },
    close: async () => {
      await lease.release();
      await store.close();
    },
  };
  if (!exposesPeerCopy(store)) return guarded;
  const peer: PeerCopy = {
    copyDomain: store.copyDomain,
    copySource: (key) => store.copySource(key),
    copyFromPeer: async (source, size, toKey, options) => {
      check(toKey);
      return store.copyFromPeer(source, size, toKey, options);
    },
  };
  return Object.assign(guarded, peer);
}
