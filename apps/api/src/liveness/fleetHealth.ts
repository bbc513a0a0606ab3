import {
  DEVICE_STATES,
  OFFLINE_TIERS,
  isActiveFleet,
  type DeviceState,
  type OfflineTier,
} from '@rollcall/fleet';
import type pg from 'pg';
import { compileFilter } from '../devices/deviceQuery.ts';
import { RollcallError } from '../errors.ts';

/** Counts of the fleet, or of the devices a tag query selects. */
export interface FleetHealth {
  at: Date;
  /** Every device selected, decommissioned ones included. */
  total: number;
  /**
   * Devices in the active fleet: neither DECOMMISSIONED nor flagged for
   * decommission review (offline-extended).
   */
  activeFleetSize: number;
  /** Every state, zeros included, over all devices selected. */
  byState: Array<{ state: DeviceState; count: number }>;
  /** Every state over the active fleet only. */
  activeByState: Array<{ state: DeviceState; count: number }>;
  /** Every tier, zeros included, over OFFLINE devices. */
  byTier: Array<{ tier: OfflineTier; count: number }>;
}

/**
 * Fleet counts in one grouped query; `where` is a tag query (the same
 * language as `devices(where)`) restricting the devices counted.
 *
 * @throws TagQueryError for an invalid `where`.
 */
export async function fleetHealth(
  pool: pg.Pool,
  where: string | null,
  now: Date,
): Promise<FleetHealth> {
  const filter = where
    ? await compileFilter(pool, where, { now, paramOffset: 0 })
    : null;
  const { rows } = await pool.query<{
    state: DeviceState;
    offline_tier: OfflineTier | null;
    count: number;
  }>(
    `SELECT s.state, s.offline_tier, count(*)::int AS count
     FROM devices d JOIN device_status s ON s.device_id = d.id
     ${filter ? `WHERE ${filter.text}` : ''}
     GROUP BY s.state, s.offline_tier`,
    filter?.values ?? [],
  );

  const byState = new Map<DeviceState, number>();
  const activeByState = new Map<DeviceState, number>();
  const byTier = new Map<OfflineTier, number>();
  let total = 0;
  let active = 0;
  for (const row of rows) {
    total += row.count;
    byState.set(row.state, (byState.get(row.state) ?? 0) + row.count);
    if (isActiveFleet(row.state, row.offline_tier)) {
      active += row.count;
      activeByState.set(
        row.state,
        (activeByState.get(row.state) ?? 0) + row.count,
      );
    }
    if (row.offline_tier && row.state === 'offline') {
      byTier.set(
        row.offline_tier,
        (byTier.get(row.offline_tier) ?? 0) + row.count,
      );
    }
  }
  return {
    at: now,
    total,
    activeFleetSize: active,
    byState: DEVICE_STATES.map((state) => ({
      state,
      count: byState.get(state) ?? 0,
    })),
    activeByState: DEVICE_STATES.map((state) => ({
      state,
      count: activeByState.get(state) ?? 0,
    })),
    byTier: OFFLINE_TIERS.map((tier) => ({
      tier,
      count: byTier.get(tier) ?? 0,
    })),
  };
}

/** A point of the fleet's history: counts by state at `at`. */
export interface FleetHealthPoint {
  at: Date;
  counts: Array<{ state: DeviceState; count: number }>;
}

/** Most hours `fleetHealthHistory` looks back (30 days). */
export const MAX_HISTORY_HOURS = 24 * 30;

/**
 * Counts by state at regular points over the last `hours`, oldest first,
 * ending with now: 10-minute steps up to 24 hours, hourly beyond. Built
 * backwards from the current counts by undoing the recorded transitions
 * after each point (one grouped query over the indexed `at` column), so it
 * is exact as long as every state change is recorded, which Rollcall
 * guarantees; deleted devices leave no trace.
 */
export async function fleetHealthHistory(
  pool: pg.Pool,
  hours: number,
  now: Date,
): Promise<{ stepMinutes: number; points: FleetHealthPoint[] }> {
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_HISTORY_HOURS) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      `"hours" must be a whole number from 1 to ${MAX_HISTORY_HOURS}; got ${hours}`,
      { argument: 'hours', max: MAX_HISTORY_HOURS },
    );
  }
  const stepMinutes = hours <= 24 ? 10 : 60;
  const stepMs = stepMinutes * 60_000;
  const steps = Math.round((hours * 60) / stepMinutes);

  const current = await pool.query<{ state: DeviceState; count: number }>(
    'SELECT state, count(*)::int AS count FROM device_status GROUP BY state',
  );
  // Bucket k holds the transitions in (now - (k+1) step, now - k step].
  const changes = await pool.query<{
    bucket: number;
    from_state: DeviceState | null;
    to_state: DeviceState;
    count: number;
  }>(
    `SELECT floor(extract(epoch FROM ($1::timestamptz - at)) * 1000 / $3)::int
              AS bucket,
            from_state, to_state, count(*)::int AS count
     FROM state_transitions
     WHERE at > $2 AND at <= $1
     GROUP BY 1, 2, 3`,
    [now, new Date(now.getTime() - steps * stepMs), stepMs],
  );

  const counts = new Map<DeviceState, number>(DEVICE_STATES.map((s) => [s, 0]));
  for (const row of current.rows) counts.set(row.state, row.count);
  const byBucket = new Map<number, typeof changes.rows>();
  for (const row of changes.rows) {
    byBucket.set(row.bucket, [...(byBucket.get(row.bucket) ?? []), row]);
  }

  const points: FleetHealthPoint[] = [];
  for (let k = 0; k <= steps; k += 1) {
    points.push({
      at: new Date(now.getTime() - k * stepMs),
      counts: DEVICE_STATES.map((state) => ({
        state,
        count: counts.get(state) ?? 0,
      })),
    });
    for (const row of byBucket.get(k) ?? []) {
      counts.set(row.to_state, (counts.get(row.to_state) ?? 0) - row.count);
      if (row.from_state) {
        counts.set(
          row.from_state,
          (counts.get(row.from_state) ?? 0) + row.count,
        );
      }
    }
  }
  return { stepMinutes, points: points.reverse() };
}
