import {
  timeoutMsFor,
  type DeviceState,
  type OperatorAction,
  type TransitionCause,
} from '@rollcall/fleet';
import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { Logger } from '../logger.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A device's lifecycle facts, read under a row lock. */
export interface LockedStatus {
  state: DeviceState;
  heartbeatIntervalSeconds: number;
  decommissionedAt: Date | null;
}

/**
 * Locks the device's status row (SELECT ... FOR UPDATE) for the rest of the
 * transaction, so that two operators, or an operator and a heartbeat,
 * cannot both move the device from the same state.
 *
 * @throws RollcallError NOT_FOUND for an unknown device.
 */
export async function lockStatus(
  client: Queryable,
  deviceId: string,
): Promise<LockedStatus> {
  const { rows } = await client.query<{
    state: DeviceState;
    heartbeat_interval_seconds: number;
    decommissioned_at: Date | null;
  }>(
    `SELECT s.state, d.heartbeat_interval_seconds, d.decommissioned_at
     FROM device_status s JOIN devices d ON d.id = s.device_id
     WHERE s.device_id = $1
     FOR UPDATE OF s`,
    [deviceId],
  );
  const row = rows[0];
  if (!row) throw notFound('Device', deviceId);

  return {
    state: row.state,
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds,
    decommissionedAt: row.decommissioned_at,
  };
}

/** What one recorded state change needs. */
export interface StateChange {
  deviceId: string;
  from: DeviceState;
  to: DeviceState;
  cause: TransitionCause;
  actor: string;
  reason: string | null;
  at: Date;
  heartbeatIntervalSeconds: number;
}

/** Dependencies of `applyStateChange`. */
export interface StateChangeDeps {
  events: EventBus;
  logger: Logger;
  config: RollcallConfig;
}

/**
 * Records one transition inside the caller's transaction: the
 * state_transitions row, device_status.state and state_since, and a
 * `stateChanged` event (delivered on commit). Leaving OFFLINE clears the
 * offline escalation, since the device is no longer silent-and-expected.
 * An operator returning a device to HEALTHY restarts its heartbeat
 * deadline, so that a device that never reports goes OFFLINE one timeout
 * later instead of at once (or never, after provisioning).
 */
export async function applyStateChange(
  client: Queryable,
  deps: StateChangeDeps,
  change: StateChange,
): Promise<void> {
  await client.query(
    `INSERT INTO state_transitions
       (device_id, from_state, to_state, cause, actor, reason, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      change.deviceId,
      change.from,
      change.to,
      change.cause,
      change.actor,
      change.reason,
      change.at,
    ],
  );

  const timing = {
    intervalSeconds: deps.config.heartbeat.interval_seconds,
    timeoutSeconds: deps.config.heartbeat.timeout_seconds,
  };
  const dueAt =
    change.to === 'healthy' && change.cause === 'operator'
      ? new Date(
          change.at.getTime() +
            timeoutMsFor(change.heartbeatIntervalSeconds, timing),
        )
      : null;
  await client.query(
    `UPDATE device_status SET
       state = $2, state_since = $3,
       offline_since = CASE WHEN $4 THEN NULL ELSE offline_since END,
       offline_tier = CASE WHEN $4 THEN NULL ELSE offline_tier END,
       tier_since = CASE WHEN $4 THEN NULL ELSE tier_since END,
       due_at = COALESCE($5, due_at)
     WHERE device_id = $1`,
    [change.deviceId, change.to, change.at, change.from === 'offline', dueAt],
  );

  await deps.events.publish(client, [
    {
      kind: 'stateChanged',
      deviceId: change.deviceId,
      from: change.from,
      to: change.to,
      cause: change.cause,
      actor: change.actor,
      reason: change.reason,
      at: change.at.toISOString(),
    },
  ]);
  deps.logger.info(
    {
      deviceId: change.deviceId,
      from: change.from,
      to: change.to,
      cause: change.cause,
      actor: change.actor,
    },
    'device state changed',
  );
}

/** The GraphQL name of an operator action: `enterMaintenance` is `ENTER_MAINTENANCE`. */
export function actionEnumName(action: OperatorAction): string {
  return action.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}
