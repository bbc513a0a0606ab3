import type pg from 'pg';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { Logger } from '../logger.ts';
import type { GroupMemberSource } from './groupMembers.ts';
import type { DeploymentManifest } from './manifest.ts';

/** What the deployment engine runs on. */
export interface DeploymentDeps {
  pool: pg.Pool;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  groups: GroupMemberSource;
  /**
   * Time a catch-up delivery has to succeed before the attempt counts as
   * failed, in ms (`catch_up.delivery_timeout_minutes`).
   */
  catchUpDeliveryTimeoutMs: number;
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

/** planned → running ⇄ paused → completed | aborted */
export type DeploymentState =
  'planned' | 'running' | 'paused' | 'completed' | 'aborted';

/** pending → awaiting_approval → running → soaking → completed | aborted */
export type WaveState =
  | 'pending'
  | 'awaiting_approval'
  | 'running'
  | 'soaking'
  | 'completed'
  | 'aborted';

/** A device's part: assigned → succeeded | quarantined | aborted; skipped. */
export type DeviceDeploymentState =
  'assigned' | 'succeeded' | 'quarantined' | 'skipped' | 'aborted';

export interface DeploymentRow {
  id: string;
  artifact: string;
  target_version: string;
  manifest: DeploymentManifest;
  state: DeploymentState;
  current_wave: number | null;
  created_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface WaveRow {
  id: string;
  deployment_id: string;
  index: number;
  name: string;
  is_canary: boolean;
  groups: string[];
  exclude_groups: string[];
  percentage: number;
  soak_minutes: number;
  require_approval: boolean;
  state: WaveState;
  started_at: Date | null;
  soak_until: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  completed_at: Date | null;
}

export interface DeviceRow {
  deployment_id: string;
  device_id: string;
  wave_index: number;
  state: DeviceDeploymentState;
  target_version: string;
  from_version: string | null;
  assigned_at: Date | null;
  finished_at: Date | null;
  error: string | null;
}

export async function loadDeployment(
  client: Queryable,
  id: string,
  lock = false,
): Promise<DeploymentRow | null> {
  const { rows } = await client.query<DeploymentRow>(
    `SELECT * FROM deployments WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function loadWaves(
  client: Queryable,
  deploymentIds: readonly string[],
): Promise<WaveRow[]> {
  const { rows } = await client.query<WaveRow>(
    `SELECT * FROM deployment_waves
     WHERE deployment_id = ANY($1::text[]) ORDER BY deployment_id, index`,
    [deploymentIds],
  );
  return rows;
}

export async function loadDevices(
  client: Queryable,
  deploymentId: string,
): Promise<DeviceRow[]> {
  const { rows } = await client.query<DeviceRow>(
    `SELECT * FROM deployment_devices
     WHERE deployment_id = $1 ORDER BY wave_index, device_id`,
    [deploymentId],
  );
  return rows;
}

/** Announces a deployment's progress to `deploymentProgress`. */
export async function announceDeployment(
  client: Queryable,
  events: EventBus,
  deploymentId: string,
  at: Date,
): Promise<void> {
  await events.publish(client, [
    { kind: 'deploymentChanged', deploymentId, at: at.toISOString() },
  ]);
}
