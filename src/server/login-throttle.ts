// Slows down password guessing: after a few failed logins from a host, every
// further attempt from it waits before it is answered, longer after each failure
// up to a bound. A successful login, or a quiet spell, forgets the host.

export interface LoginThrottleOptions {
  /** Failed logins a host may have before its attempts are delayed. */
  readonly freeFailures: number;
  /** Added to the delay for each failure past the free ones. */
  readonly stepMs: number;
  readonly maxDelayMs: number;
  /** A host without a failure for this long starts again from zero. */
  readonly forgetAfterMs?: number;
  /** Hosts remembered at once; the stalest are forgotten first. */
  readonly maxHosts?: number;
  readonly now?: () => number;
}

interface HostRecord {
  failures: number;
  lastFailure: number;
}

export class LoginThrottle {
  private readonly hosts = new Map<string, HostRecord>();
  private readonly forgetAfterMs: number;
  private readonly maxHosts: number;
  private readonly now: () => number;

  constructor(private readonly options: LoginThrottleOptions) {
    this.forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    this.maxHosts = options.maxHosts ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Consecutive failed logins from `host` that still count. */
  failures(host: string): number {
    const record = this.hosts.get(host);
    if (record === undefined) return 0;
    if (this.now() - record.lastFailure > this.forgetAfterMs) {
      this.hosts.delete(host);
      return 0;
    }
    return record.failures;
  }

  /** How long to wait before answering the next login attempt from `host`. */
  delayMs(host: string): number {
    const failures = this.failures(host);
    const over = failures - this.options.freeFailures;
    if (failures === 0 || over < 0 || this.options.maxDelayMs <= 0) return 0;
    return Math.min(this.options.maxDelayMs, this.options.stepMs * (over + 1));
  }

  /** Records a failed login; returns the host's failure count. */
  failed(host: string): number {
    const failures = this.failures(host) + 1;
    // Re-inserting keeps the map in order of last failure, stalest first.
    this.hosts.delete(host);
    this.hosts.set(host, { failures, lastFailure: this.now() });
    if (this.hosts.size > this.maxHosts) {
      const stalest = this.hosts.keys().next();
      if (stalest.done !== true) this.hosts.delete(stalest.value);
    }
    return failures;
  }

  succeeded(host: string): void {
    this.hosts.delete(host);
  }
}
