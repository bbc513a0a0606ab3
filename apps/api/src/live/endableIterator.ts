/**
 * An async iterator of `next` whose `return()` and `throw()` call `end`
 * and settle at once. An async generator would queue them behind a
 * pending `next`, so an unsubscribe would wait for the stream's next event
 * or timer, which may never come.
 */
export function endableIterator<T>(
  next: () => Promise<IteratorResult<T>>,
  end: () => void,
): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next,
    return: async () => {
      end();
      return { done: true, value: undefined };
    },
    throw: async (error: unknown) => {
      end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
