import {
  canDeliverCatchUp,
  planCatchUp,
  type DeviceState,
} from '@rollcall/fleet';
import type {
  DeploymentDeps,
  Queryable,
} from '../deployments/deploymentRows.ts';
import {
  recordInstalled,
  setDesiredVersion,
} from '../deployments/registryVersions.ts';
import { failAttempt, logFor } from './catchUpAttempts.ts';
import {
  announce,
  closeEntries,
  ENTRY_COLUMNS,
  entryOf,
  type CatchUpEntry,
  type EntryRow,
} from './catchUpEntries.ts';
import { isDeliveryTimedOut, timeOutDelivery } from './catchUpTimeouts.ts';

/** What delivery knows of the device right now. */
export interface DeviceNow {
  deviceId: string;
  state: DeviceState;
  /** The version the device reports running. */
  version: string | null;
  /** Whether it reported failure in this heartbeat. */
  failure: string | null;
}

/** The device's open entries, locked for this transaction. */
export async function openEntries(
  client: Queryable,
  deviceId: string,
): Promise<CatchUpEntry[]> {
  const { rows } = await client.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM catch_up_queue
     WHERE device_id = $1 AND status IN ('pending', 'delivering')
     ORDER BY queued_at, id FOR UPDATE`,
    [deviceId],
  );
  return rows.map(entryOf);
}

async function hasActiveAssignment(client: Queryable, deviceId: string) {
  const { rowCount } = await client.query(
    `SELECT 1 FROM deployment_devices dd JOIN deployments d
       ON d.id = dd.deployment_id
     WHERE dd.device_id = $1 AND dd.state = 'assigned'
       AND d.state IN ('running', 'paused')`,
    [deviceId],
  );
  return (rowCount ?? 0) > 0;
}

async function complete(
  deps: DeploymentDeps,
  client: Queryable,
  entry: CatchUpEntry,
  reason: string,
  installedAt: Date | null,
): Promise<void> {
  // Without an install (the device already ran it) nothing flips.
  if (installedAt) {
    await recordInstalled(client, deps.events, {
      deviceId: entry.deviceId,
      version: entry.targetVersion,
      fromVersion: null,
      at: installedAt,
    });
  }
  await closeEntries(
    client,
    deps.events,
    [entry],
    'completed',
    reason,
    deps.clock.now(),
  );
  await logFor(
    deps,
    client,
    entry,
  )('catch-up-completed', `${entry.deviceId} caught up: ${reason}`);
}

/**
 * Whether a device handed `entry` before (its attempt timed out) now runs
 * the version while the record still names another: the install finished
 * late and is recorded like any other.
 */
async function isUnrecordedInstall(
  client: Queryable,
  entry: CatchUpEntry,
): Promise<boolean> {
  if (entry.attempts === 0) return false;

  const { rows } = await client.query<{ current_version: string | null }>(
    'SELECT current_version FROM devices WHERE id = $1',
    [entry.deviceId],
  );
  const record = rows[0];
  return record !== undefined && record.current_version !== entry.targetVersion;
}

/**
 * The health check after install: the delivery completes once the device
 * reports the version and is healthy, and fails on a reported failure.
 */
async function checkDelivery(
  deps: DeploymentDeps,
  client: Queryable,
  entry: CatchUpEntry,
  device: DeviceNow,
  at: Date,
): Promise<void> {
  if (device.failure) {
    await failAttempt(deps, client, entry, device.failure);
    return;
  }
  if (device.version !== entry.targetVersion) return;
  if (device.state !== 'healthy') return;

  const reason = `installed ${device.version}; healthy`;
  await complete(deps, client, entry, reason, at);
}

function reportsHealthyInstall(device: DeviceNow, entry: CatchUpEntry) {
  return (
    !device.failure &&
    device.state === 'healthy' &&
    device.version === entry.targetVersion
  );
}

/**
 * Moves a device's catch-up on: checks a delivery in flight, or, for a
 * healthy device with nothing in flight, delivers only the latest pending
 * entry, closing older ones as superseded and closing without a redeploy
 * when the device already runs the version. A delivery in flight for
 * longer than the timeout at `at` that the device does not report
 * installed and healthy fails as the worker's sweep would fail it, and the
 * heartbeat goes on as the first one after that sweep.
 */
export async function progressCatchUp(
  deps: DeploymentDeps,
  client: Queryable,
  device: DeviceNow,
  at: Date,
): Promise<void> {
  const now = deps.clock.now();
  let entries = await openEntries(client, device.deviceId);
  if (entries.length === 0) return;

  if (device.state === 'decommissioned') {
    await closeEntries(
      client,
      deps.events,
      entries,
      'cancelled',
      'device decommissioned',
      now,
    );
    return;
  }
  const delivering = entries.find((entry) => entry.status === 'delivering');
  if (
    delivering &&
    (!isDeliveryTimedOut(deps, delivering, at) ||
      reportsHealthyInstall(device, delivering))
  ) {
    await checkDelivery(deps, client, delivering, device, at);
    return;
  }
  if (delivering) {
    // Past the deadline and not installed: the same failed attempt the
    // sweep records. A healthy install reported late is still a success:
    // the device's word is newer than the deadline, which the sweep,
    // hearing nothing, could only judge by the clock.
    await timeOutDelivery(deps, client, delivering, device);
    entries = await openEntries(client, device.deviceId);
  }
  if (!canDeliverCatchUp(device.state) || device.failure) return;
  if (await hasActiveAssignment(client, device.deviceId)) return;

  const plan = planCatchUp(entries, device.version);
  for (const closure of plan.close) {
    if (closure.status === 'completed') {
      const isInstall = await isUnrecordedInstall(client, closure.entry);
      const installedAt = isInstall ? at : null;
      await complete(deps, client, closure.entry, closure.reason, installedAt);
      continue;
    }
    await closeEntries(
      client,
      deps.events,
      [closure.entry],
      'superseded',
      closure.reason,
      now,
    );
    await logFor(
      deps,
      client,
      closure.entry,
    )(
      'catch-up-superseded',
      `${device.deviceId} catch-up to ${closure.entry.targetVersion} closed: ${closure.reason}`,
    );
  }
  const entry = plan.deliver;
  if (!entry) return;

  await client.query(
    `UPDATE catch_up_queue SET status = 'delivering', attempts = attempts + 1,
            last_attempt_at = $2
     WHERE id = $1`,
    [entry.id, now],
  );
  await setDesiredVersion(client, [device.deviceId], entry.targetVersion);
  await announce(client, deps.events, [entry], now);
  await logFor(
    deps,
    client,
    entry,
  )(
    'catch-up-delivering',
    `${device.deviceId} catch-up: delivering ${entry.targetVersion} (attempt ${entry.attempts + 1} of ${entry.maxAttempts})`,
  );
}
