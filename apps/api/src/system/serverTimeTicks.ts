import type { Clock } from '../clock.ts';
import { endableIterator } from '../live/endableIterator.ts';
import type { Scheduler, TimerHandle } from '../scheduler.ts';

/** Time between two `serverTime` ticks: 1,000 ms. */
export const SERVER_TIME_INTERVAL_MS = 1_000;

interface Tick {
  serverTime: Date;
}

/**
 * The `serverTime` stream: the clock's time at once, then its time at each
 * tick of `scheduler`, every `intervalMs`. Ticks a slow reader has not
 * taken yet collapse into the latest, since only the current time is of
 * use. `return()` cancels the pending tick at once.
 */
export function serverTimeTicks(
  clock: Clock,
  scheduler: Scheduler,
  intervalMs = SERVER_TIME_INTERVAL_MS,
): AsyncIterableIterator<Tick> {
  let latest: Date | null = clock.now();
  let isDone = false;
  let wake: (() => void) | null = null;
  let timer: TimerHandle | null = null;

  const tick = () => {
    latest = clock.now();
    timer = scheduler.schedule(intervalMs, tick);
    wake?.();
  };
  timer = scheduler.schedule(intervalMs, tick);

  return endableIterator<Tick>(
    async () => {
      while (latest === null && !isDone) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
      if (isDone || latest === null) return { done: true, value: undefined };

      const serverTime = latest;
      latest = null;
      return { done: false, value: { serverTime } };
    },
    () => {
      isDone = true;
      if (timer) scheduler.cancel(timer);
      timer = null;
      wake?.();
    },
  );
}
