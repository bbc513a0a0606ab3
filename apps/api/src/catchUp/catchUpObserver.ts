import { withTransaction } from '../db/transaction.ts';
import { isUnavailable } from '../server/formatError.ts';
import {
  latestPerDevice,
  reportedFailure,
} from '../deployments/deploymentObserver.ts';
import type { DeploymentDeps } from '../deployments/deploymentRows.ts';
import type {
  AppliedHeartbeat,
  HeartbeatObserver,
} from '../liveness/heartbeatObserver.ts';
import { progressCatchUp } from './catchUpDelivery.ts';

/**
 * Moves the catch-up of every device in the batch that has open entries:
 * a device back online gets its latest queued version once healthy; a
 * delivery in flight completes or fails on the device's report, or fails
 * once past the delivery timeout.
 */
export async function observeCatchUp(
  deps: DeploymentDeps,
  heartbeats: readonly AppliedHeartbeat[],
): Promise<void> {
  const latest = latestPerDevice(heartbeats);
  if (latest.length === 0) return;

  const { rows } = await deps.pool.query<{ device_id: string }>(
    `SELECT DISTINCT device_id FROM catch_up_queue
     WHERE device_id = ANY($1::text[]) AND status IN ('pending', 'delivering')`,
    [latest.map((heartbeat) => heartbeat.deviceId)],
  );
  const queued = new Set(rows.map((row) => row.device_id));
  for (const heartbeat of latest) {
    if (!queued.has(heartbeat.deviceId)) continue;

    // Each device apart, as the deployment worker advances deployments:
    // one device's failure must not hold back the rest of the batch
    // until their next heartbeats.
    try {
      await withTransaction(deps.pool, (client) =>
        progressCatchUp(
          deps,
          client,
          {
            deviceId: heartbeat.deviceId,
            state: heartbeat.state,
            version: heartbeat.appVersion,
            failure: reportedFailure(heartbeat),
          },
          heartbeat.receivedAt,
        ),
      );
    } catch (error) {
      if (isUnavailable(error)) throw error;

      // Rolled back: the entry is as before, and the device's next
      // heartbeat tries again.
      deps.logger.error(
        { err: error, deviceId: heartbeat.deviceId },
        "could not move a device's catch-up; its next heartbeat retries it",
      );
    }
  }
}

/** The catch-up observer; register it after the deployments observer. */
export function createCatchUpObserver(deps: DeploymentDeps): HeartbeatObserver {
  return {
    name: 'catch-up',
    afterHeartbeats: (heartbeats) => observeCatchUp(deps, heartbeats),
  };
}
