/**
 * Loads many keys in one call: every `load(key)` made while GraphQL
 * resolves one level of a response is collected and sent to `loadMany`
 * together, so a page of 50 devices costs one tag query, not 50. The
 * dispatch waits for the promise jobs of the current tick to run first
 * (as DataLoader does), because that is when sibling fields ask.
 */
export type BatchLoader<K, V> = (key: K) => Promise<V>;

export function createBatchLoader<K, V>(
  loadMany: (keys: K[]) => Promise<Map<K, V>>,
  missing: () => V,
): BatchLoader<K, V> {
  let queue: Array<{
    key: K;
    resolve: (value: V) => void;
    reject: (error: unknown) => void;
  }> = [];

  const dispatch = () => {
    const batch = queue;
    queue = [];
    const keys = [...new Set(batch.map((entry) => entry.key))];
    loadMany(keys).then(
      (values) => {
        for (const entry of batch) {
          entry.resolve(values.get(entry.key) ?? missing());
        }
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  };

  return (key) =>
    new Promise<V>((resolve, reject) => {
      queue.push({ key, resolve, reject });
      if (queue.length === 1) {
        void Promise.resolve().then(() => process.nextTick(dispatch));
      }
    });
}
