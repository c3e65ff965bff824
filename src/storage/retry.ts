// Retry as a layer around any ObjectStore (OpenDAL's RetryLayer): only errors of kind
// Temporary are retried, with exponential backoff and full jitter, bounded both in
// attempts and in total time, and never after the caller aborted.
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../logging/logger.js';
import { exposesLocalFiles } from './local/local-files.js';
import { exposesPeerCopy, type PeerCopy } from './peer-copy.js';
import {
  StorageError,
  isStorageError,
  type GetOptions,
  type ListOptions,
  type ListResult,
  type ObjectMeta,
  type ObjectStore,
  type ObjectVersion,
  type Page,
  type PutOptions,
  type StoreCapabilities,
  type VersionRef,
} from './object-store.js';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts whose wait would end later than this after the first attempt began. */
  readonly maxElapsedMs: number;
}

export interface RetryOptions extends RetryPolicy {
  readonly logger: Logger;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Milliseconds of a monotonic-enough clock; injectable with `sleep` for tests. */
  readonly now?: () => number;
}

/** A reasonable policy for a server: a few quick retries, giving up within half a minute. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  maxElapsedMs: 30_000,
};

function checkPolicy(policy: RetryPolicy): void {
  const { maxAttempts, baseDelayMs, maxDelayMs, maxElapsedMs } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`retry: maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  for (const [name, value] of Object.entries({ baseDelayMs, maxDelayMs, maxElapsedMs })) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`retry: ${name} must be a finite number >= 0, got ${value}`);
  }
}

/** Waits `ms`, or rejects with the abort reason as soon as `signal` aborts. */
async function sleepUnlessAborted(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return sleep(ms);
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms), aborted]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

class RetryingStore implements ObjectStore {
  readonly url: string;
  readonly capabilities: StoreCapabilities;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly inner: ObjectStore,
    private readonly options: RetryOptions,
  ) {
    this.url = inner.url;
    this.capabilities = inner.capabilities;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.now = options.now ?? Date.now;
  }

  put(key: string, body: Uint8Array | Readable, options?: PutOptions): Promise<ObjectMeta> {
    // A stream is consumed by the first attempt; it cannot be sent again.
    if (!(body instanceof Uint8Array)) return this.inner.put(key, body, options);
    return this.run('put', key, options?.signal, () => this.inner.put(key, body, options));
  }

  putFile(key: string, path: string, options?: PutOptions): Promise<ObjectMeta> {
    return this.run('putFile', key, options?.signal, () => this.inner.putFile(key, path, options));
  }

  get(key: string, options?: GetOptions): Promise<Uint8Array> {
    return this.run('get', key, options?.signal, () => this.inner.get(key, options));
  }

  /** Retries opening the stream; an error in the middle of reading it reaches the reader. */
  getStream(key: string, options?: GetOptions): Promise<Readable> {
    return this.run('getStream', key, options?.signal, () => this.inner.getStream(key, options));
  }

  getFile(key: string, path: string, options?: GetOptions): Promise<ObjectMeta> {
    return this.run('getFile', key, options?.signal, () => this.inner.getFile(key, path, options));
  }

  head(key: string, options?: { readonly versionId?: string }): Promise<ObjectMeta> {
    return this.run('head', key, undefined, () => this.inner.head(key, options));
  }

  delete(key: string): Promise<void> {
    return this.run('delete', key, undefined, () => this.inner.delete(key));
  }

  deleteVersion(key: string, versionId: string): Promise<void> {
    return this.run('deleteVersion', key, undefined, () => this.inner.deleteVersion(key, versionId));
  }

  /** Removing versions twice is harmless, so a whole batch is retried. */
  deleteVersions(versions: readonly VersionRef[]): Promise<void> {
    return this.run('deleteVersions', versions[0]?.key ?? '', undefined, () => this.inner.deleteVersions(versions), { count: versions.length });
  }

  list(options: ListOptions): Promise<ListResult> {
    return this.run('list', options.prefix, undefined, () => this.inner.list(options));
  }

  listVersions(options: ListOptions): Promise<Page<ObjectVersion>> {
    return this.run('listVersions', options.prefix, undefined, () => this.inner.listVersions(options));
  }

  copy(fromKey: string, toKey: string, options?: { readonly versionId?: string }): Promise<ObjectMeta> {
    return this.run('copy', toKey, undefined, () => this.inner.copy(fromKey, toKey, options), { from: fromKey });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Runs one more operation of the wrapped store under the same policy. */
  retrying<T>(op: string, key: string, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    return this.run(op, key, signal, attempt);
  }

  private async run<T>(
    op: string,
    key: string,
    signal: AbortSignal | undefined,
    attempt: () => Promise<T>,
    context: Record<string, unknown> = {},
  ): Promise<T> {
    const { maxAttempts, baseDelayMs, maxDelayMs, maxElapsedMs, logger } = this.options;
    const started = this.now();
    for (let n = 1; ; n++) {
      signal?.throwIfAborted();
      try {
        return await attempt();
      } catch (err) {
        if (!isStorageError(err, 'Temporary')) throw err;
        // The caller gave up: report that, not the failure it interrupted.
        signal?.throwIfAborted();
        const elapsed = this.now() - started;
        const waitMs = Math.floor(this.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1)));
        if (n >= maxAttempts || elapsed + waitMs > maxElapsedMs) {
          throw new StorageError('Temporary', `${err.message} (gave up after ${n} attempt${n === 1 ? '' : 's'} in ${elapsed} ms)`, err.key ?? key, {
            cause: err,
          });
        }
        logger.warn(
          { op, key, ...context, attempt: n, maxAttempts, retryInMs: waitMs, errorKind: err.kind, error: err.message },
          'storage operation failed with a temporary error; retrying',
        );
        await sleepUnlessAborted(this.sleep, waitMs, signal);
      }
    }
  }
}

/**
 * Wraps `store` so Temporary errors are retried. Streams given to put are not
 * retried (they cannot be replayed); buffers and files are. A store that exposes
 * local files (the local store) or server-side copies from its peers (S3) keeps
 * exposing them through the wrapper, the copies retried like any other write.
 */
export function withRetry(store: ObjectStore, options: RetryOptions): ObjectStore {
  checkPolicy(options);
  const wrapped = new RetryingStore(store, options);
  if (exposesPeerCopy(store)) {
    const peer: PeerCopy = {
      copyDomain: store.copyDomain,
      copySource: (key) => store.copySource(key),
      copyFromPeer: (source, size, toKey, copyOptions) =>
        wrapped.retrying('copyFromPeer', toKey, copyOptions?.signal, () => store.copyFromPeer(source, size, toKey, copyOptions)),
    };
    Object.assign(wrapped, peer);
  }
  if (!exposesLocalFiles(store)) return wrapped;
  return Object.assign(wrapped, { localPath: (key: string): string => store.localPath(key) });
}
