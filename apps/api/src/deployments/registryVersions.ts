import type pg from 'pg';
import type { EventBus } from '../events/eventBus.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A version a device was seen running after an install. */
export interface InstalledVersion {
  deviceId: string;
  version: string;
  /** What the device ran before the install, when known. */
  fromVersion: string | null;
  at: Date;
  /** A rollback leaves nothing older to roll back to. */
  isRollback?: boolean;
}

/** The other deployment slot; a device without one starts on blue. */
export function flipSlot(slot: string | null): string {
  return slot === 'blue' ? 'green' : 'blue';
}

/**
 * Writes the record's deployment fields after an install: current and
 * previous version, last deployed, slot (blue/green flip), rollback
 * version and availability; clears the desired version it satisfied.
 * `fromVersion` wins over the record's current version for "previous",
 * because the heartbeat path may already have copied the reported version
 * into the record.
 */
export async function recordInstalled(
  client: Queryable,
  events: EventBus,
  installed: InstalledVersion,
): Promise<void> {
  const { rows } = await client.query<{
    current_version: string | null;
    previous_version: string | null;
    deployment_slot: string | null;
  }>(
    `SELECT current_version, previous_version, deployment_slot
     FROM devices WHERE id = $1 FOR UPDATE`,
    [installed.deviceId],
  );
  const record = rows[0];
  if (!record) return;

  const { version, fromVersion } = installed;
  const previous =
    fromVersion !== null && fromVersion !== version
      ? fromVersion
      : record.current_version !== version
        ? record.current_version
        : record.previous_version;
  const rollback = installed.isRollback ? null : previous;
  await client.query(
    `UPDATE devices SET current_version = $2, previous_version = $3,
            last_deployed_at = $4, deployment_slot = $5,
            rollback_version = $6, rollback_available = $6::text IS NOT NULL,
            updated_at = $4
     WHERE id = $1`,
    [
      installed.deviceId,
      version,
      previous,
      installed.at,
      flipSlot(record.deployment_slot),
      rollback,
    ],
  );
  await clearDesiredVersion(client, [installed.deviceId], version);
  await events.publish(client, [
    {
      kind: 'deviceChanged',
      deviceId: installed.deviceId,
      change: 'deployment',
      at: installed.at.toISOString(),
    },
  ]);
}

/** Tells devices to run `version` in their next heartbeat answer. */
export async function setDesiredVersion(
  client: Queryable,
  deviceIds: readonly string[],
  version: string,
): Promise<void> {
  if (deviceIds.length === 0) return;

  await client.query(
    `UPDATE device_status SET desired_version = $2
     WHERE device_id = ANY($1::text[])`,
    [deviceIds, version],
  );
}

/**
 * Clears the desired version of devices, only where it is still
 * `version`, so that another deployment's instruction survives.
 */
export async function clearDesiredVersion(
  client: Queryable,
  deviceIds: readonly string[],
  version: string,
): Promise<void> {
  if (deviceIds.length === 0) return;

  await client.query(
    `UPDATE device_status SET desired_version = NULL
     WHERE device_id = ANY($1::text[]) AND desired_version = $2`,
    [deviceIds, version],
  );
}
