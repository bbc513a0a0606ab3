/**
 * Offline detection and the escalation ladder ("Heartbeat Configuration"
 * and "Long-Term Offline Handling").
 *
 * The spec puts the critical tier ("after 1 hour") and the start of the
 * monitor window ("1-24 hours") at the same moment; a tier that lasts no
 * time would never be seen nor alerted. The default ladder therefore gives
 * critical one hour of its own and starts monitor at 2 hours:
 *
 * | tier                | from (inclusive) | until (exclusive) |
 * | ------------------- | ---------------- | ----------------- |
 * | (none)              | 0                | 5 min             |
 * | warning             | 5 min            | 15 min            |
 * | alert               | 15 min           | 60 min            |
 * | critical            | 60 min           | 2 h               |
 * | monitor             | 2 h              | 24 h              |
 * | escalate            | 24 h             | 7 days            |
 * | investigate         | 7 days           | 30 days           |
 * | decommission_review | 30 days          | -                 |
 */

import { OFFLINE_TIERS } from './vocabulary.ts';
import type { DeviceState, OfflineTier } from './vocabulary.ts';

const MINUTE_MS = 60_000;

/** The minute at which each tier starts, counted from going OFFLINE. */
export type TierConfig = Readonly<Record<OfflineTier, number>>;

/**
 * Default ladder in minutes: warning 5, alert 15, critical 60, monitor 120
 * (2 h), escalate 1440 (24 h), investigate 10080 (7 days),
 * decommission_review 43200 (30 days).
 */
export const DEFAULT_TIER_CONFIG: TierConfig = {
  warning: 5,
  alert: 15,
  critical: 60,
  monitor: 120,
  escalate: 24 * 60,
  investigate: 7 * 24 * 60,
  decommission_review: 30 * 24 * 60,
};

/**
 * Throws a RangeError unless every tier starts at a finite, non-negative
 * minute strictly after the tier before it (in `OFFLINE_TIERS` order).
 */
export function assertTierConfig(config: TierConfig): void {
  let previous = -1;
  for (const tier of OFFLINE_TIERS) {
    const minutes = config[tier];
    if (!Number.isFinite(minutes) || minutes < 0 || minutes <= previous) {
      throw new RangeError(
        `Offline tier ${tier} must start after the tier before it, at a finite minute >= 0; got ${minutes}`,
      );
    }
    previous = minutes;
  }
}

/** When `tier` starts, in milliseconds after going OFFLINE. */
export function tierThresholdMs(
  tier: OfflineTier,
  config: TierConfig = DEFAULT_TIER_CONFIG,
): number {
  return config[tier] * MINUTE_MS;
}

/**
 * The tier of a device that has been OFFLINE for `offlineForMs` (now minus
 * its `offlineSince`), or null before the first tier. A boundary belongs
 * to the tier it starts. Throws a RangeError for an invalid config.
 */
export function offlineTierFor(
  offlineForMs: number,
  config: TierConfig = DEFAULT_TIER_CONFIG,
): OfflineTier | null {
  assertTierConfig(config);

  let reached: OfflineTier | null = null;
  for (const tier of OFFLINE_TIERS) {
    if (offlineForMs >= tierThresholdMs(tier, config)) reached = tier;
  }
  return reached;
}

/**
 * The next tier a device OFFLINE for `offlineForMs` will reach and the
 * offline duration at which it does, so a sweeper can schedule its next
 * look; null once in the last tier.
 */
export function nextTierAt(
  offlineForMs: number,
  config: TierConfig = DEFAULT_TIER_CONFIG,
): { tier: OfflineTier; atMs: number } | null {
  assertTierConfig(config);

  for (const tier of OFFLINE_TIERS) {
    const atMs = tierThresholdMs(tier, config);
    if (atMs > offlineForMs) return { tier, atMs };
  }
  return null;
}

/** Heartbeat timing from config. */
export interface HeartbeatTiming {
  /** Configured heartbeat interval, seconds (default 60). */
  intervalSeconds: number;
  /** Silence after which a device is OFFLINE, seconds (default 180). */
  timeoutSeconds: number;
}

/** The spec's defaults: interval 60 seconds, timeout 180 seconds. */
export const DEFAULT_HEARTBEAT_TIMING: HeartbeatTiming = {
  intervalSeconds: 60,
  timeoutSeconds: 180,
};

/**
 * The offline timeout of a device, in milliseconds: the configured timeout
 * scaled by the device's expected interval over the configured interval,
 * so that it always allows the same number of missed heartbeats (60 s and
 * 180 s configured: a 120 s device gets 360 000 ms). A missing, zero or
 * non-finite device interval gets the configured timeout.
 */
export function timeoutMsFor(
  deviceIntervalSeconds: number | null | undefined,
  timing: HeartbeatTiming = DEFAULT_HEARTBEAT_TIMING,
): number {
  const base = timing.timeoutSeconds * 1000;
  const interval = deviceIntervalSeconds;
  if (typeof interval !== 'number' || !Number.isFinite(interval)) return base;
  if (interval <= 0 || timing.intervalSeconds <= 0) return base;

  return Math.round((base * interval) / timing.intervalSeconds);
}

/**
 * True when a device counts in the active fleet: false once
 * DECOMMISSIONED or flagged for decommission review (over 30 days
 * offline by default), true otherwise.
 */
export function isActiveFleet(
  state: DeviceState,
  tier: OfflineTier | null,
): boolean {
  return state !== 'decommissioned' && tier !== 'decommission_review';
}

/** Tag added to a device flagged for decommission review. */
export const OFFLINE_EXTENDED_TAG = 'offline-extended';

/** What a change of offline tier calls for. */
export interface TierAlerts {
  /** Alert kind to raise (`offline_<tier>`), or null. */
  raiseAlert: `offline_${OfflineTier}` | null;
  /** True when the device left the ladder and its tier alerts clear. */
  clearAlerts: boolean;
  /**
   * True on entering decommission review: tag `offline-extended` and
   * leave the active fleet counts.
   */
  flagDecommissionReview: boolean;
}

/** The position of `tier` in `OFFLINE_TIERS`; -1 for null. */
export function tierRank(tier: OfflineTier | null): number {
  return tier === null ? -1 : OFFLINE_TIERS.indexOf(tier);
}

/**
 * Which alerts a tier change from `previous` to `next` raises or clears.
 * Every escalation raises one alert for the tier reached, even when tiers
 * were skipped (a sweeper that ran late); returning (next null) clears;
 * no change, or a step down after a config change, raises nothing.
 */
export function tierAlerts(
  previous: OfflineTier | null,
  next: OfflineTier | null,
): TierAlerts {
  const escalated = next !== null && tierRank(next) > tierRank(previous);
  return {
    raiseAlert: escalated ? `offline_${next}` : null,
    clearAlerts: previous !== null && next === null,
    flagDecommissionReview: escalated && next === 'decommission_review',
  };
}
