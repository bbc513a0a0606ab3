import {
  deliveryTimeoutFailure,
  isDeliveryOverdue,
  type DeliveryTimeoutReport,
  type DeviceState,
} from '@rollcall/fleet';
import type {
  DeploymentDeps,
  Queryable,
} from '../deployments/deploymentRows.ts';
import { failAttempt } from './catchUpAttempts.ts';
import {
  ENTRY_COLUMNS,
  entryOf,
  type CatchUpEntry,
  type EntryRow,
} from './catchUpEntries.ts';

const UNKNOWN_DEVICE: DeliveryTimeoutReport = { state: null, version: null };

/**
 * Whether the entry's delivery has run out of time at `at`. An attempt
 * without a recorded start (an imported entry) counts from its queueing,
 * as the sweep's `coalesce` does.
 */
export function isDeliveryTimedOut(
  deps: DeploymentDeps,
  entry: CatchUpEntry,
  at: Date,
): boolean {
  return isDeliveryOverdue(
    entry.lastAttemptAt ?? entry.queuedAt,
    at,
    deps.catchUpDeliveryTimeoutMs,
  );
}

/**
 * Counts a delivery that ran out of time as a failed attempt, through the
 * same path as a reported failure (back to pending, or to investigation at
 * max attempts), saying what the device reports instead.
 */
export async function timeOutDelivery(
  deps: DeploymentDeps,
  client: Queryable,
  entry: CatchUpEntry,
  device: DeliveryTimeoutReport,
): Promise<void> {
  const failure = deliveryTimeoutFailure(
    deps.catchUpDeliveryTimeoutMs,
    entry.targetVersion,
    device,
  );
  deps.logger.info(
    {
      deviceId: entry.deviceId,
      entryId: entry.id,
      attempt: entry.attempts,
      cause: 'delivery-timeout',
    },
    'catch-up delivery timed out',
  );
  await failAttempt(deps, client, entry, failure);
}

async function reportsOf(
  client: Queryable,
  deviceIds: readonly string[],
): Promise<Map<string, DeliveryTimeoutReport>> {
  const { rows } = await client.query<{
    device_id: string;
    state: DeviceState;
    app_version: string | null;
  }>(
    `SELECT device_id, state, app_version FROM device_status
     WHERE device_id = ANY($1::text[])`,
    [deviceIds],
  );
  return new Map(
    rows.map((row) => [
      row.device_id,
      { state: row.state, version: row.app_version },
    ]),
  );
}

/**
 * Times out the deliveries of `deviceIds` (null: every device) whose
 * attempt started longer ago than the timeout; returns their entry ids.
 * An entry a heartbeat holds is skipped, not waited for: that heartbeat
 * settles it, and times it out itself when it is overdue
 * (`progressCatchUp`), so one timeout never counts twice.
 */
export async function sweepDeliveryTimeouts(
  deps: DeploymentDeps,
  client: Queryable,
  deviceIds: readonly string[] | null,
): Promise<string[]> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.catchUpDeliveryTimeoutMs);
  const { rows } = await client.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM catch_up_queue
     WHERE status = 'delivering'
       AND coalesce(last_attempt_at, queued_at) < $1
       AND ($2::text[] IS NULL OR device_id = ANY($2::text[]))
     ORDER BY device_id, queued_at
     FOR UPDATE SKIP LOCKED`,
    [cutoff, deviceIds],
  );
  if (rows.length === 0) return [];

  const entries = rows.map(entryOf);
  const reports = await reportsOf(
    client,
    entries.map((entry) => entry.deviceId),
  );
  for (const entry of entries) {
    const report = reports.get(entry.deviceId) ?? UNKNOWN_DEVICE;
    await timeOutDelivery(deps, client, entry, report);
  }
  return entries.map((entry) => entry.id);
}
