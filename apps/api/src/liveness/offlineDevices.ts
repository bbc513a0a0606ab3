import type { OfflineTier } from '@rollcall/fleet';
import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import {
  DEVICE_COLUMNS,
  DEVICE_FROM,
  toDeviceRecord,
  type DeviceRecord,
  type DeviceRow,
} from '../devices/deviceRecord.ts';
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from '../devices/pagination.ts';
import { RollcallError } from '../errors.ts';

const CURSOR_KIND = 'offline-device';

/** Arguments of `offlineDevices(...)`. */
export interface OfflineDevicesArgs {
  tier?: OfflineTier | null;
  first?: number | null;
  after?: string | null;
}

interface OfflineKey {
  offlineSince: Date;
  id: string;
}

// The key is `<offline_since ISO>|<id>`: an ISO time holds no `|`, so the
// first one splits it even when a device id contains one.
function decodeKey(cursor: string): OfflineKey {
  const key = decodeCursor(CURSOR_KIND, cursor);
  const split = key.indexOf('|');
  const offlineSince = new Date(key.slice(0, split));
  if (split < 1 || split === key.length - 1 || isNaN(offlineSince.getTime())) {
    throw new RollcallError('BAD_USER_INPUT', 'The cursor is not valid here', {
      argument: 'after',
    });
  }

  return { offlineSince, id: key.slice(split + 1) };
}

function encodeKey(row: DeviceRow): string {
  // offline_since is never null here: the WHERE clause requires it.
  return encodeCursor(
    CURSOR_KIND,
    `${row.offline_since!.toISOString()}|${row.id}`,
  );
}

/**
 * One page of offline devices, the longest silent first: ordered by
 * (offline_since, id) and paged by that keyset, so a tier longer than one
 * page stays oldest first across pages. `tier` keeps one escalation tier;
 * without it every offline device is listed, tiered or not yet.
 * Counting (`totalCount`) runs only when a client selects it.
 */
export async function listOfflineDevices(
  pool: pg.Pool,
  config: RollcallConfig,
  args: OfflineDevicesArgs,
): Promise<Connection<DeviceRecord>> {
  const size = pageSize(args.first, config);
  const after = args.after ? decodeKey(args.after) : null;

  const values: unknown[] = [];
  let condition = "s.state = 'offline' AND s.offline_since IS NOT NULL";
  if (args.tier != null) {
    values.push(args.tier);
    condition += ` AND s.offline_tier = $${values.length}::offline_tier`;
  }

  const pageValues = [...values];
  let keyset = '';
  if (after !== null) {
    pageValues.push(after.offlineSince, after.id);
    keyset =
      ` AND (s.offline_since, s.device_id) >` +
      ` ($${pageValues.length - 1}::timestamptz, $${pageValues.length})`;
  }
  pageValues.push(size + 1);

  const page = await pool.query<DeviceRow>(
    `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM}
     WHERE ${condition}${keyset}
     ORDER BY s.offline_since, s.device_id LIMIT $${pageValues.length}`,
    pageValues,
  );
  let count: Promise<number> | null = null;
  const totalCount = () =>
    (count ??= pool
      .query<{ count: number }>(
        `SELECT count(*)::int AS count FROM device_status s WHERE ${condition}`,
        values,
      )
      .then((result) => result.rows[0]?.count ?? 0));

  return toConnection(page.rows, size, totalCount, encodeKey, toDeviceRecord);
}
