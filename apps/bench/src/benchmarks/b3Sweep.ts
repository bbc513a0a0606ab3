import type pg from 'pg';
import { fixtureDeviceId } from '../fixtures.ts';
import { createJsonClient } from '../httpClient.ts';
import { runLoad, timed, type LoadResult } from '../load.ts';
import { ratio, round, summarize } from '../stats.ts';
import type { Benchmark, BenchContext } from '../types.ts';
import { unavailable } from '../types.ts';
import { assertClean } from './common.ts';
import {
  acceptedIn,
  healthyIndices,
  singleHeartbeat,
  type HeartbeatAnswer,
} from './heartbeatLoad.ts';

const STALE_SHARE = 0.3;
const HEARTBEAT_CLIENTS = 20;

/** The peer: one UPDATE over the due_at index, doing the same state change. */
const PEER_SWEEP = `UPDATE device_status SET
    state = 'offline', last_known_state = state, state_since = due_at,
    offline_since = due_at, connectivity = 'offline', offline_tier = NULL,
    tier_since = NULL, due_at = due_at + interval '5 minutes'
  WHERE state IN ('healthy', 'degraded') AND due_at < $1`;

/**
 * The stale set: 30 % of the fleet, drawn from devices not offline, in a
 * fixed pseudo-random order (md5 of the id).
 */
async function pickStale(pool: pg.Pool, size: number): Promise<string[]> {
  const { rows } = await pool.query<{ device_id: string }>(
    `SELECT device_id FROM device_status WHERE state IN ('healthy', 'degraded')
     ORDER BY md5(device_id) LIMIT $1`,
    [Math.round(size * STALE_SHARE)],
  );
  return rows.map((row) => row.device_id);
}

/**
 * Makes `ids` healthy and overdue by 30 s (heartbeat 3.5 min ago, state a
 * day old): one sweep moves each offline and no tier is due yet, so the
 * sweep measured is exactly the offline transition.
 */
async function makeStale(pool: pg.Pool, ids: string[]): Promise<void> {
  const now = Date.now();
  await pool.query(
    `UPDATE device_status SET state = 'healthy', connectivity = 'online',
       due_at = $2, last_heartbeat_at = $3, state_since = $4,
       offline_since = NULL, offline_tier = NULL, tier_since = NULL,
       last_known_state = NULL
     WHERE device_id = ANY($1::text[])`,
    [
      ids,
      new Date(now - 30_000),
      new Date(now - 210_000),
      new Date(now - 86_400_000),
    ],
  );
  // Both sides start from a vacuumed table, not from whatever the rounds
  // before left and autovacuum happened to clear.
  await pool.query('VACUUM device_status');
}

/** Puts the stale set back to healthy and due in a day, for what follows. */
async function restoreFresh(pool: pg.Pool, ids: string[]): Promise<void> {
  const now = Date.now();
  await pool.query(
    `UPDATE device_status SET state = 'healthy', connectivity = 'online',
       due_at = $2, last_heartbeat_at = $3, state_since = $3,
       offline_since = NULL, offline_tier = NULL, tier_since = NULL,
       last_known_state = NULL
     WHERE device_id = ANY($1::text[])`,
    [ids, new Date(now + 86_400_000), new Date(now)],
  );
}

/** Heartbeats from devices outside the stale set, until `stop` is set. */
async function heartbeatLoad(
  context: BenchContext,
  devices: number[],
  stop: { stopped: boolean } | undefined,
  maxDurationMs: number,
): Promise<LoadResult> {
  const client = createJsonClient(context.rollcall.url, HEARTBEAT_CLIENTS);
  const result = await runLoad(
    {
      concurrency: context.smoke ? 2 : HEARTBEAT_CLIENTS,
      maxOperations: context.smoke ? 10 : 100_000,
      maxDurationMs,
      warmupPerWorker: 1,
      ...(stop ? { stop } : {}),
    },
    async (index) => {
      const { body, token } = singleHeartbeat(devices[index % devices.length]!);
      return acceptedIn(
        await client.post<HeartbeatAnswer>('/graphql', body, token),
      );
    },
  );
  client.close();
  return result;
}

/** The p99 of every sample of `runs` together. */
function pooledP99(runs: readonly LoadResult[]): number {
  return summarize(runs.flatMap((run) => run.samples)).p99Ms;
}

