import { enqueueCatchUp, supersedeEntries } from '../catchUp/catchUpEntries.ts';
import {
  appendLog,
  skippedOfflineMessage,
  type LogLine,
} from './deploymentLog.ts';
import type {
  DeploymentDeps,
  DeploymentRow,
  Queryable,
  WaveRow,
} from './deploymentRows.ts';
import { setDesiredVersion } from './registryVersions.ts';
import {
  canaryPicks,
  classify,
  resolveTargeting,
  waveDeviceIds,
} from './targeting.ts';

async function assignedIds(
  client: Queryable,
  deploymentId: string,
): Promise<Set<string>> {
  const { rows } = await client.query<{ device_id: string }>(
    'SELECT device_id FROM deployment_devices WHERE deployment_id = $1',
    [deploymentId],
  );
  return new Set(rows.map((row) => row.device_id));
}

/** Devices busy with another active deployment, with its id. */
async function busyDevices(
  client: Queryable,
  deploymentId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const { rows } = await client.query<{ device_id: string; id: string }>(
    `SELECT dd.device_id, d.id FROM deployment_devices dd
     JOIN deployments d ON d.id = dd.deployment_id
     WHERE dd.device_id = ANY($1::text[]) AND dd.state = 'assigned'
       AND d.id <> $2 AND d.state IN ('running', 'paused')`,
    [ids, deploymentId],
  );
  return new Map(rows.map((row) => [row.device_id, row.id]));
}

interface DevicePart {
  deviceId: string;
  state: 'assigned' | 'succeeded' | 'skipped';
  fromVersion: string | null;
  error: string | null;
}

/**
 * Starts a wave: resolves its membership again, now (groups may have
 * changed since planning), gives eligible devices the target version,
 * skips offline ones (the spec's log line, a catch-up entry) and logs why
 * any other device is left out.
 */
export async function startWave(
  deps: DeploymentDeps,
  client: Queryable,
  deployment: DeploymentRow,
  wave: WaveRow,
): Promise<void> {
  const now = deps.clock.now();
  const manifest = deployment.manifest;
  const version = deployment.target_version;
  const targeting = await resolveTargeting(deps.pool, deps.groups, manifest);
  const assigned = await assignedIds(client, deployment.id);
  const spec = manifest.waves[wave.index - (manifest.canary ? 1 : 0)];
  const ids = wave.is_canary
    ? canaryPicks(targeting, manifest)
        .picks.map((device) => device.id)
        .filter((id) => !assigned.has(id))
    : spec
      ? waveDeviceIds(targeting, manifest, spec, assigned)
      : [];
  const busy = await busyDevices(client, deployment.id, ids);

  const parts: DevicePart[] = [];
  const log: LogLine[] = [];
  const line = (deviceId: string, action: string, message: string) =>
    log.push({ deploymentId: deployment.id, deviceId, action, message });
  for (const id of ids) {
    const outcome = classify(targeting, id);
    const other = busy.get(id);
    if (outcome.kind === 'excluded') {
      line(id, 'excluded', `${id} skipped: ${outcome.reason}`);
    } else if (other) {
      line(id, 'excluded', `${id} skipped: in deployment ${other}`);
    } else if (outcome.kind === 'offline') {
      const { device } = outcome;
      parts.push({
        deviceId: id,
        state: 'skipped',
        fromVersion: device.runningVersion,
        error: 'offline',
      });
      line(id, 'skipped', skippedOfflineMessage(id, device.lastHeartbeatAt));
      await enqueueCatchUp(client, deps.events, {
        deviceId: id,
        targetVersion: version,
        deploymentId: deployment.id,
        priority: device.priority,
        at: now,
      });
    } else if (outcome.device.runningVersion === version) {
      parts.push({
        deviceId: id,
        state: 'succeeded',
        fromVersion: version,
        error: null,
      });
      line(id, 'succeeded', `${id} already runs ${version}`);
    } else {
      const from = outcome.device.runningVersion;
      parts.push({
        deviceId: id,
        state: 'assigned',
        fromVersion: from,
        error: null,
      });
      line(
        id,
        'assigned',
        `${id} assigned ${version} (from ${from ?? 'unknown'})`,
      );
      await supersedeEntries(client, deps.events, {
        deviceId: id,
        version,
        deploymentId: deployment.id,
        at: now,
      });
    }
  }

  await client.query(
    `INSERT INTO deployment_devices (deployment_id, device_id, wave_index,
       state, target_version, from_version, assigned_at, finished_at, error)
     SELECT $1, d, $2, st, $3, f, $4,
            CASE WHEN st = 'assigned' THEN NULL ELSE $4::timestamptz END, e
     FROM unnest($5::text[], $6::text[], $7::text[], $8::text[])
       AS t(d, st, f, e)`,
    [
      deployment.id,
      wave.index,
      version,
      now,
      parts.map((part) => part.deviceId),
      parts.map((part) => part.state),
      parts.map((part) => part.fromVersion),
      parts.map((part) => part.error),
    ],
  );
  const toInstall = parts.filter((part) => part.state === 'assigned');
  await setDesiredVersion(
    client,
    toInstall.map((part) => part.deviceId),
    version,
  );
  await client.query(
    `UPDATE deployment_waves SET state = 'running', started_at = $2
     WHERE id = $1`,
    [wave.id, now],
  );
  log.unshift({
    deploymentId: deployment.id,
    deviceId: null,
    action: 'wave-started',
    message: `wave ${wave.index} "${wave.name}" started: ${toInstall.length} assigned, ${parts.filter((p) => p.state === 'skipped').length} skipped offline`,
  });
  await appendLog(client, now, log);
}
