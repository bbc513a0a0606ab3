import { useEffect, useState } from 'react';
import { onServerClockChange, serverNow } from '../live/serverClock.ts';

/**
 * The current time on the server's clock in ms, refreshed every
 * `intervalMs` (10 seconds by default) so that ages tick on screen.
 */
export function useNow(intervalMs = 10_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const refresh = () => setNow(serverNow());
    const timer = setInterval(refresh, intervalMs);
    const stopListening = onServerClockChange(refresh);
    return () => {
      clearInterval(timer);
      stopListening();
    };
  }, [intervalMs]);
  return now;
}
