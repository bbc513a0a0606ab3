import {
  DEFAULT_HEALTH_THRESHOLDS,
  decideHeartbeat,
  timeoutMsFor,
  type DeviceState,
  type HealthThresholds,
  type HeartbeatTiming,
  type OfflineTier,
} from '@rollcall/fleet';
import type { RollcallConfig } from '../config/defaults.ts';
import type { HeartbeatEntry, LivenessRow } from './heartbeatTypes.ts';

/** Heartbeat settings the ingest applies, derived from the config. */
export interface HeartbeatSettings {
  thresholds: HealthThresholds;
  timing: HeartbeatTiming;
}

/**
 * The config's `health` block as fleet thresholds. The config has one
 * temperature limit, applied to the CPU; the GPU keeps fleet's default,
 * since GPUs run hotter by design.
 */
export function heartbeatSettings(config: RollcallConfig): HeartbeatSettings {
  const health = config.health;
  return {
    thresholds: {
      ...DEFAULT_HEALTH_THRESHOLDS,
      maxCpuPercent: health.max_cpu_percent,
      maxTemperatureCpuC: health.max_temperature_c,
      minDiskFreeMb: health.min_disk_free_mb,
      maxMemoryUsedRatio: health.max_memory_percent / 100,
      maxErrorCountLastHour: health.max_errors_last_hour,
    },
    timing: {
      intervalSeconds: config.heartbeat.interval_seconds,
      timeoutSeconds: config.heartbeat.timeout_seconds,
    },
  };
}

/** What one heartbeat did to its device's row. */
export type HeartbeatOutcome =
  | {
      kind: 'applied';
      previousState: DeviceState;
      state: DeviceState;
      changed: boolean;
      reason: string | null;
      raiseAlert: boolean;
      quarantine: boolean;
      /** The offline tier the device left by coming back, if any. */
      leftTier: OfflineTier | null;
      /** True when the device was OFFLINE and is back. */
      returned: boolean;
    }
  | { kind: 'duplicate'; reason: string }
  | { kind: 'stale'; reason: string }
  | { kind: 'refused'; message: string };

type Ordering =
  { kind: 'new' } | { kind: 'duplicate' | 'stale'; reason: string };

const NEW: Ordering = { kind: 'new' };

/**
 * Whether `entry` is newer than the last heartbeat applied. Sequences
 * decide; a device that restarted (its uptime is shorter than the time
 * since its last applied heartbeat) starts a new count, so a lower
 * sequence from it is new. Without a sequence, an entry received before
 * the last applied one is older. A refusal says why, so that a device
 * whose counter restarted without reporting its uptime learns what to
 * send.
 */
function ordering(row: LivenessRow, entry: HeartbeatEntry): Ordering {
  const last = row.lastHeartbeatAt?.getTime() ?? null;
  const received = entry.receivedAt.getTime();
  if (entry.sequence === null || row.lastSequence === null) {
    if (last === null || received >= last) return NEW;
    return {
      kind: 'stale',
      reason: 'received before the last applied heartbeat',
    };
  }
  if (entry.sequence > row.lastSequence) return NEW;

  const uptime = entry.metrics?.uptime_seconds;
  const hasRestarted =
    last !== null &&
    typeof uptime === 'number' &&
    uptime * 1000 < received - last;
  if (hasRestarted) return NEW;

  if (entry.sequence === row.lastSequence) {
    return {
      kind: 'duplicate',
      reason: `sequence ${entry.sequence} was applied before`,
    };
  }
  return {
    kind: 'stale',
    reason:
      `sequence ${entry.sequence} is not after the last applied ` +
      `${row.lastSequence}; a device that restarted counts again from a ` +
      'lower sequence only with metrics.uptimeSeconds shorter than the ' +
      'time since its last heartbeat',
  };
}

/**
 * Applies one heartbeat to a device's liveness row: ordering first
 * (duplicates and late heartbeats change nothing), then fleet's
 * `decideHeartbeat` for the state. Returns the new row (the same object
 * when nothing changed) and what happened. Pure: the caller holds the row
 * lock and writes the result.
 */
export function applyHeartbeat(
  row: LivenessRow,
  entry: HeartbeatEntry,
  intervalSeconds: number,
  settings: HeartbeatSettings,
): { row: LivenessRow; outcome: HeartbeatOutcome } {
  const decision = decideHeartbeat({
    current: row.state,
    reported: entry.status,
    metrics: entry.metrics,
    thresholds: settings.thresholds,
    lastKnownState: row.lastKnownState,
    detail: entry.degradationReason,
  });
  if (decision.kind === 'refused') {
    return { row, outcome: { kind: 'refused', message: decision.message } };
  }

  const order = ordering(row, entry);
  if (order.kind !== 'new') return { row, outcome: order };

  const returned = row.state === 'offline';
  const received = entry.receivedAt;
  const timeoutMs = timeoutMsFor(intervalSeconds, settings.timing);
  const next: LivenessRow = {
    ...row,
    state: decision.next,
    stateSince: decision.changed ? received : row.stateSince,
    connectivity: 'online',
    lastHeartbeatAt: received,
    lastDeviceTime: entry.deviceTime,
    lastSequence: entry.sequence ?? row.lastSequence,
    reportedStatus: entry.status,
    appVersion: entry.appVersion ?? row.appVersion,
    uptimeSeconds: entry.metrics?.uptime_seconds ?? null,
    metrics: entry.metrics,
    dueAt: new Date(received.getTime() + timeoutMs),
    ...(returned || row.offlineTier !== null
      ? {
          offlineSince: null,
          offlineTier: null,
          tierSince: null,
          lastKnownState: null,
        }
      : {}),
  };
  return {
    row: next,
    outcome: {
      kind: 'applied',
      previousState: row.state,
      state: decision.next,
      changed: decision.changed,
      reason: decision.reason,
      raiseAlert: decision.raiseAlert,
      quarantine: decision.quarantine,
      leftTier: row.offlineTier,
      returned,
    },
  };
}
