/**
 * The registry's vocabulary: device states, offline escalation tiers and
 * transition causes, as the spec names them. These string unions are the
 * single source for the API's enums, the tag query language and the
 * dashboard.
 */

/** Every state of the spec's device state machine. */
export const DEVICE_STATES = [
  'provisioning',
  'healthy',
  'degraded',
  'failed',
  'offline',
  'maintenance',
  'decommissioned',
] as const;

export type DeviceState = (typeof DEVICE_STATES)[number];

/**
 * Offline escalation tiers, in the order a silent device climbs them:
 * the short-term warning/alert/critical tiers from the heartbeat config,
 * then the spec's long-term ladder (1-24 h monitor, 1-7 days escalate,
 * 7-30 days investigate, over 30 days decommission review).
 */
export const OFFLINE_TIERS = [
  'warning',
  'alert',
  'critical',
  'monitor',
  'escalate',
  'investigate',
  'decommission_review',
] as const;

export type OfflineTier = (typeof OFFLINE_TIERS)[number];

/** Why a state changed; every recorded transition carries one. */
export const TRANSITION_CAUSES = [
  'registration',
  'heartbeat',
  'timeout',
  'operator',
  'deployment',
  'sync',
] as const;

export type TransitionCause = (typeof TRANSITION_CAUSES)[number];

/** Statuses a device may report in its heartbeat. */
export const REPORTED_STATUSES = ['healthy', 'degraded', 'failed'] as const;

export type ReportedStatus = (typeof REPORTED_STATUSES)[number];

/** Thrown from the default branch of an exhaustive switch. */
export function unreachable(value: never): never {
  throw new Error(`Unreachable case: ${JSON.stringify(value)}`);
}
