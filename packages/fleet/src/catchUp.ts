/**
 * Catch-up queue rules (spec: "Offline During Deployment", "Catch-Up
 * Queue", "Long-Term Offline Handling"): which queued version a returning
 * device gets, what happens to the other entries, and when entries leave
 * for the investigation queue.
 */

import { DEFAULT_TIER_CONFIG, offlineTierFor } from './offlineTiers.ts';
import type { TierConfig } from './offlineTiers.ts';
import { compareVersions } from './semver.ts';
import type { DeviceState } from './vocabulary.ts';

/** The queue reason the spec gives for entries made during a deployment. */
export const CATCH_UP_REASON = 'device offline during deployment';

/** What ordering needs of a catch-up entry. */
export interface CatchUpOrderable {
  deploymentId: string;
  targetVersion: string;
  /** A Date or an ISO 8601 string. */
  queuedAt: Date | string;
}

function millis(at: Date | string): number {
  return typeof at === 'string' ? Date.parse(at) : at.getTime();
}

/**
 * Orders entries oldest first: by target version (semantic, see
 * `compareVersions`), then by queued time, then by deployment id, so the
 * order is total and never depends on the order of the queue.
 */
export function compareCatchUpEntries(
  a: CatchUpOrderable,
  b: CatchUpOrderable,
): number {
  const byVersion = compareVersions(a.targetVersion, b.targetVersion);
  if (byVersion !== 0) return byVersion;

  const byTime = millis(a.queuedAt) - millis(b.queuedAt);
  if (byTime !== 0) return Math.sign(byTime);

  if (a.deploymentId === b.deploymentId) return 0;

  return a.deploymentId < b.deploymentId ? -1 : 1;
}

/**
 * The latest of a device's pending entries (the highest by
 * `compareCatchUpEntries`), or null for none. Note that a rollback queued
 * after a newer release is older by this order.
 */
export function latestEntry<T extends CatchUpOrderable>(
  entries: readonly T[],
): T | null {
  let latest: T | null = null;
  for (const entry of entries) {
    if (!latest || compareCatchUpEntries(entry, latest) > 0) latest = entry;
  }
  return latest;
}

/**
 * The entry that supersedes `entry` among the device's pending `entries`
 * (which may include `entry` itself): the latest of the others when it is
 * later than `entry`, otherwise null.
 */
export function supersededBy<T extends CatchUpOrderable>(
  entry: T,
  entries: readonly T[],
): T | null {
  const latest = latestEntry(entries.filter((other) => other !== entry));
  if (!latest) return null;

  return compareCatchUpEntries(latest, entry) > 0 ? latest : null;
}

/** How an entry closes without being delivered. */
export interface CatchUpClosure<T> {
  entry: T;
  status: 'superseded' | 'completed';
  reason: string;
}

/** What to do with a returning device's pending entries. */
export interface CatchUpPlan<T> {
  /** The entry to deliver now, or null when nothing needs installing. */
  deliver: T | null;
  /** Every other entry, closed with its status and reason. */
  close: CatchUpClosure<T>[];
}

/**
 * Plans the catch-up of a device running `currentVersion` (null when
 * unknown) with pending `entries`: deliver only the latest; close the
 * others as superseded, naming the latest. A device already on the latest
 * target closes every entry without a redeploy: the latest as completed,
 * and a device already past it closes it as superseded.
 */
export function planCatchUp<T extends CatchUpOrderable>(
  entries: readonly T[],
  currentVersion: string | null,
): CatchUpPlan<T> {
  const latest = latestEntry(entries);
  if (!latest) return { deliver: null, close: [] };

  const others = entries.filter((entry) => entry !== latest);
  const close: CatchUpClosure<T>[] = others.map((entry) => ({
    entry,
    status: 'superseded',
    reason: `superseded by ${latest.targetVersion} (${latest.deploymentId})`,
  }));
  if (currentVersion === null) return { deliver: latest, close };

  const ahead = compareVersions(currentVersion, latest.targetVersion);
  if (ahead < 0) return { deliver: latest, close };

  close.push({
    entry: latest,
    status: ahead === 0 ? 'completed' : 'superseded',
    reason:
      ahead === 0
        ? `device already runs ${currentVersion}`
        : `device already runs newer ${currentVersion}`,
  });
  return { deliver: null, close };
}

