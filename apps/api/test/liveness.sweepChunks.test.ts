import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/loadConfig.ts';
import { createOfflineSweeper } from '../src/liveness/offlineSweeper.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { capturedLogger } from './support/capturedLog.ts';
import { insertLivenessDevices } from './support/livenessFixtures.ts';

describe('an offline sweep in chunks', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('moves every overdue device exactly once across chunks, ties at a chunk boundary included', async () => {
    const now = server.clock.now();
    const at = (secondsAgo: number) =>
      new Date(now.getTime() - secondsAgo * 1000);
    // Due times, oldest first: chunks of 3 end inside the run of four
    // devices due 40 s ago, and again inside the pair due 10 s ago.
    const due: Array<[string, number]> = [
      ['ch-a', 60],
      ['ch-b', 50],
      ['ch-c', 40],
      ['ch-d', 40],
      ['ch-e', 40],
      ['ch-f', 40],
      ['ch-g', 30],
      ['ch-h', 10],
      ['ch-i', 10],
      ['ch-j', 5],
    ];
    await insertLivenessDevices(
      server.database.pool,
      [
        ...due.map(([id, secondsAgo]) => ({
          id,
          stateSince: at(3600),
          dueAt: at(secondsAgo),
        })),
        { id: 'ch-later', stateSince: at(3600), dueAt: at(-60) },
      ],
      now,
    );
    const sweeper = createOfflineSweeper({
      pool: server.database.pool,
      events: server.server.services.events,
      logger: capturedLogger('error').logger,
      clock: server.clock,
      config: loadConfig({}, { demo: { mode: 'off' } }),
      timeoutChunk: 3,
    });

    const result = await sweeper.runOnce();
    const { rows } = await server.database.pool.query<{
      device_id: string;
      n: number;
    }>(
      `SELECT device_id, count(*)::int AS n FROM state_transitions
       WHERE device_id LIKE 'ch-%' GROUP BY device_id ORDER BY device_id`,
    );

    expect(result.timedOut.map((t) => [t.deviceId, t.at]).sort()).toEqual(
      due.map(([id, secondsAgo]) => [id, at(secondsAgo)]).sort(),
    );
    expect(rows).toEqual(due.map(([id]) => ({ device_id: id, n: 1 })));
  });
});
