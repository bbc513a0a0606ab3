import { closeEntries } from '../catchUp/catchUpEntries.ts';
import { withTransaction } from '../db/transaction.ts';
import { RollcallError, notFound } from '../errors.ts';
import type { AppliedHeartbeat } from '../liveness/heartbeatObserver.ts';
import { appendLog } from './deploymentLog.ts';
import type { DeploymentDeps, Queryable } from './deploymentRows.ts';
import { recordInstalled, setDesiredVersion } from './registryVersions.ts';

/** A requested rollback. */
export interface RollbackRequest {
  deviceId: string;
  fromVersion: string | null;
  toVersion: string;
}

/**
 * Returns a device to its previous version: its heartbeat answer names
 * the rollback version; the registry changes when the device reports it.
 * The device's part in active deployments ends and its catch-up entries
 * close, so neither undoes the rollback.
 */
export async function rollbackDevice(
  deps: DeploymentDeps,
  deviceId: string,
  actor: string,
): Promise<RollbackRequest> {
  const now = deps.clock.now();
  return withTransaction(deps.pool, async (client) => {
    // device_status first, then devices: the order heartbeats, state
    // changes and tagging lock them in, so that none of them deadlocks.
    await client.query(
      'SELECT 1 FROM device_status WHERE device_id = $1 FOR UPDATE',
      [deviceId],
    );
    const { rows } = await client.query<{
      current_version: string | null;
      rollback_version: string | null;
      rollback_available: boolean;
      state: string | null;
    }>(
      `SELECT d.current_version, d.rollback_version, d.rollback_available,
              s.state
       FROM devices d LEFT JOIN device_status s ON s.device_id = d.id
       WHERE d.id = $1 FOR UPDATE OF d`,
      [deviceId],
    );
    const device = rows[0];
    if (!device) throw notFound('device', deviceId);
    if (device.state === 'decommissioned') {
      throw new RollcallError(
        'DEVICE_DECOMMISSIONED',
        `device ${deviceId} is decommissioned`,
      );
    }
    const target = device.rollback_version;
    if (!device.rollback_available || !target) {
      throw new RollcallError(
        'CONFLICT',
        `device ${deviceId} has no version to roll back to`,
        { deviceId },
      );
    }

    await client.query(
      `UPDATE deployment_devices dd SET state = 'aborted', finished_at = $2,
              error = 'rolled back by operator'
       FROM deployments d
       WHERE d.id = dd.deployment_id AND dd.device_id = $1
         AND dd.state = 'assigned' AND d.state IN ('running', 'paused')`,
      [deviceId, now],
    );
    const open = await client.query<{ id: string }>(
      `SELECT id FROM catch_up_queue
       WHERE device_id = $1 AND status IN ('pending', 'delivering')`,
      [deviceId],
    );
    await closeEntries(
      client,
      deps.events,
      open.rows.map((row) => ({ id: row.id, deviceId })),
      'cancelled',
      'device rolled back by operator',
      now,
    );
    await setDesiredVersion(client, [deviceId], target);
    await appendLog(client, now, [
      {
        deploymentId: null,
        deviceId,
        action: 'rollback-requested',
        message: `${deviceId} rollback to ${target} requested by ${actor}`,
      },
    ]);
    return { deviceId, fromVersion: device.current_version, toVersion: target };
  });
}

/**
 * Records finished rollbacks among heartbeats no deployment claimed: the
 * device reports the version it was told to roll back to.
 */
export async function completeRollbacks(
  deps: DeploymentDeps,
  client: Queryable,
  heartbeats: readonly AppliedHeartbeat[],
): Promise<void> {
  const reporting = heartbeats.filter(
    (heartbeat) =>
      heartbeat.appVersion && heartbeat.reportedStatus !== 'failed',
  );
  if (reporting.length === 0) return;

  const { rows } = await client.query<{
    id: string;
    current_version: string | null;
    rollback_version: string;
  }>(
    `SELECT d.id, d.current_version, d.rollback_version
     FROM devices d JOIN device_status s ON s.device_id = d.id
     WHERE d.id = ANY($1::text[]) AND d.rollback_version IS NOT NULL
       AND s.desired_version = d.rollback_version`,
    [reporting.map((heartbeat) => heartbeat.deviceId)],
  );
  for (const row of rows) {
    const heartbeat = reporting.find((each) => each.deviceId === row.id);
    if (!heartbeat || heartbeat.appVersion !== row.rollback_version) continue;

    await recordInstalled(client, deps.events, {
      deviceId: row.id,
      version: row.rollback_version,
      fromVersion:
        row.current_version !== row.rollback_version
          ? row.current_version
          : null,
      at: heartbeat.receivedAt,
      isRollback: true,
    });
    await appendLog(client, deps.clock.now(), [
      {
        deploymentId: null,
        deviceId: row.id,
        action: 'rolled-back',
        message: `${row.id} rolled back to ${row.rollback_version}`,
      },
    ]);
  }
}