/**
 * True when a returning device may receive its catch-up now: the spec's
 * "verify device health" means HEALTHY. A DEGRADED device waits until it
 * recovers; every other state is not eligible for deployments at all.
 */
export function canDeliverCatchUp(state: DeviceState): boolean {
  return state === 'healthy';
}

/** What the long-offline timeline asks of a device's catch-up entries. */
export type CatchUpAgeAction = 'keep' | 'escalate' | 'investigate';

/**
 * The spec's long-term timeline applied to catch-up entries, from how
 * long the device has been OFFLINE: up to the escalate tier (24 h by
 * default) `keep` them queued; from there `escalate` to operators and keep
 * them; from the investigate tier (7 days) on, decommission review
 * included, `investigate`: move them to the investigation queue.
 */
export function catchUpAgeAction(
  offlineForMs: number,
  config: TierConfig = DEFAULT_TIER_CONFIG,
): CatchUpAgeAction {
  const tier = offlineTierFor(offlineForMs, config);
  if (tier === 'investigate' || tier === 'decommission_review') {
    return 'investigate';
  }
  if (tier === 'escalate') return 'escalate';

  return 'keep';
}

/** After a failed delivery: try again, or hand over to a person. */
export type AttemptDecision =
  | { action: 'retry'; attemptsLeft: number }
  | { action: 'investigate'; reason: string };

/**
 * What follows a failed delivery, given `attempts` made so far (the
 * failed one included) and `maxAttempts` (the spec's default is 3):
 * `retry` while attempts remain, else `investigate`: move the entry to the
 * investigation queue.
 */
export function nextAttemptDecision(
  attempts: number,
  maxAttempts: number,
): AttemptDecision {
  if (attempts < maxAttempts) {
    return { action: 'retry', attemptsLeft: maxAttempts - attempts };
  }

  return {
    action: 'investigate',
    reason: `max attempts reached (${attempts} of ${maxAttempts})`,
  };
}

/**
 * True when a catch-up delivery that started at `startedAt` has run for
 * longer than `timeoutMs` at `at` (exactly `timeoutMs` is still in
 * time): the device reported neither the target version nor a failure,
 * and the attempt counts as failed.
 */
export function isDeliveryOverdue(
  startedAt: Date,
  at: Date,
  timeoutMs: number,
): boolean {
  return at.getTime() - startedAt.getTime() > timeoutMs;
}

/** What the registry last heard from a device whose delivery timed out. */
export interface DeliveryTimeoutReport {
  /** Its state, or null when the registry has none. */
  state: DeviceState | null;
  /** The version it reports running, or null when unknown. */
  version: string | null;
}

const DURATION_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** `30m`, `1h30m`, `45s`: whole units, largest first. */
function formatDuration(ms: number): string {
  let rest = Math.round(ms / 1_000) * 1_000;
  let text = '';
  for (const [unit, size] of DURATION_UNITS) {
    const count = Math.floor(rest / size);
    if (count === 0) continue;

    text += `${count}${unit}`;
    rest -= count * size;
  }
  return text || `${ms}ms`;
}

/**
 * The last failure of a delivery of `targetVersion` that timed out after
 * `timeoutMs`, saying what the device reports instead, for example
 * `delivery timed out after 30m: device still reports 2.3.0`.
 */
export function deliveryTimeoutFailure(
  timeoutMs: number,
  targetVersion: string,
  device: DeliveryTimeoutReport,
): string {
  const prefix = `delivery timed out after ${formatDuration(timeoutMs)}`;
  const reported = device.version ?? 'no version';
  if (device.state === 'offline') {
    return `${prefix}: device offline, last reported ${reported}`;
  }
  if (device.version === null) return `${prefix}: device reports no version`;

  if (device.version !== targetVersion) {
    return `${prefix}: device still reports ${device.version}`;
  }
  return device.state === 'healthy' || device.state === null
    ? `${prefix}: device reported ${targetVersion} too late`
    : `${prefix}: device reports ${targetVersion} but is ${device.state}`;
}
