// Files that something running needs right now: a query reading a snapshot, a
// backup copying one, a transaction that wrote files not yet committed. VACUUM
// never deletes a pinned file, whatever the retention period says.
import type { FileAccess } from './table/table-files.js';

export class Pins {
  private readonly counts = new Map<string, number>();

  /** Pins every key until the returned function is called (calling it twice is harmless). */
  pin(keys: Iterable<string>): () => void {
    const held = [...keys];
    for (const k of held) this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const k of held) {
        const n = (this.counts.get(k) ?? 0) - 1;
        if (n <= 0) this.counts.delete(k);
        else this.counts.set(k, n);
      }
    };
  }

  isPinned(key: string): boolean {
    return this.counts.has(key);
  }

  get size(): number {
    return this.counts.size;
  }
}

/**
 * File access that pins every file it hands out until it is released: whatever
 * reads table files (queries, DML, compaction, ALTER checks) holds them against VACUUM.
 */
export function pinningFiles(files: FileAccess, pins: Pins): FileAccess {
  return {
    discard: (keys) => files.discard(keys),
    async acquire(keys, signal) {
      const unpin = pins.pin(keys);
      try {
        const held = await files.acquire(keys, signal);
        return {
          paths: held.paths,
          release() {
            held.release();
            unpin();
          },
        };
      } catch (err) {
        unpin();
        throw err;
      }
    },
  };
}
