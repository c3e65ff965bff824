// Running sub-tasks (file copies) a few at a time.

/**
 * Runs `work` on every item, at most `concurrency` at once. The first failure (or an
 * abort of `signal`) stops new work from starting; the work already running is waited
 * for, then the first failure is thrown.
 */
export async function forEachBounded<T>(items: readonly T[], concurrency: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (!failed) {
      if (signal.aborted) {
        failed = true;
        failure = signal.reason;
        return;
      }
      const index = next++;
      if (index >= items.length) return;
      try {
        await work(items[index] as T);
      } catch (err) {
        if (!failed) {
          failed = true;
          failure = err;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failed) throw failure;
}
