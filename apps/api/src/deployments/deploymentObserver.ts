import { withTransaction } from '../db/transaction.ts';
import { isUnavailable } from '../server/formatError.ts';
import type {
  AppliedHeartbeat,
  HeartbeatObserver,
} from '../liveness/heartbeatObserver.ts';
import { appendLog } from './deploymentLog.ts';
import type { DeploymentDeps, DeviceRow, Queryable } from './deploymentRows.ts';
import { advanceEach } from './deploymentRunner.ts';
import { clearDesiredVersion, recordInstalled } from './registryVersions.ts';
import { completeRollbacks } from './rollback.ts';

/** The newest applied heartbeat of each device in a batch. */
export function latestPerDevice(
  heartbeats: readonly AppliedHeartbeat[],
): AppliedHeartbeat[] {
  const latest = new Map<string, AppliedHeartbeat>();
  for (const heartbeat of heartbeats) {
    if (!heartbeat.applied) continue;
    const seen = latest.get(heartbeat.deviceId);
    if (!seen || seen.receivedAt <= heartbeat.receivedAt) {
      latest.set(heartbeat.deviceId, heartbeat);
    }
  }
  return [...latest.values()];
}

/** A failure a heartbeat reports, or null. */
export function reportedFailure(heartbeat: AppliedHeartbeat): string | null {
  if (heartbeat.reportedStatus === 'failed') return 'reported failed status';
  if (heartbeat.state === 'failed') return 'device state failed';

  return null;
}

async function settle(
  deps: DeploymentDeps,
  client: Queryable,
  part: DeviceRow,
  heartbeat: AppliedHeartbeat,
): Promise<boolean> {
  const failure = reportedFailure(heartbeat);
  const version = part.target_version;
  const id = part.device_id;
  const at = heartbeat.receivedAt;
  const line = (action: string, message: string) =>
    appendLog(client, deps.clock.now(), [
      { deploymentId: part.deployment_id, deviceId: id, action, message },
    ]);
  if (failure) {
    await client.query(
      `UPDATE deployment_devices SET state = 'quarantined', error = $3,
              finished_at = $4
       WHERE deployment_id = $1 AND device_id = $2`,
      [part.deployment_id, id, failure, at],
    );
    await clearDesiredVersion(client, [id], version);
    await line('quarantined', `${id} failed: ${failure}; quarantined`);
    return true;
  }
  if (heartbeat.appVersion !== version) return false;

  await client.query(
    `UPDATE deployment_devices SET state = 'succeeded', finished_at = $3
     WHERE deployment_id = $1 AND device_id = $2`,
    [part.deployment_id, id, at],
  );
  await recordInstalled(client, deps.events, {
    deviceId: id,
    version,
    fromVersion: part.from_version,
    at,
  });
  await line('succeeded', `${id} succeeded: runs ${version}`);
  return true;
}

/**
 * Settles devices that are installing a deployment's version: one that
 * reports the version succeeds (registry updated), one that reports
 * failure is quarantined. Then moves their deployments on, each apart
 * (`advanceEach`).
 */
/**
 * `settle` under a savepoint: a device whose part fails unexpectedly is
 * rolled back alone and logged, so that the batch's other devices still
 * settle; its next heartbeat tries again. An unreachable database ends
 * the whole batch, as every device would fail the same way.
 */
async function settleApart(
  deps: DeploymentDeps,
  client: Queryable,
  part: DeviceRow,
  heartbeat: AppliedHeartbeat,
): Promise<boolean> {
  await client.query('SAVEPOINT settle_device');
  try {
    const settled = await settle(deps, client, part, heartbeat);
    await client.query('RELEASE SAVEPOINT settle_device');
    return settled;
  } catch (error) {
    if (isUnavailable(error)) throw error;

    await client.query('ROLLBACK TO SAVEPOINT settle_device');
    deps.logger.error(
      {
        err: error,
        deviceId: part.device_id,
        deploymentId: part.deployment_id,
      },
      "could not settle a device's deployment; its next heartbeat retries it",
    );
    return false;
  }
}

export async function observeDeployments(
  deps: DeploymentDeps,
  heartbeats: readonly AppliedHeartbeat[],
): Promise<void> {
  const latest = latestPerDevice(heartbeats);
  if (latest.length === 0) return;

  const touched = await withTransaction(deps.pool, async (client) => {
    const { rows } = await client.query<DeviceRow>(
      `SELECT dd.* FROM deployment_devices dd
       JOIN deployments d ON d.id = dd.deployment_id
       WHERE dd.device_id = ANY($1::text[]) AND dd.state = 'assigned'
         AND d.state IN ('running', 'paused')
       FOR UPDATE OF dd`,
      [latest.map((heartbeat) => heartbeat.deviceId)],
    );
    const byDevice = new Map(rows.map((row) => [row.device_id, row]));
    const deployments = new Set<string>();
    const unclaimed: AppliedHeartbeat[] = [];
    for (const heartbeat of latest) {
      const part = byDevice.get(heartbeat.deviceId);
      if (!part) {
        unclaimed.push(heartbeat);
      } else if (await settleApart(deps, client, part, heartbeat)) {
        deployments.add(part.deployment_id);
      }
    }
    await completeRollbacks(deps, client, unclaimed);
    return deployments;
  });
  // As the worker does: a deployment that fails is logged and left for
  // the worker's next pass, and the others still move on; the heartbeats
  // are acknowledged either way.
  await advanceEach(deps, touched, 'heartbeats');
}

/** The deployments observer, registered with the liveness service. */
export function createDeploymentObserver(
  deps: DeploymentDeps,
): HeartbeatObserver {
  return {
    name: 'deployments',
    afterHeartbeats: (heartbeats) => observeDeployments(deps, heartbeats),
  };
}
