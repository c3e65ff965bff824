// Version ids of the local store: 12 hex digits of milliseconds since the epoch,
// 4 of a per-process counter, 8 random. They sort by creation time as strings, so
// "newest first" is a plain descending sort, and they are unique across processes
// writing to the same directory.
import { randomBytes } from 'node:crypto';

const TIME_DIGITS = 12;
const COUNTER_DIGITS = 4;
const COUNTER_LIMIT = 16 ** COUNTER_DIGITS;
const VERSION_ID_PATTERN = /^[0-9a-f]{24}$/;

/** The id S3 gives objects stored while versioning was off; ours for files the store did not record. */
export const NULL_VERSION_ID = 'null';

export function isVersionId(value: string): boolean {
  return VERSION_ID_PATTERN.test(value);
}

/** Milliseconds since the epoch at which the version was created. */
export function versionTime(versionId: string): number {
  return Number.parseInt(versionId.slice(0, TIME_DIGITS), 16);
}

function format(ms: number, counter: number): string {
  return (
    ms.toString(16).padStart(TIME_DIGITS, '0') +
    counter.toString(16).padStart(COUNTER_DIGITS, '0') +
    randomBytes(4).toString('hex')
  );
}

/** A version id for a file created at `ms` that the store adopts after the fact. */
export function versionIdAt(ms: number): string {
  return format(Math.max(0, Math.floor(ms)), 0);
}

export class VersionIdGenerator {
  private lastMs = 0;
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * A new id, greater than every id this generator returned before and than `after`
   * (the key's newest existing version), so a clock that stepped back cannot put a
   * new version behind an older one.
   */
  next(after?: string): string {
    let ms = Math.floor(this.now());
    let counter = 0;
    if (ms <= this.lastMs) {
      ms = this.lastMs;
      counter = this.counter + 1;
    }
    if (after !== undefined && isVersionId(after)) {
      const afterMs = versionTime(after);
      const afterCounter = Number.parseInt(after.slice(TIME_DIGITS, TIME_DIGITS + COUNTER_DIGITS), 16);
      if (ms < afterMs || (ms === afterMs && counter <= afterCounter)) {
        ms = afterMs;
        counter = afterCounter + 1;
      }
    }
    if (counter >= COUNTER_LIMIT) {
      ms += 1;
      counter = 0;
    }
    this.lastMs = ms;
    this.counter = counter;
    return format(ms, counter);
  }
}
