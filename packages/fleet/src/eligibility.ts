/**
 * Who may receive a deployment, who may be a canary, and how a wave picks
 * its share of devices (spec: "Device Status Definitions", "Deployment
 * Targeting with Groups", "Offline During Deployment"). Every choice is
 * deterministic, so a plan and its execution agree.
 */

import { unreachable } from './vocabulary.ts';
import type { DeviceState } from './vocabulary.ts';

/** Whether a device in some state may be targeted by a deployment. */
export interface DeploymentEligibility {
  eligible: boolean;
  /** True for DEGRADED: eligible, but deploy with caution. */
  caution: boolean;
  /** Why, from the spec's status definitions; null for HEALTHY. */
  reason: string | null;
}

/**
 * Deployment eligibility per the spec's status definitions: HEALTHY is
 * eligible; DEGRADED is eligible with caution (and left out of canaries);
 * PROVISIONING, FAILED, OFFLINE, MAINTENANCE and DECOMMISSIONED are not.
 */
export function deploymentEligibility(
  state: DeviceState,
): DeploymentEligibility {
  switch (state) {
    case 'healthy':
      return { eligible: true, caution: false, reason: null };
    case 'degraded':
      return {
        eligible: true,
        caution: true,
        reason: 'degraded: eligible with caution, excluded from canary',
      };
    case 'provisioning':
      return ineligible('provisioning: not yet ready for deployments');
    case 'failed':
      return ineligible('failed: not eligible for new deployments');
    case 'offline':
      return ineligible('offline: queued for catch-up when it returns');
    case 'maintenance':
      return ineligible('maintenance: excluded until returned to healthy');
    case 'decommissioned':
      return ineligible('decommissioned: can never be targeted');
    default:
      return unreachable(state);
  }
}

function ineligible(reason: string): DeploymentEligibility {
  return { eligible: false, caution: false, reason };
}

/** Tag that keeps a device out of canary selection. */
export const SINGLE_POINT_FAILURE_TAG = 'single-point-failure';

/** What canary selection needs to know about a device. */
export interface CanaryCandidate {
  id: string;
  /** Hardware type, for `one-per-device-type`. */
  type: string;
  state: DeviceState;
  tags: readonly string[];
}

/** Canary selection strategies of the deployment manifest. */
export type CanarySelection = 'one-per-device-type' | 'random' | 'first';

/** The manifest's canary block, as far as selection goes. */
export interface CanaryOptions {
  count: number;
  /** Default `one-per-device-type`. */
  selection?: CanarySelection;
  /** Seed for `random`; the deployment id is a good one. Default ''. */
  seed?: string;
}

/**
 * Why a device may not be a canary, or null when it may: only HEALTHY
 * devices qualify (DEGRADED ones are left out), and never one tagged
 * `single-point-failure` or `decommissioned`.
 */
export function canaryExclusionReason(device: CanaryCandidate): string | null {
  if (device.state !== 'healthy') return `state ${device.state}`;

  if (device.tags.includes(SINGLE_POINT_FAILURE_TAG)) {
    return 'tagged single-point-failure';
  }
  if (device.tags.includes('decommissioned')) return 'tagged decommissioned';

  return null;
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The devices that may be canaries, sorted by id. */
export function canaryCandidates<T extends CanaryCandidate>(
  devices: readonly T[],
): T[] {
  return devices
    .filter((device) => canaryExclusionReason(device) === null)
    .sort(byId);
}

/**
 * Picks up to `count` canaries among the candidates (see
 * `canaryCandidates`), deterministically:
 * - `first`: the first by id;
 * - `one-per-device-type`: round robin over device types in name order,
 *   the lowest id of each type first, so every type is covered before any
 *   repeats;
 * - `random`: a shuffle seeded by `seed`; the same seed and devices give
 *   the same picks.
 * Returns fewer when there are not enough candidates. Throws a RangeError
 * for a negative or fractional count.
 */
export function selectCanaries<T extends CanaryCandidate>(
  devices: readonly T[],
  options: CanaryOptions,
): T[] {
  const { count, selection = 'one-per-device-type', seed = '' } = options;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`Canary count must be an integer >= 0; got ${count}`);
  }

  const candidates = canaryCandidates(devices);
  switch (selection) {
    case 'first':
      return candidates.slice(0, count);
    case 'one-per-device-type':
      return roundRobinByType(candidates).slice(0, count);
    case 'random':
      return shuffle(candidates, seed).slice(0, count);
    default:
      return unreachable(selection);
  }
}

function roundRobinByType<T extends CanaryCandidate>(sorted: T[]): T[] {
  const byType = new Map<string, T[]>();
  for (const device of sorted) {
    const list = byType.get(device.type) ?? [];
    list.push(device);
    byType.set(device.type, list);
  }

  const queues = [...byType.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, list]) => list);
  const order: T[] = [];
  for (let round = 0; order.length < sorted.length; round += 1) {
    for (const queue of queues) {
      const device = queue[round];
      if (device) order.push(device);
    }
  }
  return order;
}

/** FNV-1a, 32 bits: a stable hash for seeding and ordering. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], seed: string): T[] {
  const next = generator(hash(seed));
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

/**
 * The share of `deviceIds` a wave of `percentage` percent deploys to:
 * ceil(n * percentage / 100) devices (so a small wave is never empty),
 * chosen by a stable hash of each id with `seed`, returned sorted by id.
 * A device's pick depends only on its own hash rank, so membership that
 * shifts a little between planning and execution shifts the picks a
 * little. Duplicates are ignored. Throws a RangeError outside 0-100.
 */
export function pickWavePercentage(
  deviceIds: readonly string[],
  percentage: number,
  seed = '',
): string[] {
  if (!Number.isFinite(percentage) || percentage < 0 || percentage > 100) {
    throw new RangeError(
      `Wave percentage must be within 0-100; got ${percentage}`,
    );
  }

  const unique = [...new Set(deviceIds)];
  const count = Math.ceil((unique.length * percentage) / 100);
  const ranked = unique
    .map((id) => ({ id, rank: hash(`${seed}:${id}`) }))
    .sort((a, b) => a.rank - b.rank || byId(a, b));
  return ranked
    .slice(0, count)
    .map((entry) => entry.id)
    .sort();
}

/** The planning-time offline warning. */
export interface OfflineWarning {
  warn: boolean;
  /** offlineCount / targetCount; 0 for an empty target. */
  ratio: number;
  message: string | null;
}

/**
 * The spec's planning rule: warn the operator when more than `threshold`
 * (default 0.2, i.e. 20 %) of the target set is offline. Exactly 20 % does
 * not warn; an empty target never does.
 */
export function offlineWarning(
  offlineCount: number,
  targetCount: number,
  threshold = 0.2,
): OfflineWarning {
  const ratio = targetCount > 0 ? offlineCount / targetCount : 0;
  if (ratio <= threshold) return { warn: false, ratio, message: null };

  const percent = Math.round(ratio * 1000) / 10;
  return {
    warn: true,
    ratio,
    message: `${offlineCount} of ${targetCount} target devices are offline (${percent}%), above the ${threshold * 100}% threshold`,
  };
}
