/**
 * The source of "now" for everything that decides by time: liveness,
 * escalation tiers, soak timers, retention. Production uses the system
 * clock; tests inject a ManualClock so that no test ever sleeps. SQL never
 * calls now() for these decisions: the time is passed as a parameter.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  set(time: Date | string): Date {
    this.current = new Date(time).getTime();
    return this.now();
  }
}
