import type pg from 'pg';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Drops the stored deadline (due_at) of HEALTHY and DEGRADED devices, all
 * of them or `deviceIds`, after what it was computed from changed: a
 * device's heartbeat interval, or the configured interval or timeout. The
 * sweeper then computes each deadline afresh from the last heartbeat (or
 * the state entry) with the timeout in force, as for any unscheduled
 * device, and stores it again; a due_at computed with the old timeout
 * would time the device out early or late. Offline devices keep theirs:
 * it is their next escalation tier, which the interval does not change.
 * Returns how many devices were rescheduled.
 */
export async function rescheduleLiveness(
  client: Queryable,
  deviceIds: readonly string[] | 'all',
): Promise<number> {
  if (deviceIds !== 'all' && deviceIds.length === 0) return 0;
  const { rowCount } = await client.query(
    `UPDATE device_status SET due_at = NULL
     WHERE state IN ('healthy', 'degraded') AND due_at IS NOT NULL
       ${deviceIds === 'all' ? '' : 'AND device_id = ANY($1::text[])'}`,
    deviceIds === 'all' ? [] : [deviceIds],
  );
  return rowCount ?? 0;
}
