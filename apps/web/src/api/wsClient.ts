/**
 * The dashboard's graphql-ws connection: one socket per signed-in key,
 * retried forever, with its status published for the connection indicator
 * and a "reconnected" signal so views can catch up on what they missed.
 */
import { createClient, type Client } from 'graphql-ws';
import type { Variables } from './graphqlClient.ts';

/** Where the live connection stands. */
export type ConnectionStatus =
  'idle' | 'connecting' | 'connected' | 'reconnecting';

type StatusListener = () => void;
type ReconnectListener = () => void;

let client: Client | null = null;
let clientKey: string | null = null;
let status: ConnectionStatus = 'idle';
let hasConnectedBefore = false;
const statusListeners = new Set<StatusListener>();
const reconnectListeners = new Set<ReconnectListener>();

function setStatus(next: ConnectionStatus): void {
  if (status === next) return;
  status = next;
  for (const listener of statusListeners) listener();
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql`;
}

/**
 * Opens (or reuses) the socket for `key`; a different key closes the old
 * socket first. Null closes it (signed out).
 */
export function connectLive(key: string | null): void {
  if (key === clientKey && client) return;

  void client?.dispose();
  client = null;
  clientKey = key;
  hasConnectedBefore = false;
  if (!key) {
    setStatus('idle');
    return;
  }

  client = createClient({
    url: socketUrl(),
    connectionParams: { authorization: `Bearer ${key}` },
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    // Capped exponential backoff with jitter: 0.5 s, 1 s, 2 s ... 10 s.
    retryWait: (retries) =>
      new Promise((resolve) =>
        setTimeout(
          resolve,
          Math.min(10_000, 500 * 2 ** retries) + Math.random() * 250,
        ),
      ),
    on: {
      connecting: () =>
        setStatus(hasConnectedBefore ? 'reconnecting' : 'connecting'),
      connected: () => {
        const isReconnect = hasConnectedBefore;
        hasConnectedBefore = true;
        setStatus('connected');
        if (isReconnect) for (const listener of reconnectListeners) listener();
      },
      closed: () => {
        if (client)
          setStatus(hasConnectedBefore ? 'reconnecting' : 'connecting');
      },
    },
  });
}

/** The current status (for useSyncExternalStore). */
export function liveStatus(): ConnectionStatus {
  return status;
}

/** Calls `listener` on every status change; returns the unsubscribe. */
export function onLiveStatus(listener: StatusListener): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** Calls `listener` after each reconnect (not the first connect). */
export function onReconnect(listener: ReconnectListener): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/**
 * Subscribes to one operation; `onData` gets each event's data and `onError`
 * a subscription the server refused. Returns the unsubscribe. Does nothing
 * while signed out.
 */
export function subscribe<T>(
  query: string,
  variables: Variables,
  onData: (data: T) => void,
  onError: (error: unknown) => void = () => undefined,
): () => void {
  if (!client) return () => undefined;

  return client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.data) onData(result.data as T);
        if (result.errors) onError(result.errors);
      },
      error: onError,
      complete: () => undefined,
    },
  );
}
