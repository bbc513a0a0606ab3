import { capabilityTags, type HardwareInfo } from '@rollcall/fleet';
import type pg from 'pg';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A devices row (snake_case columns) as its hardware facts. */
export type DeviceRow = Record<string, unknown>;

function hardwareOf(row: DeviceRow): HardwareInfo {
  return {
    type: row.hardware_type as string,
    gpu: row.gpu as string | null,
    hasGpu: row.has_gpu as boolean,
    ramMb: row.ram_mb as number | null,
    storageType: row.storage_type as string | null,
    cameras: row.cameras as string[] | null,
    sensors: row.sensors as string[] | null,
  };
}

/** The capability tags a hardware change removes and adds. */
export interface CapabilityTagChange {
  removed: string[];
  added: string[];
}

/**
 * Re-derives a device's capability tags after a hardware change (an
 * update, or facts registry sync took from the device's inventory): tags
 * the old hardware implied and the new one does not are removed, and the
 * new ones added. Tags an operator set by hand are left alone, unless
 * they are exactly what the old hardware implied. Does not check the tag
 * limit: the caller decides what exceeding it means.
 */
export async function refreshCapabilityTags(
  client: Queryable,
  deviceId: string,
  before: DeviceRow,
  after: DeviceRow,
  at: Date,
): Promise<CapabilityTagChange> {
  const old = new Set(capabilityTags(hardwareOf(before)));
  const next = new Set(capabilityTags(hardwareOf(after)));
  const removed = [...old].filter((tag) => !next.has(tag));
  const added = [...next].filter((tag) => !old.has(tag));
  if (removed.length > 0) {
    await client.query(
      `DELETE FROM device_tags
       WHERE device_id = $1 AND key = ANY($2) AND value = ''`,
      [deviceId, removed],
    );
  }
  if (added.length > 0) {
    await client.query(
      `INSERT INTO device_tags (device_id, key, value, created_at)
       SELECT $1, unnest($2::text[]), '', $3 ON CONFLICT DO NOTHING`,
      [deviceId, added, at],
    );
  }
  return { removed, added };
}
