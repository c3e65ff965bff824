// Copying one object from a store to another, verified: the bytes are hashed (SHA-256)
// on the way, the copy's size is checked, and a caller that knows the content's
// checksum gets an error (and no copy left behind) when the bytes differ. Between two
// stores of one S3 endpoint the copy happens inside the service (CopyObject); the
// source is then read once more only to hash it. Otherwise the bytes stream through
// this process, never held whole in memory.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { isStorageError, type ObjectMeta, type ObjectStore } from './object-store.js';
import { exposesPeerCopy } from './peer-copy.js';

export interface TransferRequest {
  readonly from: ObjectStore;
  readonly fromKey: string;
  readonly to: ObjectStore;
  readonly toKey: string;
  /** The source's size when known (saves a HEAD before a server-side copy); a different size fails. */
  readonly size?: number;
  /** The content's SHA-256 (hex) when known: different bytes fail the transfer. */
  readonly sha256?: string;
  readonly signal?: AbortSignal;
  /** Reports bytes as they are read from the source. */
  readonly onBytes?: (n: number) => void;
  /** Streams even where a server-side copy is possible (benchmarks compare the two). */
  readonly noServerSide?: boolean;
  /** Waits before letting `n` more bytes through (a bandwidth limit). */
  readonly throttle?: (n: number) => Promise<void>;
}

export interface TransferResult {
  readonly size: number;
  readonly sha256: string;
  readonly serverSide: boolean;
}

export interface ObjectDigest {
  readonly size: number;
  readonly sha256: string;
  /** Absent when the caller did not ask for it. */
  readonly md5?: string;
}

