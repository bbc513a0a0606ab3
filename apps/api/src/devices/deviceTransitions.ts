import {
  allowedActions,
  DECOMMISSIONED_TAG,
  decommissionPath,
  transitionFor,
  type DeviceState,
  type OperatorAction,
} from '@rollcall/fleet';
import type pg from 'pg';
import {
  deviceTokensRevoked,
  revokeDeviceTokens,
} from '../auth/deviceTokens.ts';
import { withTransaction } from '../db/transaction.ts';
import { RollcallError } from '../errors.ts';
import { decommissionedTagValue } from '../tags/decommissionedTag.ts';
import { recordAudit } from './auditLog.ts';
import { findDevice } from './deviceList.ts';
import type { DeviceRecord } from './deviceRecord.ts';
import { timeOutIfSilent } from './silentReturn.ts';
import {
  actionEnumName,
  applyStateChange,
  lockStatus,
  type StateChangeDeps,
} from './stateChange.ts';

/** An action that `transitionDevice` performs (decommission has its own). */
export type GuardedAction = Exclude<OperatorAction, 'decommission'>;

/**
 * Moves a device along one operator edge of the state machine, under a row
 * lock. Any action the machine does not allow from the current state is
 * INVALID_TRANSITION with `allowedActions` (GraphQL names); a
 * DECOMMISSIONED device allows none. A return to HEALTHY of a device
 * silent past its timeout goes on to OFFLINE (`timeOutIfSilent`).
 */
export async function transitionDevice(
  pool: pg.Pool,
  deps: StateChangeDeps,
  request: {
    deviceId: string;
    action: OperatorAction;
    reason: string | null;
    actor: string;
    at: Date;
  },
): Promise<DeviceRecord> {
  if (request.action === 'decommission') {
    throw new RollcallError(
      'BAD_USER_INPUT',
      'Decommission a device with decommissionDevice',
      { argument: 'action' },
    );
  }

  return withTransaction(pool, async (client) => {
    const status = await lockStatus(client, request.deviceId);
    const result = transitionFor(request.action, status.state);
    if (!result.ok) {
      throw new RollcallError(
        'INVALID_TRANSITION',
        `${actionEnumName(request.action)} is not allowed for a device in ${status.state.toUpperCase()}`,
        {
          deviceId: request.deviceId,
          action: actionEnumName(request.action),
          state: status.state.toUpperCase(),
          allowedActions: result.allowed.map(actionEnumName),
        },
      );
    }

    const change = {
      deviceId: request.deviceId,
      from: status.state,
      to: result.to,
      cause: 'operator' as const,
      actor: request.actor,
      reason: request.reason,
      at: request.at,
      heartbeatIntervalSeconds: status.heartbeatIntervalSeconds,
    };
    await applyStateChange(client, deps, change);
    if (change.to === 'healthy') await timeOutIfSilent(client, deps, change);
    return (await findDevice(client, request.deviceId))!;
  });
}

/** What `decommissionDevice` did besides the transitions. */
export interface Decommissioning {
  device: DeviceRecord;
  revokedTokens: number;
  removedFromGroups: string[];
  cancelledCatchUps: number;
}

// Catch-up entries still waiting to be delivered; the rest are closed.
const OPEN_CATCH_UP = ['pending', 'delivering', 'investigation'];

/**
 * The spec's decommissioning protocol in one transaction: refuses a
 * `single-point-failure` device unless forced; passes through MAINTENANCE
 * (two recorded transitions, one when already there); revokes every
 * device token at once; leaves every static group; adds the
 * `decommissioned` tag with the time as its value (a valid tag:
 * `decommissionedTagValue`), past the 128-tag limit if need be (a status
 * tag, not counted: `STATUS_TAG_KEYS`); sets decommissioned_at; cancels
 * open catch-up entries. The record is kept.
 */
export async function decommissionDevice(
  pool: pg.Pool,
  deps: StateChangeDeps,
  request: {
    deviceId: string;
    force: boolean;
    reason: string | null;
    actor: string;
    at: Date;
  },
): Promise<Decommissioning> {
  const { deviceId, at, actor } = request;
  return withTransaction(pool, async (client) => {
    const status = await lockStatus(client, deviceId);
    if (status.state === 'decommissioned') {
      throw new RollcallError(
        'DEVICE_DECOMMISSIONED',
        `Device "${deviceId}" is already decommissioned`,
        { deviceId, allowedActions: allowedActions(status.state) },
      );
    }

    const spof = await client.query(
      `SELECT 1 FROM device_tags
       WHERE device_id = $1 AND (key = 'single-point-failure' OR value = 'single-point-failure')`,
      [deviceId],
    );
    if (spof.rowCount && !request.force) {
      throw new RollcallError(
        'SINGLE_POINT_OF_FAILURE',
        `Device "${deviceId}" is tagged single-point-failure; migrate its workload, then decommission with force`,
        { deviceId },
      );
    }

    let from: DeviceState = status.state;
    for (const to of decommissionPath(status.state)) {
      await applyStateChange(client, deps, {
        deviceId,
        from,
        to,
        cause: 'operator',
        actor,
        reason: request.reason,
        at,
        heartbeatIntervalSeconds: status.heartbeatIntervalSeconds,
      });
      from = to;
    }

    const revokedTokenIds = await revokeDeviceTokens(client, deviceId, at);
    const revokedTokens = revokedTokenIds.length;
    const groups = await client.query<{ name: string }>(
      `WITH removed AS (
         DELETE FROM group_members WHERE device_id = $1 RETURNING group_id
       )
       SELECT g.name FROM removed r JOIN groups g ON g.id = r.group_id
       ORDER BY g.name`,
      [deviceId],
    );
    const catchUps = await client.query(
      `UPDATE catch_up_queue
       SET status = 'cancelled', closed_at = $2, close_reason = 'device decommissioned'
       WHERE device_id = $1 AND status = ANY($3)`,
      [deviceId, at, OPEN_CATCH_UP],
    );
    // Added even to a device at the 128-tag limit, with none of its tags
    // dropped: decommissioning must not fail on tags, the record is kept
    // whole for the audit trail, and tagging refuses it from now on.
    await client.query(
      `INSERT INTO device_tags (device_id, key, value, created_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [deviceId, DECOMMISSIONED_TAG, decommissionedTagValue(at), at],
    );
    await client.query(
      `UPDATE devices SET decommissioned_at = $2, updated_at = $2 WHERE id = $1`,
      [deviceId, at],
    );

    const removedFromGroups = groups.rows.map((row) => row.name);
    await recordAudit(client, [
      {
        actor,
        action: 'device.decommissioned',
        entityType: 'device',
        entityId: deviceId,
        before: { state: status.state, groups: removedFromGroups },
        after: {
          state: 'decommissioned',
          reason: request.reason,
          forced: request.force,
          revokedTokens,
          cancelledCatchUps: catchUps.rowCount ?? 0,
        },
        at,
      },
    ]);
    const iso = at.toISOString();
    await deps.events.publish(client, [
      { kind: 'deviceChanged', deviceId, change: 'decommissioned', at: iso },
      ...removedFromGroups.map((group) => ({
        kind: 'groupChanged' as const,
        group,
        at: iso,
      })),
      ...deviceTokensRevoked(revokedTokenIds, at),
    ]);

    return {
      device: (await findDevice(client, deviceId))!,
      revokedTokens,
      removedFromGroups,
      cancelledCatchUps: catchUps.rowCount ?? 0,
    };
  });
}
