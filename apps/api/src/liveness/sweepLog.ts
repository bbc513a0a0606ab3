import type { DeviceState } from '@rollcall/fleet';
import type { TimedOut } from './sweepStatements.ts';

/** How many moved devices a sweep's log line names. */
export const LOGGED_DEVICE_IDS = 100;

/** The log fields of one sweep's timeouts. */
export interface TimeoutSummary {
  to: 'offline';
  cause: 'timeout';
  count: number;
  /** How many came from each state. */
  from: Partial<Record<DeviceState, number>>;
  /** The first LOGGED_DEVICE_IDS devices moved. */
  deviceIds: string[];
  /** How many more were moved than `deviceIds` names. */
  moreDevices?: number;
}

/**
 * One log line per sweep, however many devices it moves: every move is a
 * state_transitions row already, and a sweep of 30,000 devices once wrote
 * a line of megabytes that log pipelines truncate or drop.
 */
export function summariseTimeouts(
  timedOut: readonly TimedOut[],
): TimeoutSummary {
  const from: Partial<Record<DeviceState, number>> = {};
  for (const t of timedOut) from[t.from] = (from[t.from] ?? 0) + 1;
  const more = timedOut.length - LOGGED_DEVICE_IDS;
  return {
    to: 'offline',
    cause: 'timeout',
    count: timedOut.length,
    from,
    deviceIds: timedOut.slice(0, LOGGED_DEVICE_IDS).map((t) => t.deviceId),
    ...(more > 0 ? { moreDevices: more } : {}),
  };
}
