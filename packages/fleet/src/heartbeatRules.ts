/**
 * The spec's "Heartbeat-Based State Transitions", with the gaps it leaves
 * closed as the heartbeat issue asks:
 *
 * - DEGRADED + healthy returns to HEALTHY only when the metrics are back
 *   within thresholds; without a metrics block it stays DEGRADED, since
 *   nothing shows that it improved.
 * - FAILED never recovers by itself, not even through OFFLINE: an OFFLINE
 *   device whose last known state is FAILED returns to FAILED whatever it
 *   reports.
 * - MAINTENANCE and PROVISIONING are left only by an operator, so no
 *   heartbeat moves them, not even a failed one; the spec's "Any state ->
 *   FAILED" is read as any state a heartbeat may move. The same holds for an
 *   OFFLINE device whose last known state was one of them.
 * - An OFFLINE device resumes as if from its last known state: one that was
 *   DEGRADED needs its metrics within thresholds to come back HEALTHY.
 * - A heartbeat from a DECOMMISSIONED device is refused.
 * - Alerts are raised when a failed heartbeat moves a device into FAILED;
 *   repeats from a device already FAILED raise none.
 */

import {
  DEFAULT_HEALTH_THRESHOLDS,
  describeViolations,
  metricsWithinThresholds,
} from './healthThresholds.ts';
import type {
  HealthThresholds,
  HeartbeatMetrics,
  MetricViolation,
} from './healthThresholds.ts';
import { unreachable } from './vocabulary.ts';
import type { DeviceState, ReportedStatus } from './vocabulary.ts';

/** What the server knows when a heartbeat arrives. */
export interface HeartbeatInput {
  /** The device's registry state. */
  current: DeviceState;
  /** The status in the heartbeat payload. */
  reported: ReportedStatus;
  /** The payload's metrics block; null or missing when not sent. */
  metrics?: HeartbeatMetrics | null;
  /** Default `DEFAULT_HEALTH_THRESHOLDS`. */
  thresholds?: HealthThresholds;
  /** For an OFFLINE device, the state it had when it went offline. */
  lastKnownState?: DeviceState | null;
  /** A reason the device gave in its payload, if any. */
  detail?: string | null;
}

/** The heartbeat was applied; the device's state is `next`. */
export interface HeartbeatApplied {
  kind: 'applied';
  next: DeviceState;
  /** True when `next` differs from the current state. */
  changed: boolean;
  /** Why the state is what it is, for the transition record; or null. */
  reason: string | null;
  /** Metrics outside the thresholds, whatever the reported status. */
  violations: MetricViolation[];
  /** True when this heartbeat moved the device into FAILED. */
  raiseAlert: boolean;
  /** True when the device must leave any deployment in progress. */
  quarantine: boolean;
}

/** The heartbeat changes nothing and is answered with an error code. */
export interface HeartbeatRefused {
  kind: 'refused';
  code: 'DEVICE_DECOMMISSIONED';
  message: string;
}

export type HeartbeatDecision = HeartbeatApplied | HeartbeatRefused;

/** States only an operator leaves. */
const OPERATOR_OWNED: readonly DeviceState[] = [
  'failed',
  'maintenance',
  'provisioning',
];

/**
 * The state a heartbeat is judged from: the current state, or for an
 * OFFLINE device its last known state (HEALTHY when unknown, or when it
 * is one that never precedes OFFLINE: OFFLINE or DECOMMISSIONED).
 */
function baselineOf(input: HeartbeatInput): DeviceState {
  if (input.current !== 'offline') return input.current;

  const last = input.lastKnownState;
  if (!last || last === 'offline' || last === 'decommissioned') {
    return 'healthy';
  }

  return last;
}

function withDetail(text: string, detail: string | null | undefined) {
  return detail ? `${text}: ${detail}` : text;
}

interface Outcome {
  next: DeviceState;
  reason: string | null;
}

function fromOperatorOwned(
  baseline: DeviceState,
  input: HeartbeatInput,
): Outcome {
  const name = baseline.toUpperCase();
  const note =
    baseline === 'failed'
      ? 'FAILED is left only by operator repair'
      : `${name} is left only by an operator`;
  if (input.current === 'offline') {
    return {
      next: baseline,
      reason: `heartbeat resumed; was ${name} before going offline; ${note}`,
    };
  }
  // Only a report that contradicts the state is worth a reason: a failed
  // device claiming health, or a failure during operator-owned work.
  const contradicts =
    baseline === 'failed'
      ? input.reported !== 'failed'
      : input.reported === 'failed';
  return {
    next: baseline,
    reason: contradicts ? `reported ${input.reported}; ${note}` : null,
  };
}

function fromActive(
  baseline: DeviceState,
  input: HeartbeatInput,
  violations: MetricViolation[],
): Outcome {
  const resumed = input.current === 'offline';
  const { reported, detail } = input;
  switch (reported) {
    case 'failed':
      return { next: 'failed', reason: withDetail('reported failed', detail) };
    case 'degraded': {
      // The device's own words first: the metrics only say what was out.
      const metrics = describeViolations(violations);
      const why =
        detail && metrics ? `${detail} (${metrics})` : detail || metrics;
      return {
        next: 'degraded',
        reason: why ? `reported degraded: ${why}` : 'reported degraded',
      };
    }
    case 'healthy':
      if (baseline === 'degraded') {
        if (!input.metrics) {
          return {
            next: 'degraded',
            reason: 'reported healthy without metrics; recovery unconfirmed',
          };
        }
        if (violations.length > 0) {
          return {
            next: 'degraded',
            reason: `reported healthy but metrics outside thresholds: ${describeViolations(violations)}`,
          };
        }
        return {
          next: 'healthy',
          reason: resumed
            ? 'heartbeat resumed; metrics within thresholds'
            : 'metrics back within thresholds',
        };
      }
      return { next: 'healthy', reason: resumed ? 'heartbeat resumed' : null };
    default:
      return unreachable(reported);
  }
}

/**
 * Decides what a heartbeat does to a device's state (see the module
 * comment for every rule). Returns `{ kind: 'refused', code:
 * 'DEVICE_DECOMMISSIONED' }` for a decommissioned device; otherwise the
 * next state, whether it changed, the reason to record, the metric
 * violations, and whether to alert and quarantine. Liveness (last seen,
 * duplicates, ordering) is the caller's job; this judges status only.
 */
export function decideHeartbeat(input: HeartbeatInput): HeartbeatDecision {
  if (input.current === 'decommissioned') {
    return {
      kind: 'refused',
      code: 'DEVICE_DECOMMISSIONED',
      message: 'device is decommissioned; heartbeat refused',
    };
  }

  const thresholds = input.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  const violations = input.metrics
    ? metricsWithinThresholds(input.metrics, thresholds)
    : [];
  const baseline = baselineOf(input);
  const outcome = OPERATOR_OWNED.includes(baseline)
    ? fromOperatorOwned(baseline, input)
    : fromActive(baseline, input, violations);

  const isFailure = input.reported === 'failed' && outcome.next === 'failed';
  return {
    kind: 'applied',
    next: outcome.next,
    changed: outcome.next !== input.current,
    reason: outcome.reason,
    violations,
    raiseAlert: isFailure && baseline !== 'failed',
    quarantine: isFailure,
  };
}
