import type pg from 'pg';

type Queryable = Pick<pg.PoolClient, 'query'>;

// Every time column the import writes, by table.
const TIME_COLUMNS: Record<string, string[]> = {
  devices: [
    'registered_at',
    'updated_at',
    'last_deployed_at',
    'decommissioned_at',
  ],
  device_status: [
    'state_since',
    'last_heartbeat_at',
    'due_at',
    'offline_since',
    'tier_since',
  ],
  device_tags: ['created_at'],
  groups: ['created_at', 'updated_at'],
  group_members: ['added_at'],
  state_transitions: ['at'],
  deployments: ['created_at', 'started_at', 'finished_at'],
  deployment_waves: ['started_at', 'soak_until', 'approved_at', 'completed_at'],
  deployment_devices: ['assigned_at', 'finished_at'],
  deployment_log: ['at'],
  catch_up_queue: ['queued_at', 'last_attempt_at', 'closed_at'],
};

/**
 * Moves every imported time forward by `shiftMs`, so that the demo fleet,
 * written as of its reference time, reads as of now: its newest heartbeat
 * is a few seconds old, a device offline for 3 hours in the files is
 * offline for 3 hours now, the deployment ran this afternoon. Devices'
 * clocks in heartbeat payloads are the simulator's; this touches only the
 * registry.
 */
export async function rebaseDemoTimes(
  client: Queryable,
  shiftMs: number,
): Promise<void> {
  for (const [table, columns] of Object.entries(TIME_COLUMNS)) {
    const sets = columns
      .map((column) => `${column} = ${column} + $1::interval`)
      .join(', ');
    await client.query(`UPDATE ${table} SET ${sets}`, [
      `${Math.round(shiftMs)} milliseconds`,
    ]);
  }
}
