import {
  DEFAULT_TIER_CONFIG,
  assertTierConfig,
  nextTierAt,
  offlineTierFor,
  tierAlerts,
  tierThresholdMs,
  type HeartbeatTiming,
  type OfflineTier,
  type TierConfig,
} from '@rollcall/fleet';
import type pg from 'pg';
import {
  clearStaleAlerts,
  raiseAlerts,
  type NewAlert,
} from '../alerts/alertStore.ts';
import type { Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { RegistryEvent } from '../events/registryEvent.ts';
import type { Logger } from '../logger.ts';
import { isUnavailable } from '../server/formatError.ts';
import {
  SWEEPER_RUNTIME_KEY,
  createSweepGrace,
  laterOf,
  type SweeperRuntimeValue,
} from './sweepGrace.ts';
import { markSilent } from './silentDevices.ts';
import { summariseTimeouts } from './sweepLog.ts';
import { inTransaction, whileLocked } from './sweepSession.ts';
import {
  lockTierCandidates,
  markTimedOut,
  moveToInvestigation,
  tagOfflineExtended,
  writeTiers,
  type TimedOut,
  type TierWrite,
} from './sweepStatements.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** What one sweep did; `ran` is false when another process held the lock. */
export interface SweepResult {
  ran: boolean;
  timedOut: TimedOut[];
  tierChanges: Array<{
    deviceId: string;
    from: OfflineTier | null;
    to: OfflineTier | null;
  }>;
  /** True when this sweep started a grace (restart or database outage). */
  startedGrace: boolean;
  /** FAILED or MAINTENANCE devices that went silent: connectivity offline. */
  wentSilent: string[];
}

/** The offline sweeper: `runOnce` is what its worker calls every interval. */
export interface OfflineSweeper {
  runOnce(): Promise<SweepResult>;
  /**
   * Tells the sweeper that the database refused work (heartbeats were
   * refused with SERVICE_UNAVAILABLE): its next successful sweep gives
   * every device one full timeout from then.
   */
  noteDatabaseUnavailable(): void;
}

/** The offline ladder from the config's minutes and fleet's defaults. */
export function tierConfigFrom(config: RollcallConfig): TierConfig {
  const tiers: TierConfig = {
    ...DEFAULT_TIER_CONFIG,
    warning: config.heartbeat.offline_warning_minutes,
    alert: config.heartbeat.offline_alert_minutes,
    critical: config.heartbeat.offline_critical_minutes,
  };
  assertTierConfig(tiers);
  return tiers;
}

const TIER_BATCH = 10_000;
const TIMEOUT_CHUNK = 5_000;

const NOT_RAN: SweepResult = {
  ran: false,
  timedOut: [],
  tierChanges: [],
  startedGrace: false,
  wentSilent: [],
};

export interface OfflineSweeperOptions {
  pool: pg.Pool;
  events: EventBus;
  logger: Logger;
  clock: Clock;
  config: RollcallConfig;
  /** Devices timed out per transaction (default 5,000). */
  timeoutChunk?: number;
}

export function createOfflineSweeper(
  options: OfflineSweeperOptions,
): OfflineSweeper {
  const { pool, events, logger, clock, config } = options;
  const timeoutChunk = options.timeoutChunk ?? TIMEOUT_CHUNK;
  const tiers = tierConfigFrom(config);
  const timing: HeartbeatTiming = {
    intervalSeconds: config.heartbeat.interval_seconds,
    timeoutSeconds: config.heartbeat.timeout_seconds,
  };
  const startedAt = clock.now();
  // A healthy Rollcall sweeps every interval (whichever process holds the
  // lock); a last sweep that finished longer than this before our start
  // means no process was running, so none received heartbeats.
  const intervalMs = config.sweeper.interval_seconds * 1000;
  const downAfterMs = intervalMs + Math.max(intervalMs, 1000);
  const grace = createSweepGrace({ logger, startedAt, downAfterMs, timing });
  // Set when the database was unreachable (a failed sweep, or a heartbeat
  // refused with SERVICE_UNAVAILABLE) since the last successful sweep.
  let outageSeenAt: Date | null = null;

  const advanceTiers = async (client: Queryable, now: Date) => {
    const candidates = await lockTierCandidates(client, now, TIER_BATCH);
    const writes: TierWrite[] = [];
    const changes: SweepResult['tierChanges'] = [];
    const alerts: NewAlert[] = [];
    const flagged: string[] = [];
    const investigated: string[] = [];
    for (const c of candidates) {
      const elapsed = now.getTime() - c.offlineSince.getTime();
      const tier = offlineTierFor(elapsed, tiers);
      const next = nextTierAt(elapsed, tiers);
      const since = c.offlineSince.getTime();
      writes.push({
        deviceId: c.deviceId,
        offlineSince: c.offlineSince,
        tier,
        tierSince: tier ? new Date(since + tierThresholdMs(tier, tiers)) : null,
        dueAt: next ? new Date(since + next.atMs) : null,
      });
      if (tier === c.tier) continue;

      changes.push({ deviceId: c.deviceId, from: c.tier, to: tier });
      const effect = tierAlerts(c.tier, tier);
      if (effect.raiseAlert) {
        alerts.push({
          deviceId: c.deviceId,
          kind: effect.raiseAlert,
          message: `offline since ${c.offlineSince.toISOString()}; tier ${tier}`,
          at: now,
        });
      }
      if (effect.flagDecommissionReview) flagged.push(c.deviceId);
      if (tier === 'investigate') investigated.push(c.deviceId);
    }
    await writeTiers(client, writes);
    const at = now.toISOString();
    const tierEvents: RegistryEvent[] = changes.map((c) => ({
      kind: 'tierChanged',
      deviceId: c.deviceId,
      from: c.from,
      to: c.to,
      at,
    }));
    const tagged = await tagOfflineExtended(client, flagged, now);
    const moved = await moveToInvestigation(client, investigated, now);
    const eventsOut: RegistryEvent[] = [
      ...tierEvents,
      ...tagged.map((deviceId): RegistryEvent => ({
        kind: 'deviceChanged',
        deviceId,
        change: 'tags',
        tags: [{ key: 'offline-extended', value: '' }],
        at,
      })),
      ...moved.map((m): RegistryEvent => ({
        kind: 'catchUpChanged',
        deviceId: m.deviceId,
        entryId: m.id,
        at,
      })),
      ...(await raiseAlerts(client, alerts, config.alerts.webhook_urls)),
    ];
    return { changes, events: eventsOut };
  };

  return {
    noteDatabaseUnavailable() {
      outageSeenAt ??= clock.now();
    },
    async runOnce() {
      const now = clock.now();
      const outage = outageSeenAt;
      outageSeenAt = null;
      const result = await whileLocked(pool, NOT_RAN, async (client) => {
        const startedGrace = await grace.check(client, now, outage);
        // Chunks of TIMEOUT_CHUNK devices, one transaction each, so that a
        // sweep of 30,000 never holds its locks (or the commit-time NOTIFY
        // lock every heartbeat batch needs) for one long transaction.
        const timedOut: TimedOut[] = [];
        for (;;) {
          const chunk = await inTransaction(client, () =>
            markTimedOut(
              client,
              now,
              timing,
              tierThresholdMs('warning', tiers),
              grace.current(),
              timeoutChunk,
            ),
          );
          timedOut.push(...chunk.timedOut);
          if (chunk.candidates < timeoutChunk) break;
        }
        const wentSilent = await inTransaction(client, async () => {
          const ids = await markSilent(client, now, grace.current(), timing);
          await events.publish(
            client,
            ids.map((deviceId) => ({
              kind: 'deviceChanged' as const,
              deviceId,
              change: 'connectivity',
              at: now.toISOString(),
            })),
          );
          return ids;
        });
        return inTransaction(client, async (): Promise<SweepResult> => {
          const { changes, events: tierEvents } = await advanceTiers(
            client,
            now,
          );
          const cleared = await clearStaleAlerts(client, now);
          await events.publish(client, [...tierEvents, ...cleared]);
          await client.query(
            `INSERT INTO runtime_state (key, value, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value,
               updated_at = excluded.updated_at`,
            [
              SWEEPER_RUNTIME_KEY,
              {
                // When it finished, so that a long sweep is no gap.
                lastSweepAt: clock.now().toISOString(),
                graceStart: grace.current()?.toISOString() ?? null,
                timing,
              } satisfies SweeperRuntimeValue,
              now,
            ],
          );
          return {
            ran: true,
            timedOut,
            tierChanges: changes,
            startedGrace,
            wentSilent,
          };
        });
      }).catch((error: unknown) => {
        // Not swept: the outage (if any) is still to be graced.
        outageSeenAt = laterOf(outageSeenAt, outage);
        if (isUnavailable(error)) outageSeenAt ??= now;
        throw error;
      });
      if (!result.ran) outageSeenAt = laterOf(outageSeenAt, outage);

      if (result.timedOut.length > 0) {
        logger.info(summariseTimeouts(result.timedOut), 'devices timed out');
      }
      for (const change of result.tierChanges) {
        logger.info(change, 'offline tier changed');
      }
      return result;
    },
  };
}