/** The copy's bytes are not what they should be; the copy has been removed. */
export class TransferVerificationError extends Error {
  override readonly name = 'TransferVerificationError';
  constructor(
    /** The source object whose content did not verify. */
    readonly key: string,
    readonly what: 'size' | 'checksum',
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${key}: ${what} mismatch (expected ${expected}, found ${actual})`);
  }
}

// Each attempt re-reads the source; storage layers below already retry single requests.
const STREAM_ATTEMPTS = 3;

/** Hashes and counts what passes through. */
class Digester extends Transform {
  private readonly sha = createHash('sha256');
  /** Only when something will be compared with it: hashing costs CPU on every byte. */
  private readonly md5: Hash | undefined;
  size = 0;
  constructor(
    private readonly onBytes: ((n: number) => void) | undefined,
    private readonly throttle: ((n: number) => Promise<void>) | undefined,
    withMd5 = true,
  ) {
    super();
    this.md5 = withMd5 ? createHash('md5') : undefined;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sha.update(chunk);
    this.md5?.update(chunk);
    this.size += chunk.length;
    this.onBytes?.(chunk.length);
    if (this.throttle === undefined) callback(null, chunk);
    else this.throttle(chunk.length).then(() => callback(null, chunk), callback);
  }
  digest(): ObjectDigest {
    return { size: this.size, sha256: this.sha.digest('hex'), ...(this.md5 === undefined ? {} : { md5: this.md5.digest('hex') }) };
  }
}

function pipeThrough(source: Readable, digester: Digester, signal: AbortSignal | undefined): () => void {
  const onAbort = (): void => {
    source.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  source.on('error', (err) => digester.destroy(err));
  // The consumer sees a failure through its own reading (or the put rejecting); once an
  // aborted put has stopped listening, the digester's error must not become uncaught.
  digester.on('error', () => undefined);
  source.pipe(digester);
  return () => signal?.removeEventListener('abort', onAbort);
}

/** Reads an object once and returns its size and checksums. */
export async function digestObject(
  store: ObjectStore,
  key: string,
  options: {
    readonly signal?: AbortSignal;
    readonly onBytes?: (n: number) => void;
    readonly throttle?: (n: number) => Promise<void>;
    readonly md5?: boolean;
  } = {},
): Promise<ObjectDigest> {
  options.signal?.throwIfAborted();
  const source = await store.getStream(key, options.signal === undefined ? {} : { signal: options.signal });
  const digester = new Digester(options.onBytes, options.throttle, options.md5 ?? true);
  const detach = pipeThrough(source, digester, options.signal);
  try {
    for await (const _chunk of digester) {
      // Only the digest is wanted.
    }
    return digester.digest();
  } finally {
    detach();
    source.destroy();
  }
}

/** An ETag that is the MD5 of the content (single-part uploads and copies on S3), or undefined. */
function contentMd5(meta: ObjectMeta): string | undefined {
  const etag = meta.etag?.toLowerCase();
  return etag !== undefined && /^[0-9a-f]{32}$/.test(etag) ? etag : undefined;
}

async function removeQuietly(store: ObjectStore, key: string): Promise<void> {
  try {
    await store.delete(key);
  } catch {
    // The caller reports the verification failure; a stray unreferenced copy is harmless.
  }
}

/** Checks a finished copy against what was read and what was expected; removes it when wrong. */
async function verify(request: TransferRequest, written: ObjectMeta, read: ObjectDigest, expectedEtagMd5: string | undefined): Promise<void> {
  const fail = async (what: 'size' | 'checksum', expected: string, actual: string): Promise<never> => {
    await removeQuietly(request.to, request.toKey);
    throw new TransferVerificationError(request.fromKey, what, expected, actual);
  };
  if (request.size !== undefined && read.size !== request.size) await fail('size', String(request.size), String(read.size));
  if (written.size !== read.size) await fail('size', String(read.size), String(written.size));
  if (request.sha256 !== undefined && read.sha256 !== request.sha256.toLowerCase()) await fail('checksum', request.sha256, read.sha256);
  const copiedMd5 = contentMd5(written);
  if (copiedMd5 !== undefined && expectedEtagMd5 !== undefined && copiedMd5 !== expectedEtagMd5) {
    await fail('checksum', `md5 ${expectedEtagMd5}`, `md5 ${copiedMd5}`);
  }
}

async function streamOnce(request: TransferRequest): Promise<TransferResult> {
  const { from, fromKey, to, toKey, signal } = request;
  const source = await from.getStream(fromKey, signal === undefined ? {} : { signal });
  const digester = new Digester(request.onBytes, request.throttle);
  const detach = pipeThrough(source, digester, signal);
  let written: ObjectMeta;
  try {
    written = await to.put(toKey, digester, signal === undefined ? {} : { signal });
  } finally {
    detach();
    source.destroy();
  }
  const read = digester.digest();
  // What was sent is what was read; the store's MD5 ETag, when it keeps one, confirms it arrived intact.
  await verify(request, written, read, read.md5);
  return { size: read.size, sha256: read.sha256, serverSide: false };
}

async function streamCopy(request: TransferRequest): Promise<TransferResult> {
  for (let attempt = 1; ; attempt++) {
    request.signal?.throwIfAborted();
    try {
      return await streamOnce(request);
    } catch (err) {
      if (!isStorageError(err, 'Temporary') || attempt >= STREAM_ATTEMPTS) throw err;
    }
  }
}

/**
 * Copies `fromKey` of one store to `toKey` of another, verified. Server-side within one
 * S3 endpoint (falling back to streaming when the destination's credentials may not
 * read the source), streamed otherwise.
 */
export async function transferObject(request: TransferRequest): Promise<TransferResult> {
  const { from, to, signal } = request;
  signal?.throwIfAborted();
  if (request.noServerSide !== true && exposesPeerCopy(from) && exposesPeerCopy(to) && from.copyDomain === to.copyDomain) {
    const source = await from.head(request.fromKey);
    if (request.size !== undefined && source.size !== request.size) {
      throw new TransferVerificationError(request.fromKey, 'size', String(request.size), String(source.size));
    }
    // A source whose ETag is its MD5 lets the copy be checked against it; otherwise the bytes read give the MD5.
    const sourceMd5 = contentMd5(source);
    const reading = digestObject(from, request.fromKey, {
      md5: sourceMd5 === undefined,
      ...(signal === undefined ? {} : { signal }),
      ...(request.onBytes === undefined ? {} : { onBytes: request.onBytes }),
      ...(request.throttle === undefined ? {} : { throttle: request.throttle }),
    });
    // Settled either way, so an early copy failure never leaves an unhandled rejection behind.
    const readOutcome = reading.then(
      (digest) => ({ ok: true as const, digest }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    let written: ObjectMeta;
    try {
      // Not aborted midway: the service may finish a copy whose request was abandoned, after
      // the caller removed what it thought was all it had written. It is waited for instead.
      written = await to.copyFromPeer(from.copySource(request.fromKey), source.size, request.toKey);
    } catch (err) {
      await readOutcome;
      if (isStorageError(err, 'AccessDenied')) return streamCopy(request);
      throw err;
    }
    const outcome = await readOutcome;
    if (!outcome.ok || signal?.aborted === true) {
      await removeQuietly(to, request.toKey);
      signal?.throwIfAborted();
      throw outcome.ok ? new Error('transfer aborted') : outcome.error;
    }
    await verify(request, written, outcome.digest, sourceMd5 ?? outcome.digest.md5);
    return { size: outcome.digest.size, sha256: outcome.digest.sha256, serverSide: true };
  }
  return streamCopy(request);
}
