import type { DeviceState, ReportedStatus } from '@rollcall/fleet';
import type pg from 'pg';

/** One device's heartbeat as applied by the ingest writer. */
export interface AppliedHeartbeat {
  deviceId: string;
  receivedAt: Date;
  reportedStatus: ReportedStatus;
  appVersion: string | null;
  previousState: DeviceState;
  state: DeviceState;
  /** False for duplicates and late (older) heartbeats, which change nothing. */
  applied: boolean;
}

/**
 * Other domains' reaction to heartbeats (deployments: a device reporting
 * its new version succeeds; catch-up: a device back online gets its queued
 * version). Called by the liveness service after the batch's transaction
 * committed, once per batch, in the process that received the heartbeats.
 */
export interface HeartbeatObserver {
  name: string;
  afterHeartbeats(heartbeats: AppliedHeartbeat[], pool: pg.Pool): Promise<void>;
}

/**
 * What a device must do, returned in its heartbeat answer. Filled from
 * device_status.desired_version (set by deployments and catch-up).
 */
export interface DeviceInstruction {
  deploymentId: string | null;
  targetVersion: string;
  artifact: string | null;
}
