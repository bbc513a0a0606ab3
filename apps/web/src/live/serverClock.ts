/**
 * The server's clock as seen from the browser. Ages ("offline for 12 min")
 * are measured against the time that decided them, the server's, so a
 * browser whose clock is off shows the same ages as the API. The offset
 * comes from the `serverTime` subscription (one tick a second).
 */
import { subscribe } from '../api/wsClient.ts';

let offsetMs = 0;
const listeners = new Set<() => void>();

// Network jitter moves the estimate by milliseconds; only a real change
// (a skewed browser clock, a steered test clock) re-renders the ages.
const NOTICEABLE_MS = 1_000;

const SERVER_TIME = /* GraphQL */ `
  subscription ServerTime {
    serverTime
  }
`;

/** Now on the server's clock, in ms since the epoch (best estimate). */
export function serverNow(): number {
  return Date.now() + offsetMs;
}

/** Follows the server's clock while the live connection is up; returns the stop. */
export function followServerClock(): () => void {
  return subscribe<{ serverTime: string }>(SERVER_TIME, {}, (data) => {
    const serverTime = Date.parse(data.serverTime);
    if (Number.isNaN(serverTime)) return;

    const next = serverTime - Date.now();
    const hasChanged = Math.abs(next - offsetMs) >= NOTICEABLE_MS;
    offsetMs = next;
    if (hasChanged) for (const listener of listeners) listener();
  });
}

/** Calls `listener` when the estimate of the server's clock jumps. */
export function onServerClockChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
