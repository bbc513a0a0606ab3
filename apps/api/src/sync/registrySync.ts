import type { DeviceState } from '@rollcall/fleet';
import type pg from 'pg';
import type { Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import { withTransaction } from '../db/transaction.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { RegistryEvent } from '../events/registryEvent.ts';
import type { Logger } from '../logger.ts';
import type { Discrepancy } from './inventoryFields.ts';
import { reconcileInventory } from './reconcileInventory.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A stored sync report. */
export interface SyncReport {
  id: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date | null;
  devicesSynced: number;
  discrepancies: Array<Omit<Discrepancy, 'column'>>;
  newlyOffline: string[];
  newlyOnline: string[];
}

export interface RegistrySync {
  /**
   * Runs the spec's daily protocol now: `scheduled` runs skip when a sync
   * ran within the period (several processes share one schedule), `manual`
   * ones always run. Returns the report, or null for a skipped run.
   */
  run(trigger: 'scheduled' | 'manual'): Promise<SyncReport | null>;
}

const LOCK = "hashtext('rollcall.registry-sync')";

/**
 * Registry sync over what devices reported in their heartbeats since the
 * previous sync (the "heartbeat query" of the spec is the heartbeat
 * stream itself): responders are the devices heard from in the period;
 * each reported field that differs from the record is updated with an
 * audit entry (unless the device's new capability tags would pass the
 * tag limit: see `reconcileInventory`); HEALTHY or DEGRADED devices not
 * heard from become OFFLINE (cause SYNC); devices that left OFFLINE in
 * the period are newly online.
 */
export function createRegistrySync(options: {
  pool: pg.Pool;
  events: EventBus;
  clock: Clock;
  config: RollcallConfig;
  logger: Logger;
}): RegistrySync {
  const { pool, events, clock, config, logger } = options;
  const periodMs = config.sync.interval_hours * 3_600_000;

  const markNonResponders = async (
    client: Queryable,
    since: Date,
    now: Date,
  ) => {
    const { rows } = await client.query<{
      device_id: string;
      from_state: DeviceState;
    }>(
      // A non-responder is silent since the last sync and past its own
      // heartbeat deadline too: a sync run minutes after the one before
      // must not take devices offline inside their timeout. The deadline
      // is due_at, which heartbeats set with the device's own interval
      // (one configured timeout after entering the state when unset).
      `WITH silent AS (
         SELECT device_id, state FROM device_status
         WHERE state IN ('healthy', 'degraded')
           AND (last_heartbeat_at IS NULL OR last_heartbeat_at < $1)
           AND coalesce(due_at,
                        state_since + $4::bigint * interval '1 millisecond') < $2
         FOR UPDATE SKIP LOCKED
       ), moved AS (
         UPDATE device_status s SET state = 'offline', last_known_state = silent.state,
           state_since = $2, offline_since = $2, connectivity = 'offline',
           offline_tier = NULL, tier_since = NULL,
           due_at = $2::timestamptz + $3::bigint * interval '1 millisecond'
         FROM silent WHERE s.device_id = silent.device_id
         RETURNING s.device_id, silent.state AS from_state
       ), recorded AS (
         INSERT INTO state_transitions (device_id, from_state, to_state, cause, actor, reason, at)
         SELECT device_id, from_state, 'offline', 'sync', 'sync', 'no heartbeat since the last sync', $2
         FROM moved
       )
       SELECT device_id, from_state FROM moved ORDER BY device_id`,
      [
        since,
        now,
        config.heartbeat.offline_warning_minutes * 60_000,
        config.heartbeat.timeout_seconds * 1000,
      ],
    );
    return rows;
  };

  return {
    async run(trigger) {
      const now = clock.now();
      const report = await withTransaction(pool, async (client) => {
        const locked = await client.query<{ ok: boolean }>(
          `SELECT pg_try_advisory_xact_lock(${LOCK}) AS ok`,
        );
        if (!locked.rows[0]?.ok) return null;

        const previous = await client.query<{ started_at: Date }>(
          'SELECT started_at FROM sync_reports ORDER BY started_at DESC LIMIT 1',
        );
        const last = previous.rows[0]?.started_at ?? null;
        if (
          trigger === 'scheduled' &&
          last &&
          now.getTime() - last.getTime() < periodMs * 0.9
        )
          return null;
        const since = last ?? new Date(now.getTime() - periodMs);

        const synced = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM device_status
           WHERE state <> 'decommissioned' AND last_heartbeat_at >= $1`,
          [since],
        );
        const { found, changedDevices } = await reconcileInventory(
          client,
          logger,
          since,
          now,
        );
        const offline = await markNonResponders(client, since, now);
        const online = await client.query<{ device_id: string }>(
          `SELECT DISTINCT device_id FROM state_transitions
           WHERE from_state = 'offline' AND at >= $1 AND at <= $2 ORDER BY device_id`,
          [since, now],
        );
        const at = now.toISOString();
        const published: RegistryEvent[] = [
          ...offline.map((o): RegistryEvent => ({
            kind: 'stateChanged',
            deviceId: o.device_id,
            from: o.from_state,
            to: 'offline',
            cause: 'sync',
            actor: 'sync',
            reason: 'no heartbeat since the last sync',
            at,
          })),
          ...changedDevices.map((deviceId): RegistryEvent => ({
            kind: 'deviceChanged',
            deviceId,
            change: 'record',
            at,
          })),
        ];
        await events.publish(client, published);

        const discrepancies = found.map(({ column: _column, ...rest }) => rest);
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO sync_reports (id, trigger, started_at, finished_at, devices_synced,
                                     discrepancies, newly_offline, newly_online)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
          [
            trigger,
            now,
            clock.now(),
            synced.rows[0]?.n ?? 0,
            JSON.stringify(discrepancies),
            offline.map((o) => o.device_id),
            online.rows.map((r) => r.device_id),
          ],
        );
        return {
          id: inserted.rows[0]!.id,
          trigger,
          startedAt: now,
          finishedAt: clock.now(),
          devicesSynced: synced.rows[0]?.n ?? 0,
          discrepancies,
          newlyOffline: offline.map((o) => o.device_id),
          newlyOnline: online.rows.map((r) => r.device_id),
        } satisfies SyncReport;
      });
      if (report) {
        logger.info(
          {
            trigger,
            devicesSynced: report.devicesSynced,
            discrepancies: report.discrepancies.length,
            newlyOffline: report.newlyOffline,
            cause: 'sync',
          },
          'registry sync finished',
        );
      }
      return report;
    },
  };
}
