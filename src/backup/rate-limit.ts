// A job's bandwidth limit (--backup-max-bytes-per-second): every chunk a job moves
// takes its share of time, so the job as a whole stays under the rate, however many
// files it copies at once.
import { setTimeout as delay } from 'node:timers/promises';

export class RateLimiter {
  /** When the bytes granted so far will have "passed" at the allowed rate (ms since the epoch). */
  private until = 0;

  constructor(private readonly bytesPerSecond: number) {}

  get limited(): boolean {
    return this.bytesPerSecond > 0;
  }

  /** Waits until `n` more bytes fit under the rate. */
  async take(n: number): Promise<void> {
    if (!this.limited) return;
    const now = Date.now();
    const start = Math.max(now, this.until);
    this.until = start + (n * 1000) / this.bytesPerSecond;
    if (start > now) await delay(start - now);
  }
}
