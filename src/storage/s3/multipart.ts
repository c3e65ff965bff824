// Pieces of multipart uploads that do not talk to S3: cutting a stream into parts,
// choosing part sizes within S3's limits, and running part uploads with bounded
// concurrency so memory stays at (concurrency + 1) parts whatever the object's size.
import type { Readable } from 'node:stream';

/** S3's limits on multipart uploads and batch deletes (the same on AWS, RGW and MinIO). */
export const S3_LIMITS = {
  minPartBytes: 5 * 1024 * 1024,
  maxParts: 10_000,
  maxSinglePutBytes: 5 * 1024 * 1024 * 1024,
  /** Keys (or versions) one DeleteObjects request may name. */
  maxDeleteBatch: 1000,
} as const;

const MIB = 1024 * 1024;

/** The smallest part size ≥ preferred that fits `totalBytes` into S3's part count, in whole MiB. */
export function partSizeFor(totalBytes: number, preferred: number): number {
  const needed = Math.ceil(totalBytes / S3_LIMITS.maxParts);
  const size = Math.max(preferred, needed, S3_LIMITS.minPartBytes);
  return Math.ceil(size / MIB) * MIB;
}

/** Byte ranges (inclusive end) covering [0, totalBytes) in parts of `partSize`. */
export function partRanges(totalBytes: number, partSize: number): { readonly start: number; readonly end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < totalBytes; start += partSize) {
    ranges.push({ start, end: Math.min(start + partSize, totalBytes) - 1 });
  }
  return ranges;
}

/** Reads a stream in pieces of an exact size (the last one may be shorter). */
export class ChunkReader {
  private readonly source: AsyncIterator<unknown>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;

  constructor(stream: Readable) {
    this.source = stream[Symbol.asyncIterator]();
  }

  /** Up to `bytes` bytes; fewer only at the end of the stream; empty once it is exhausted. */
  async read(bytes: number): Promise<Buffer> {
    while (!this.ended && this.pendingBytes < bytes) await this.pull();
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const take = Math.min(bytes, all.length);
    const head = all.subarray(0, take);
    const rest = all.subarray(take);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return head;
  }

  /** True when no byte is left; waits for the stream to say so rather than guessing. */
  async exhausted(): Promise<boolean> {
    while (!this.ended && this.pendingBytes === 0) await this.pull();
    return this.pendingBytes === 0;
  }

  /** Stops reading early (on a failed upload) and releases the source stream. */
  async cancel(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.ended) {
      this.ended = true;
      await this.source.return?.();
    }
  }

  private async pull(): Promise<void> {
    const next = await this.source.next();
    if (next.done === true) {
      this.ended = true;
      return;
    }
    const value: unknown = next.value;
    const chunk = typeof value === 'string' ? Buffer.from(value) : Buffer.from(value as Uint8Array);
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }
}

/**
 * Runs `work` for each item that `next` produces, at most `concurrency` at a time. `next`
 * is only called when a slot is free, so a producer that reads a stream never runs ahead
 * of the uploads. The first failure stops new work; the results come back in item order.
 */
export async function runBounded<I, R>(
  next: () => Promise<I | undefined>,
  work: (item: I, index: number) => Promise<R>,
  concurrency: number,
): Promise<R[]> {
  const results: R[] = [];
  const inFlight = new Set<Promise<void>>();
  let failed = false;
  let failure: unknown;
  for (let index = 0; !failed; index++) {
    let item: I | undefined;
    try {
      item = await next();
    } catch (err) {
      failed = true;
      failure = err;
      break;
    }
    if (item === undefined) break;
    const at = index;
    const task: Promise<void> = work(item, at).then(
      (result) => {
        results[at] = result;
      },
      (err: unknown) => {
        if (!failed) {
          failed = true;
          failure = err;
        }
      },
    );
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failed) throw failure;
  return results;
}
