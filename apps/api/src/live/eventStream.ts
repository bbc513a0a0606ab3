/**
 * A push-to-pull bridge: the hub pushes payloads, graphql-ws pulls them
 * through the async iterator. The queue is bounded; a subscriber that
 * falls `maxQueued` behind is ended (its socket's own backlog limit
 * usually closes it first).
 */
export interface EventStream<T> {
  push(value: T): void;
  readonly iterator: AsyncIterableIterator<T>;
}

/** Builds a stream; `onClose` runs once when the subscriber goes away. */
export function createEventStream<T>(
  onClose: () => void,
  maxQueued = 10_000,
): EventStream<T> {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let isDone = false;

  const finish = () => {
    if (isDone) return;
    isDone = true;
    queue.length = 0;
    onClose();
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };

  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (queue.length > 0) {
        return Promise.resolve({ value: queue.shift() as T, done: false });
      }
      if (isDone) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };

  return {
    push(value) {
      if (isDone) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value, done: false });
        return;
      }
      if (queue.length >= maxQueued) {
        finish();
        return;
      }
      queue.push(value);
    },
    iterator,
  };
}
