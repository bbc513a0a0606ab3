import type { EventBus } from '../events/eventBus.ts';
import type {
  RegistryEvent,
  RegistryEventKind,
} from '../events/registryEvent.ts';
import { endableIterator } from '../live/endableIterator.ts';

/**
 * An async iterator over bus events of `kinds` that `pick` accepts, each
 * turned into a payload by `load` (events carry ids only). Events that
 * arrive while a payload loads wait in order; `return()` unsubscribes.
 */
export function eventIterator<T>(
  events: EventBus,
  kinds: RegistryEventKind[],
  pick: (event: RegistryEvent) => boolean,
  load: (event: RegistryEvent) => Promise<T | null>,
): AsyncIterableIterator<T> {
  const queue: RegistryEvent[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const unsubscribe = events.subscribe(kinds, (event) => {
    if (!pick(event)) return;
    queue.push(event);
    wake?.();
  });

  return endableIterator<T>(
    async () => {
      while (!done) {
        const event = queue.shift();
        if (!event) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        const value = await load(event);
        if (value !== null) return { done: false, value };
      }
      return { done: true, value: undefined };
    },
    () => {
      done = true;
      unsubscribe();
      wake?.();
    },
  );
}
