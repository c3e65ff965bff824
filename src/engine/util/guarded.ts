// An async iterable whose cleanup runs exactly once: when it is exhausted, when
// it throws, or when the consumer stops early — even if it never started (an
// unstarted generator's return() skips its finally block).
export function guarded<T>(source: AsyncGenerator<T>, cleanup: () => Promise<void> | void): AsyncIterable<T> {
  let done = false;
  const finish = async (): Promise<void> => {
    if (done) return;
    done = true;
    await cleanup();
  };
  const iterator: AsyncIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      try {
        const r = await source.next();
        if (r.done === true) await finish();
        return r;
      } catch (err) {
        await finish();
        throw err;
      }
    },
    async return(): Promise<IteratorResult<T>> {
      try {
        await source.return(undefined);
      } finally {
        await finish();
      }
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
