/**
 * What a simulated device can be made to do. Durations are in simulated
 * milliseconds: with a time scale of X they last 1/X as long on the
 * simulator's clock (heartbeat intervals never scale, since the server
 * judges liveness by its own clock).
 */
export type Scenario =
  /** Reports DEGRADED with one metric out of range, then recovers. */
  | { kind: 'degrade'; metric: 'cpu' | 'temperature' | 'disk'; forMs: number }
  /** A crash loop: reports FAILED, uptime restarting, errors high. */
  | { kind: 'fail'; forMs: number }
  /** Sends nothing, then returns (heartbeats resume). */
  | { kind: 'offline'; forMs: number }
  /** Its clock is `offsetMs` off (timestamps far in the future or past). */
  | { kind: 'clockSkew'; offsetMs: number; forMs: number }
  /** Its next `count` heartbeats are each delivered twice. */
  | { kind: 'duplicate'; count: number }
  /** Its next heartbeat is held back and delivered after the one after it. */
  | { kind: 'reorder' };

/** Scenario names the command line accepts, with the scenario they start. */
export const NAMED_SCENARIOS: Readonly<Record<string, Scenario>> = {
  'degrade-cpu': { kind: 'degrade', metric: 'cpu', forMs: 10 * 60_000 },
  'degrade-temperature': {
    kind: 'degrade',
    metric: 'temperature',
    forMs: 10 * 60_000,
  },
  'degrade-disk': { kind: 'degrade', metric: 'disk', forMs: 30 * 60_000 },
  fail: { kind: 'fail', forMs: 20 * 60_000 },
  'offline-minutes': { kind: 'offline', forMs: 8 * 60_000 },
  'offline-hours': { kind: 'offline', forMs: 3 * 3_600_000 },
  'offline-days': { kind: 'offline', forMs: 3 * 86_400_000 },
  'clock-skew': {
    kind: 'clockSkew',
    offsetMs: 400 * 86_400_000,
    forMs: 30 * 60_000,
  },
  duplicate: { kind: 'duplicate', count: 3 },
  reorder: { kind: 'reorder' },
};
