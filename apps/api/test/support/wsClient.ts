import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client on a test server, authenticated with `token`. */
export function connect(wsUrl: string, token: string | null): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/** A subscription whose messages are awaited one at a time. */
export interface Collector<T> {
  /** The next message (resolves as soon as it arrives). */
  next(): Promise<T>;
  /** The subscription's error, once it fails. */
  readonly failed: Promise<unknown>;
  dispose(): void;
}

/** Subscribes and queues every message, for waiting on them in order. */
export function collect<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Collector<T> {
  const queue: T[] = [];
  const waiters: Array<(value: T) => void> = [];
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<unknown>((resolve) => {
    fail = resolve;
  });
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        const value = (
          message.errors ? { errors: message.errors } : message.data
        ) as T;
        const waiter = waiters.shift();
        if (waiter) waiter(value);
        else queue.push(value);
      },
      error: (error) => fail(error),
      complete: () => undefined,
    },
  );
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve(queue.shift() as T)
        : new Promise<T>((resolve) => waiters.push(resolve)),
    failed,
    dispose,
  };
}
