import { DEFAULT_TIER_CONFIG } from '@rollcall/fleet';
import { withTransaction } from '../db/transaction.ts';
import { formatTime } from '../deployments/deploymentLog.ts';
import type { DeploymentDeps } from '../deployments/deploymentRows.ts';
import { clearDesiredVersion } from '../deployments/registryVersions.ts';
import type { EventBus } from '../events/eventBus.ts';
import { closeEntries, moveToInvestigation } from './catchUpEntries.ts';
import { sweepDeliveryTimeouts } from './catchUpTimeouts.ts';

const MINUTE_MS = 60_000;

interface OpenRow {
  id: string;
  device_id: string;
  target_version: string;
  state: string | null;
  offline_since: Date | null;
}

/** What one sweep did. */
export interface TimelineSweep {
  investigated: string[];
  cancelled: string[];
  /** Deliveries past `catch_up.delivery_timeout_minutes`, now failed. */
  timedOut: string[];
}

/**
 * The spec's long-term offline timeline for queued entries: a device
 * offline for 7 days or more (the investigate tier, up to and past 30
 * days) has its entries moved to the investigation queue; a decommissioned
 * device has its entries closed. Then a delivery in flight for longer than
 * the delivery timeout counts as a failed attempt. `deviceIds` limits the
 * sweep (events); `isTierReached` says the offline sweeper put them in the
 * investigate tier.
 */
export async function sweepCatchUpTimeline(
  deps: DeploymentDeps,
  deviceIds: readonly string[] | null = null,
  isTierReached = false,
): Promise<TimelineSweep> {
  const now = deps.clock.now();
  // The sweeper's tier event is the authority when it comes (its ladder
  // may be configured); otherwise the default ladder's 7 days.
  const cutoff = isTierReached
    ? now
    : new Date(now.getTime() - DEFAULT_TIER_CONFIG.investigate * MINUTE_MS);
  return withTransaction(deps.pool, async (client) => {
    const { rows } = await client.query<OpenRow>(
      `SELECT q.id, q.device_id, q.target_version, s.state,
              coalesce(s.offline_since, s.last_heartbeat_at) AS offline_since
       FROM catch_up_queue q
       LEFT JOIN device_status s ON s.device_id = q.device_id
       WHERE q.status IN ('pending', 'delivering')
         AND ($2::text[] IS NULL OR q.device_id = ANY($2::text[]))
         AND (s.state = 'decommissioned'
              OR (s.state = 'offline' AND coalesce(s.offline_since,
                    s.last_heartbeat_at) <= $1))
       ORDER BY q.device_id, q.queued_at
       FOR UPDATE OF q`,
      [cutoff, deviceIds],
    );
    const gone = rows.filter((row) => row.state === 'decommissioned');
    const stale = rows.filter((row) => row.state === 'offline');
    for (const row of gone) {
      await clearDesiredVersion(client, [row.device_id], row.target_version);
    }
    await closeEntries(
      client,
      deps.events,
      gone.map((row) => ({ id: row.id, deviceId: row.device_id })),
      'cancelled',
      'device decommissioned',
      now,
    );
    for (const row of stale) {
      await moveToInvestigation(
        client,
        deps.events,
        [{ id: row.id, deviceId: row.device_id }],
        `device offline for 7 days or more (since ${formatTime(row.offline_since)})`,
        now,
      );
    }
    const timedOut = await sweepDeliveryTimeouts(deps, client, deviceIds);
    return {
      investigated: stale.map((row) => row.id),
      cancelled: gone.map((row) => row.id),
      timedOut,
    };
  });
}

/**
 * Sweeps a device's entries as soon as the registry says it was
 * decommissioned or reached the investigate tier; the worker's periodic
 * sweep catches whatever an event misses. Returns the unsubscribe.
 */
export function followTimelineEvents(
  deps: DeploymentDeps,
  events: EventBus,
): () => void {
  // Only moves into DECOMMISSIONED: the bus then skips reading the rows
  // of a sweep's thousands of moves to OFFLINE in this process.
  return events.subscribe(
    ['stateChanged', 'tierChanged'],
    (event) => {
      const due =
        (event.kind === 'stateChanged' && event.to === 'decommissioned') ||
        (event.kind === 'tierChanged' &&
          (event.to === 'investigate' || event.to === 'decommission_review'));
      if (!due || !('deviceId' in event)) return;

      const isTierReached = event.kind === 'tierChanged';
      sweepCatchUpTimeline(deps, [event.deviceId], isTierReached).catch(
        (error: unknown) => {
          deps.logger.error(
            { err: error, deviceId: event.deviceId },
            'catch-up timeline sweep failed',
          );
        },
      );
    },
    { stateChangedTo: ['decommissioned'] },
  );
}
