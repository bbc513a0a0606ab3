import type { EventBus } from '../events/eventBus.ts';
import type {
  RegistryEvent,
  RegistryEventKind,
} from '../events/registryEvent.ts';
import type { Logger } from '../logger.ts';
import { createEventStream, type EventStream } from './eventStream.ts';

type EventOf<K extends RegistryEventKind> = Extract<RegistryEvent, { kind: K }>;

interface FeedSubscriber<K extends RegistryEventKind, T> {
  concerns: (event: EventOf<K>) => boolean;
  stream: EventStream<T>;
}

/**
 * The subscribers of a subscription whose payload is read from the
 * database per event, such as a deployment's progress. Events carry ids
 * only; read per subscriber, 50 operators watching one deployment cost 50
 * identical reads per event. Here one bus listener reads each event once,
 * when some subscriber wants it, and hands every such subscriber the same
 * payload object, so that like subscribers also share one execution
 * (`sharedExecution.ts`).
 */
export interface EventFeed<K extends RegistryEventKind, T> {
  /** Opens a subscriber of the events `concerns` accepts. */
  open(concerns: (event: EventOf<K>) => boolean): AsyncIterableIterator<T>;
  /** Open subscribers (for tests and metrics). */
  count(): number;
}

/**
 * Builds a feed over the bus events of `kinds`; `load` reads an event's
 * payload (null: nothing to send). It listens to the bus only while it
 * has subscribers, and hands out events one at a time, in arrival order.
 */
export function createEventFeed<K extends RegistryEventKind, T>(options: {
  events: EventBus;
  kinds: readonly K[];
  load: (event: EventOf<K>) => Promise<T | null>;
  logger: Logger;
}): EventFeed<K, T> {
  const { events, kinds, load, logger } = options;
  const subscribers = new Set<FeedSubscriber<K, T>>();
  const isFeedEvent = (event: RegistryEvent): event is EventOf<K> =>
    (kinds as readonly RegistryEventKind[]).includes(event.kind);
  let unsubscribe: (() => void) | null = null;
  let chain: Promise<void> = Promise.resolve();

  const handOut = async (
    event: EventOf<K>,
    concerned: ReadonlyArray<FeedSubscriber<K, T>>,
  ) => {
    const payload = await load(event);
    if (payload === null) return;

    for (const subscriber of concerned) subscriber.stream.push(payload);
  };

  const listen = () => {
    unsubscribe ??= events.subscribe([...kinds], (event) => {
      if (!isFeedEvent(event)) return;
      // Chosen on arrival, as a subscriber opened later never saw it.
      const concerned = [...subscribers].filter((s) => s.concerns(event));
      if (concerned.length === 0) return;

      chain = chain
        .then(() => handOut(event, concerned))
        .catch((error: unknown) =>
          logger.error({ err: error, kind: event.kind }, 'live feed failed'),
        );
    });
  };

  return {
    open(concerns) {
      listen();
      const subscriber: FeedSubscriber<K, T> = {
        concerns,
        stream: createEventStream(() => {
          subscribers.delete(subscriber);
          if (subscribers.size > 0) return;

          unsubscribe?.();
          unsubscribe = null;
        }),
      };
      subscribers.add(subscriber);
      return subscriber.stream.iterator;
    },

    count: () => subscribers.size,
  };
}
