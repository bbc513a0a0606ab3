import type { HeartbeatTiming } from '@rollcall/fleet';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import { rescheduleLiveness } from './reschedule.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** The offline sweeper's row in runtime_state. */
export interface SweeperRuntimeValue {
  /** When the last successful sweep finished. */
  lastSweepAt?: string;
  /** Deadlines are at least one timeout after this (restart, outage). */
  graceStart?: string | null;
  /** The interval and timeout the stored deadlines were computed with. */
  timing?: HeartbeatTiming;
}

/** The runtime_state key of the offline sweeper. */
export const SWEEPER_RUNTIME_KEY = 'offline_sweeper';

/** The later of two optional instants. */
export function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}

/**
 * The sweeper's grace: while Rollcall could not receive heartbeats (it was
 * down, or its database was), no device may time out because of it. Every
 * HEALTHY or DEGRADED device's deadline is at least one full timeout after
 * `current()`.
 */
export interface SweepGrace {
  /**
   * Decides the grace of the sweep starting at `now`, from runtime_state
   * read under the sweeper's lock: one full timeout from startup after
   * Rollcall itself was down, one full timeout from `now` when `outage`
   * says the database was unreachable since the last sweep, and any later
   * grace another process recorded. True when this sweep started a grace.
   */
  check(client: Queryable, now: Date, outage: Date | null): Promise<boolean>;
  /** The grace start this process applies (null: none). */
  current(): Date | null;
}

export interface SweepGraceOptions {
  logger: Logger;
  /** When this process started. */
  startedAt: Date;
  /** A last sweep older than this before `startedAt` means Rollcall was down. */
  downAfterMs: number;
  /** The configured interval and timeout. */
  timing: HeartbeatTiming;
}

function sameTiming(a: HeartbeatTiming | undefined, b: HeartbeatTiming) {
  return (
    a?.intervalSeconds === b.intervalSeconds &&
    a.timeoutSeconds === b.timeoutSeconds
  );
}

export function createSweepGrace(options: SweepGraceOptions): SweepGrace {
  const { logger, startedAt, downAfterMs, timing } = options;
  let hasChecked = false;
  let graceStart: Date | null = null;

  return {
    current: () => graceStart,
    async check(client, now, outage) {
      const { rows } = await client.query<{ value: SweeperRuntimeValue }>(
        'SELECT value FROM runtime_state WHERE key = $1',
        [SWEEPER_RUNTIME_KEY],
      );
      const stored = rows[0]?.value;
      if (stored?.graceStart) {
        graceStart = laterOf(graceStart, new Date(stored.graceStart));
      }
      let started = false;
      const last = stored?.lastSweepAt;
      if (
        !hasChecked &&
        last &&
        new Date(last).getTime() < startedAt.getTime() - downAfterMs
      ) {
        graceStart = laterOf(graceStart, startedAt);
        started = true;
        logger.info(
          { lastSweepAt: last, graceStart: startedAt },
          'Rollcall was down: every device gets one full timeout from startup',
        );
      }
      if (
        !hasChecked &&
        stored?.lastSweepAt &&
        !sameTiming(stored.timing, timing)
      ) {
        // Deadlines stored under another timeout would time devices out
        // early or late; the sweep computes them afresh.
        const rescheduled = await rescheduleLiveness(client, 'all');
        logger.info(
          { before: stored.timing ?? null, now: timing, rescheduled },
          'the heartbeat timeout changed: every live device is rescheduled',
        );
      }
      hasChecked = true;
      if (outage) {
        graceStart = laterOf(graceStart, now);
        started = true;
        logger.info(
          { unavailableSince: outage, graceStart: now },
          'the database was unreachable: every device gets one full timeout from its return',
        );
      }
      return started;
    },
  };
}
