// MySQL's named locks (GET_LOCK, RELEASE_LOCK, IS_FREE_LOCK, IS_USED_LOCK,
// RELEASE_ALL_LOCKS), which applications take around migrations and jobs (Rails,
// Flyway). A lock belongs to a connection until it is released or the connection
// ends; a connection may take the same lock again and must release it as often.
// Names compare case-insensitively. They are this server process's: servers sharing
// one warehouse do not see each other's locks.
import { sqlError } from '../errors/registry.js';
import type { SqlValue, UserLockFunction } from '../sql/statement.js';

const MAX_NAME = 64;

interface Held {
  readonly owner: number;
  count: number;
}

export class UserLocks {
  private readonly held = new Map<string, Held>();
  /** Wakes every connection waiting for a lock when it is released. */
  private readonly released = new Map<string, Set<() => void>>();

  /** One call of a named-lock function by connection `owner`, as MySQL answers it. */
  async call(fn: UserLockFunction, args: readonly SqlValue[], owner: number, signal: AbortSignal): Promise<SqlValue> {
    if (fn === 'RELEASE_ALL_LOCKS') return this.releaseAll(owner);
    const name = lockName(args[0] ?? null);
    switch (fn) {
      case 'GET_LOCK':
        return (await this.acquire(name, owner, Number(args[1] ?? 0), signal)) ? 1 : 0;
      case 'RELEASE_LOCK': {
        const held = this.held.get(name);
        if (held === undefined) return null;
        if (held.owner !== owner) return 0;
        held.count -= 1;
        if (held.count === 0) this.free(name);
        return 1;
      }
      case 'IS_FREE_LOCK':
        return this.held.has(name) ? 0 : 1;
      case 'IS_USED_LOCK':
        return this.held.get(name)?.owner ?? null;
    }
  }

  /** Everything `owner` holds, freed (RELEASE_ALL_LOCKS, the end of a connection); how many holds that was. */
  releaseAll(owner: number): number {
    let count = 0;
    for (const [name, held] of [...this.held]) {
      if (held.owner !== owner) continue;
      count += held.count;
      this.free(name);
    }
    return count;
  }

  /** Waits up to `timeoutSeconds` (forever when negative) for the lock; false on timeout. KILL QUERY ends the wait with its error. */
  private async acquire(name: string, owner: number, timeoutSeconds: number, signal: AbortSignal): Promise<boolean> {
    const deadline = timeoutSeconds < 0 ? Number.POSITIVE_INFINITY : Date.now() + timeoutSeconds * 1000;
    for (;;) {
      const held = this.held.get(name);
      if (held === undefined) {
        this.held.set(name, { owner, count: 1 });
        return true;
      }
      if (held.owner === owner) {
        held.count += 1;
        return true;
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.waitForRelease(name, left, signal);
    }
  }

  private waitForRelease(name: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiters = this.released.get(name) ?? new Set<() => void>();
      this.released.set(name, waiters);
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        waiters.delete(wake);
        if (waiters.size === 0 && this.released.get(name) === waiters) this.released.delete(name);
      };
      const wake = (): void => {
        done();
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(sqlError('ER_QUERY_INTERRUPTED', 'Query execution was interrupted'));
      };
      // setTimeout's limit is about 24.8 days; a longer wait just wakes and waits again.
      const timer = setTimeout(wake, Math.min(ms, 2_147_000_000));
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      waiters.add(wake);
    });
  }

  private free(name: string): void {
    this.held.delete(name);
    for (const wake of [...(this.released.get(name) ?? [])]) wake();
  }
}

function lockName(value: SqlValue): string {
  const name = value === null || value instanceof Uint8Array ? '' : String(value);
  if (name === '' || name.length > MAX_NAME) {
    throw sqlError('ER_USER_LOCK_WRONG_NAME', `Incorrect user-level lock name '${value === null ? 'NULL' : name}'.`);
  }
  return name.toLowerCase();
}