/**
 * B3: the offline sweep with 30 % of the fleet overdue, against one
 * indexed UPDATE doing the same state change; and heartbeat latency
 * while a sweep runs against heartbeat latency without one.
 */
export const b3Sweep: Benchmark = {
  id: 'B3',
  title: 'offline sweep (30 % stale) vs one indexed UPDATE',
  async run(context) {
    const { rollcall, fleet, smoke } = context;
    if (!rollcall.canSweep)
      return unavailable('no offline sweeper with runOnce() yet');
    const pool = fleet.database.pool;
    const rounds = smoke ? 1 : 3;
    const stale = await pickStale(pool, fleet.size);
    const staleSet = new Set(stale);
    const others = healthyIndices(fleet.size).filter(
      (i) => !staleSet.has(fixtureDeviceId(i)),
    );

    // The ratio compares like with like: each side sweeps a quiet server,
    // in alternating rounds. The sweeps under heartbeat load come after,
    // for the heartbeat latency goal (and their own duration, reported).
    const peerMs: number[] = [];
    const oursMs: number[] = [];
    let peerMoved = 0;
    let oursMoved = -1;
    const sweepOurs = async () => {
      const sweep = await rollcall.sweep();
      const summary = sweep.result as { timedOut?: number } | null;
      oursMoved = summary?.timedOut ?? -1;
      return sweep.ms;
    };
    for (let r = 0; r < rounds; r += 1) {
      await makeStale(pool, stale);
      const run = await timed(() => pool.query(PEER_SWEEP, [new Date()]));
      peerMs.push(run.ms);
      peerMoved = run.value.rowCount ?? 0;
      await makeStale(pool, stale);
      oursMs.push(await sweepOurs());
    }

    // Heartbeat latency with and without a sweep, in alternating rounds so
    // that the machine's drift weighs on both alike; each side's p99 is
    // over all its rounds' samples.
    const hasHeartbeat = context.schema.mutation.has('heartbeat');
    const loadedMs: number[] = [];
    const without: LoadResult[] = [];
    const during: LoadResult[] = [];
    for (let r = 0; hasHeartbeat && r < rounds; r += 1) {
      await makeStale(pool, stale);
      without.push(
        await heartbeatLoad(context, others, undefined, smoke ? 500 : 2_000),
      );
      const stop = { stopped: false };
      const load = heartbeatLoad(context, others, stop, 60_000);
      const ms = await sweepOurs().finally(() => {
        stop.stopped = true;
      });
      during.push(await load);
      loadedMs.push(ms);
    }
    await restoreFresh(pool, stale);

    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const ours = round(median(oursMs));
    const peer = round(median(peerMs));
    const x = ratio(ours, peer);
    const figures: Record<string, number> = {
      stale: stale.length,
      'rollcall.sweepMs': ours,
      'peer.updateMs': peer,
      ratio: x,
    };
    const goals = [{ goal: 'sweep <= 1.5x peer', value: x, met: x <= 1.5 }];
    const notes: string[] = [];
    if (during.length > 0) {
      for (const r of [...without, ...during]) assertClean('heartbeats', r);
      const p99Without = pooledP99(without);
      const p99During = pooledP99(during);
      const growth = ratio(p99During, p99Without);
      Object.assign(figures, {
        'rollcall.sweepMsUnderLoad': round(median(loadedMs)),
        'heartbeat.p99Ms.without': p99Without,
        'heartbeat.p99Ms.during': p99During,
        'heartbeat.p99Ms.duringWorstRound': Math.max(
          ...during.map((d) => d.latency.p99Ms),
        ),
        'heartbeat.samplesDuring': during.reduce((n, d) => n + d.operations, 0),
        'heartbeat.p99Ratio': growth,
      });
      goals.push({
        goal: 'heartbeat p99 during sweep <= 2x without',
        value: growth,
        met: growth <= 2,
      });
    } else {
      notes.push(
        'Mutation.heartbeat not in the schema: no heartbeat latency figures',
      );
    }
    return {
      figures,
      goals,
      agreement: [
        { what: 'devices moved offline', ours: oursMoved, peer: peerMoved },
      ],
      notes,
    };
  },
};
