import type { FieldValue, QueryableDevice } from '@rollcall/tag-query';
import { FIELDS } from '@rollcall/tag-query';
import type pg from 'pg';
import {
  DEVICE_COLUMNS,
  DEVICE_FROM,
  toDeviceRecord,
  type DeviceRecord,
  type DeviceRow,
} from '../devices/deviceRecord.ts';

/** An event's device, loaded once and shared by every subscriber. */
export interface EventDevice {
  record: DeviceRecord;
  queryable: QueryableDevice;
}

// Catalogue paths whose value comes from QueryableDevice's own properties.
const OWN_PROPERTIES = new Set(['id', 'status.state', 'offline_for']);

/**
 * Loads a device as the GraphQL record and as the evaluator's view (three
 * indexed reads); null when the device no longer exists.
 */
export async function loadEventDevice(
  pool: pg.Pool,
  deviceId: string,
): Promise<EventDevice | null> {
  const [device, tags, groups] = await Promise.all([
    pool.query<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.id = $1`,
      [deviceId],
    ),
    pool.query<{ key: string; value: string }>(
      'SELECT key, value FROM device_tags WHERE device_id = $1',
      [deviceId],
    ),
    pool.query<{ name: string }>(
      `SELECT g.name FROM group_members gm JOIN groups g ON g.id = gm.group_id
       WHERE gm.device_id = $1 AND g.membership = 'static'`,
      [deviceId],
    ),
  ]);
  const row = device.rows[0];
  if (!row) return null;

  const columns = row as unknown as Record<string, unknown>;
  const fields: Record<string, FieldValue> = {};
  for (const field of FIELDS) {
    if (OWN_PROPERTIES.has(field.path)) continue;
    // Catalogue columns are `d.name` or `s.name`; DEVICE_COLUMNS selects
    // each under its bare name.
    const value = columns[field.column.slice(2)];
    fields[field.path] = (value ?? null) as FieldValue;
  }

  return {
    record: toDeviceRecord(row),
    queryable: {
      id: row.id,
      state: row.state,
      offlineTier: row.offline_tier,
      offlineSince: row.offline_since,
      tags: tags.rows,
      staticGroups: groups.rows.map((group) => group.name),
      fields,
    },
  };
}
