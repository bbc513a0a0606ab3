import { BENCH_ADMIN_KEY } from '../fixtures.ts';
import { createJsonClient } from '../httpClient.ts';
import { runLoad, type LoadResult } from '../load.ts';
import { ratio } from '../stats.ts';
import type { Benchmark, BenchContext } from '../types.ts';
import { unavailable } from '../types.ts';
import { assertClean, boundsFor, loadFigures } from './common.ts';
import {
  acceptedIn,
  batchHeartbeat,
  healthyIndices,
  singleHeartbeat,
  type HeartbeatAnswer,
} from './heartbeatLoad.ts';

/** Heartbeats per operator batch request. */
export const BATCH_SIZE = 100;
const CONCURRENCY = 50;

async function heartbeatRows(context: BenchContext): Promise<number> {
  const { rows } = await context.fleet.database.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM heartbeats',
  );
  return rows[0]?.n ?? 0;
}

/**
 * One closed-loop run against `url`: single heartbeats (each with its
 * device's token) or batches (operator key), over healthy devices in
 * disjoint, rotating slices so that no two requests in flight share a
 * device. Returns the run and the heartbeat rows it added.
 */
async function measure(
  context: BenchContext,
  url: string,
  form: 'single' | 'batch',
): Promise<{ result: LoadResult; rowsAdded: number; accepted: number }> {
  const devices = healthyIndices(context.fleet.size);
  const bounds = boundsFor(context.smoke, {
    concurrency: CONCURRENCY,
    maxOperations: form === 'single' ? 200_000 : 5_000,
    maxDurationMs: 8_000,
  });
  const client = createJsonClient(url, bounds.concurrency);
  const before = await heartbeatRows(context);
  // Warm-up requests write too: count every accepted heartbeat.
  let accepted = 0;
  const send = async (index: number): Promise<number> => {
    if (form === 'single') {
      const device = devices[index % devices.length]!;
      const { body, token } = singleHeartbeat(device);
      return acceptedIn(
        await client.post<HeartbeatAnswer>('/graphql', body, token),
      );
    }
    const slices = Math.max(1, Math.floor(devices.length / BATCH_SIZE));
    const start = (index % slices) * BATCH_SIZE;
    const slice = devices.slice(start, start + BATCH_SIZE);
    const body = batchHeartbeat(slice);
    return acceptedIn(
      await client.post<HeartbeatAnswer>('/graphql', body, BENCH_ADMIN_KEY),
    );
  };
  const result = await runLoad(bounds, async (index) => {
    const n = await send(index);
    accepted += n;
    return n;
  });
  client.close();
  const rowsAdded = (await heartbeatRows(context)) - before;
  return { result, rowsAdded, accepted };
}

/**
 * B1: heartbeat ingest over HTTP, 50 concurrent clients, against a bare
 * node:http server that parses the same JSON, looks up the same token
 * hash and writes the same UPDATE device_status + INSERT heartbeats.
 */
export const b1Heartbeats: Benchmark = {
  id: 'B1',
  title: 'heartbeats over HTTP vs bare node:http with the same SQL writes',
  async run(context) {
    if (!context.schema.mutation.has('heartbeat')) {
      return unavailable('Mutation.heartbeat is not in the schema yet');
    }
    const { rollcall, httpPeer } = context;
    const ours = await measure(context, rollcall.url, 'single');
    const peer = await measure(context, httpPeer.url, 'single');
    assertClean('rollcall heartbeat', ours.result);
    assertClean('peer heartbeat', peer.result);
    const single = ratio(
      ours.result.unitsPerSecond,
      peer.result.unitsPerSecond,
    );
    const figures: Record<string, number> = {
      ...loadFigures('rollcall.single', ours.result, 'heartbeatsPerSecond'),
      ...loadFigures('peer.single', peer.result, 'heartbeatsPerSecond'),
      'ratio.single': single,
    };
    const goals = [
      { goal: 'single >= 0.5x peer', value: single, met: single >= 0.5 },
      {
        goal: 'single p99 <= 50 ms',
        value: ours.result.latency.p99Ms,
        met: ours.result.latency.p99Ms <= 50,
      },
    ];
    const agreement = [
      {
        what: 'single: history rows per accepted heartbeat',
        ours: ours.rowsAdded === ours.accepted,
        peer: peer.rowsAdded === peer.accepted,
      },
    ];
    const notes: string[] = [];

    if (context.schema.mutation.has('heartbeatBatch')) {
      const oursBatch = await measure(context, rollcall.url, 'batch');
      const peerBatch = await measure(context, httpPeer.url, 'batch');
      assertClean('rollcall heartbeatBatch', oursBatch.result);
      assertClean('peer heartbeatBatch', peerBatch.result);
      const batch = ratio(
        oursBatch.result.unitsPerSecond,
        peerBatch.result.unitsPerSecond,
      );
      Object.assign(figures, {
        ...loadFigures(
          'rollcall.batch',
          oursBatch.result,
          'heartbeatsPerSecond',
        ),
        ...loadFigures('peer.batch', peerBatch.result, 'heartbeatsPerSecond'),
        'ratio.batch': batch,
      });
      goals.push(
        { goal: 'batch >= 0.5x peer', value: batch, met: batch >= 0.5 },
        {
          goal: 'batch >= 10,000 heartbeats/s',
          value: oursBatch.result.unitsPerSecond,
          met: oursBatch.result.unitsPerSecond >= 10_000,
        },
      );
      agreement.push({
        what: 'batch: history rows per accepted heartbeat',
        ours: oursBatch.rowsAdded === oursBatch.accepted,
        peer: peerBatch.rowsAdded === peerBatch.accepted,
      });
    } else {
      notes.push('heartbeatBatch not in the schema yet: batched form skipped');
    }
    return { figures, goals, agreement, notes };
  },
};
