import {
  canDeliverCatchUp,
  nextAttemptDecision,
  planCatchUp,
  type DeviceState,
} from '@rollcall/fleet';
import { appendLog } from '../deployments/deploymentLog.ts';
import type {
  DeploymentDeps,
  Queryable,
} from '../deployments/deploymentRows.ts';
import {
  clearDesiredVersion,
  recordInstalled,
  setDesiredVersion,
} from '../deployments/registryVersions.ts';
import {
  announce,
  closeEntries,
  ENTRY_COLUMNS,
  entryOf,
  moveToInvestigation,
  type CatchUpEntry,
  type EntryRow,
} from './catchUpEntries.ts';

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

function logFor(deps: DeploymentDeps, client: Queryable, entry: CatchUpEntry) {
  return (action: string, message: string) =>
    appendLog(client, deps.clock.now(), [
      {
        deploymentId: entry.deploymentId,
        deviceId: entry.deviceId,
        action,
        message,
      },
    ]);
}

/**
 * Counts a failed attempt: back to pending while attempts remain, else
 * to the investigation queue.
 */
export async function failAttempt(
  deps: DeploymentDeps,
  client: Queryable,
  entry: CatchUpEntry,
  failure: string,
): Promise<void> {
  const now = deps.clock.now();
  await clearDesiredVersion(client, [entry.deviceId], entry.targetVersion);
  await client.query(
    `UPDATE catch_up_queue SET status = 'pending', last_failure = $2
     WHERE id = $1`,
    [entry.id, failure],
  );
  const decision = nextAttemptDecision(entry.attempts, entry.maxAttempts);
  const log = logFor(deps, client, entry);
  if (decision.action === 'investigate') {
    const reason = `${decision.reason}; last failure: ${failure}`;
    await moveToInvestigation(client, deps.events, [entry], reason, now);
    await log(
      'catch-up-investigation',
      `${entry.deviceId} catch-up to investigation: ${reason}`,
    );
    return;
  }

  await announce(client, deps.events, [entry], now);
  await log(
    'catch-up-failed',
    `${entry.deviceId} catch-up attempt ${entry.attempts} failed: ${failure}`,
  );
}

/** Records an attempt that could not even start (device not healthy). */
export async function attemptUnavailable(
  deps: DeploymentDeps,
  client: Queryable,
  entry: CatchUpEntry,
  failure: string,
): Promise<void> {
  const now = deps.clock.now();
  const attempts = entry.attempts + 1;
  await client.query(
    `UPDATE catch_up_queue SET attempts = $2, last_attempt_at = $3
     WHERE id = $1`,
    [entry.id, attempts, now],
  );
  await failAttempt(
    deps,
    client,
    { ...entry, attempts, lastAttemptAt: now },
    failure,
  );
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
 * Moves a device's catch-up on: checks a delivery in flight (the health
 * check after install: the device reports the version and is healthy),
 * or, for a healthy device with nothing in flight, delivers only the
 * latest pending entry, closing older ones as superseded and closing
 * without a redeploy when the device already runs the version.
 */
export async function progressCatchUp(
  deps: DeploymentDeps,
  client: Queryable,
  device: DeviceNow,
  at: Date,
): Promise<void> {
  const now = deps.clock.now();
  const entries = await openEntries(client, device.deviceId);
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
  if (delivering) {
    if (device.failure) {
      await failAttempt(deps, client, delivering, device.failure);
    } else if (
      device.version === delivering.targetVersion &&
      device.state === 'healthy'
    ) {
      await complete(
        deps,
        client,
        delivering,
        `installed ${device.version}; healthy`,
        at,
      );
    }
    return;
  }
  if (!canDeliverCatchUp(device.state) || device.failure) return;
  if (await hasActiveAssignment(client, device.deviceId)) return;

  const plan = planCatchUp(entries, device.version);
  for (const closure of plan.close) {
    if (closure.status === 'completed') {
      await complete(deps, client, closure.entry, closure.reason, null);
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
