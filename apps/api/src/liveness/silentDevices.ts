import { timeoutMsFor, type HeartbeatTiming } from '@rollcall/fleet';
import type pg from 'pg';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Marks FAILED, MAINTENANCE and PROVISIONING devices that stopped
 * heartbeating as connectivity offline; returns their ids in id order.
 * Those states never time out into OFFLINE (a failed device stays failed
 * until repaired; maintenance and activation are the operator's), yet an operator must still see that the
 * device went silent. Their due_at, set by their last heartbeat with the
 * device's own timeout, is when; it is cleared so that each silent device
 * is looked at once, and the device's next heartbeat sets both again.
 * Rows a heartbeat holds are skipped, never waited for: that heartbeat
 * moves due_at anyway. During a restart grace nothing is marked before
 * one configured timeout after the grace began, as timeouts are not.
 */
export async function markSilent(
  client: Queryable,
  now: Date,
  graceStart: Date | null,
  timing: HeartbeatTiming,
): Promise<string[]> {
  const graceEnd = graceStart
    ? graceStart.getTime() + timeoutMsFor(timing.intervalSeconds, timing)
    : null;
  if (graceEnd !== null && now.getTime() <= graceEnd) return [];

  // Only the devices that were online changed; one already offline only
  // loses a due_at that would bring it back to every sweep.
  const { rows } = await client.query<{ device_id: string; was: string }>(
    `WITH silent AS (
       SELECT device_id, connectivity FROM device_status
       WHERE due_at < $1 AND state IN ('failed', 'maintenance', 'provisioning')
       FOR UPDATE SKIP LOCKED
     )
     UPDATE device_status s SET connectivity = 'offline', due_at = NULL
     FROM silent
     WHERE s.device_id = silent.device_id
     RETURNING s.device_id, silent.connectivity AS was`,
    [now],
  );
  return rows
    .filter((row) => row.was !== 'offline')
    .map((row) => row.device_id)
    .sort();
}
