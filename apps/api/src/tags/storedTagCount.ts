import type pg from 'pg';
import { STATUS_TAG_KEYS } from '@rollcall/fleet';
import { assertTagCount, tagLimitFor } from './tagInput.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** How many tags a device holds, and its status tags among them. */
export interface StoredTagCount {
  deviceId: string;
  count: number;
  statusTags: string[];
}

/**
 * The stored tag count of the device of `ids` furthest past the tag
 * limit (counting no status tag), ties by id; null for no tags at all.
 */
async function fullestDevice(
  client: Queryable,
  ids: readonly string[],
): Promise<StoredTagCount | null> {
  if (ids.length === 0) return null;

  const { rows } = await client.query<{
    device_id: string;
    n: number;
    status_tags: string[];
  }>(
    `SELECT device_id, count(*)::int AS n,
            coalesce(array_agg(DISTINCT key)
                       FILTER (WHERE key = ANY($2::text[])), '{}')
              AS status_tags
     FROM device_tags WHERE device_id = ANY($1::text[])
     GROUP BY device_id
     ORDER BY count(*) FILTER (WHERE key <> ALL($2::text[])) DESC, device_id
     LIMIT 1`,
    [ids, STATUS_TAG_KEYS],
  );
  const row = rows[0];
  if (!row) return null;

  const held = new Set(row.status_tags);
  return {
    deviceId: row.device_id,
    count: row.n,
    statusTags: STATUS_TAG_KEYS.filter((key) => held.has(key)),
  };
}

/**
 * Refuses (BAD_USER_INPUT at `argument`, `assertTagCount`) when a device
 * of `ids` holds more tags than the limit allows it, as stored in the
 * caller's transaction: checked after a write, so that a refusal rolls
 * the write back.
 */
export async function assertStoredTagCounts(
  client: Queryable,
  ids: readonly string[],
  argument: string,
): Promise<void> {
  const fullest = await fullestDevice(client, ids);
  if (!fullest) return;

  assertTagCount(fullest.count, argument, fullest.deviceId, fullest.statusTags);
}

/** True when the device holds no more tags than the limit allows it. */
export async function isWithinTagLimit(
  client: Queryable,
  deviceId: string,
): Promise<boolean> {
  const stored = await fullestDevice(client, [deviceId]);
  return !stored || stored.count <= tagLimitFor(stored.statusTags);
}
