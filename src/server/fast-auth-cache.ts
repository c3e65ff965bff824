// caching_sha2_password's fast path needs SHA256(SHA256(password)), which is
// never stored: as in MySQL it is learnt from a successful full authentication
// and kept in memory only. Keys include the stored verifier, so a changed
// password simply misses.

export class FastAuthCache {
  private readonly digests = new Map<string, Buffer>();

  constructor(private readonly maxEntries = 10_000) {}

  get(user: string, verifier: string): Buffer | undefined {
    return this.digests.get(key(user, verifier));
  }

  set(user: string, verifier: string, digest: Buffer): void {
    const k = key(user, verifier);
    this.digests.delete(k);
    this.digests.set(k, digest);
    if (this.digests.size > this.maxEntries) {
      const oldest = this.digests.keys().next();
      if (oldest.done !== true) this.digests.delete(oldest.value);
    }
  }
}

function key(user: string, verifier: string): string {
  return `${user}\0${verifier}`;
}
