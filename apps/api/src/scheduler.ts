/**
 * Timers beside the injected Clock: what time it is and "call me in N ms",
 * for the server's ticking streams (`serverTime`), the simulator and the
 * demo. The real scheduler uses the system clock and timers;
 * `ManualScheduler` moves only when a test advances it (optionally moving
 * the server's ManualClock with it), so that tests are exact and never
 * sleep.
 */
export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `task` after `delayMs`; the returned handle cancels it. */
  schedule(delayMs: number, task: () => Promise<void> | void): TimerHandle;
  cancel(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

/** The system clock and real timers (unref'd: they never keep a process up). */
export function realScheduler(): Scheduler {
  const timers = new Map<number, NodeJS.Timeout>();
  let next = 1;
  return {
    now: () => Date.now(),
    schedule(delayMs, task) {
      const id = next++;
      const timer = setTimeout(
        () => {
          timers.delete(id);
          void task();
        },
        Math.max(0, delayMs),
      );
      timer.unref();
      timers.set(id, timer);
      return { id };
    },
    cancel(handle) {
      clearTimeout(timers.get(handle.id));
      timers.delete(handle.id);
    },
  };
}

/** A clock the scheduler moves along, such as the server's ManualClock. */
export interface AdvanceableClock {
  now(): Date;
  set(time: Date | string): Date;
}

interface Pending {
  id: number;
  at: number;
  task: () => Promise<void> | void;
}

/**
 * A scheduler for tests: `advance(ms)` runs every task due in that window
 * in time order (ties in scheduling order), awaiting each one, so a task
 * that sends a heartbeat has its answer before the next task runs. Tasks
 * scheduled while advancing run too when they fall inside the window.
 * With a clock, its time is the clock's: a test that also moves the clock
 * itself is never moved back by a later `advance`.
 */
export class ManualScheduler implements Scheduler {
  private current: number;
  private pending: Pending[] = [];
  private nextId = 1;

  constructor(private readonly clock?: AdvanceableClock) {
    this.current = clock
      ? clock.now().getTime()
      : Date.parse('2026-01-01T00:00:00Z');
  }

  now(): number {
    return this.clock ? this.clock.now().getTime() : this.current;
  }

  schedule(delayMs: number, task: () => Promise<void> | void): TimerHandle {
    const id = this.nextId++;
    this.pending.push({ id, at: this.now() + Math.max(0, delayMs), task });
    return { id };
  }

  cancel(handle: TimerHandle): void {
    this.pending = this.pending.filter((item) => item.id !== handle.id);
  }

  /** Tasks waiting to run. */
  get size(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, running what falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.now() + ms;
    for (;;) {
      const due = this.pending
        .filter((item) => item.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((item) => item.id !== due.id);
      this.moveTo(due.at);
      await due.task();
    }
    this.moveTo(end);
  }

  private moveTo(time: number): void {
    if (time <= this.now()) return;

    this.current = time;
    this.clock?.set(new Date(time));
  }
}
