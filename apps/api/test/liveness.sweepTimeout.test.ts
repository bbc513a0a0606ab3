import { timeoutMsFor } from '@rollcall/fleet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertLivenessDevices } from './support/livenessFixtures.ts';

// A timeout that the device intervals do not divide (37 s over 16 s is
// 2312.5 ms per second of interval): the sweep's own computation of a
// deadline (for a device with no due_at) must round as fleet's
// timeoutMsFor does, which heartbeats use, halves up.
const TIMING = { intervalSeconds: 16, timeoutSeconds: 37 };

describe('the offline sweep deadline of a device without a due time', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      config: {
        heartbeat: {
          interval_seconds: TIMING.intervalSeconds,
          timeout_seconds: TIMING.timeoutSeconds,
        },
      },
    });
  });
  afterAll(() => server.close());

  it('is its last heartbeat plus the timeout scaled to its interval and rounded like timeoutMsFor', async () => {
    const heartbeatAt = server.clock.now();
    const intervals = [1, 3, 16];
    await insertLivenessDevices(
      server.database.pool,
      intervals.map((intervalSeconds) => ({
        id: `iv-${intervalSeconds}`,
        intervalSeconds,
        lastHeartbeatAt: heartbeatAt,
        stateSince: heartbeatAt,
        dueAt: null,
      })),
      heartbeatAt,
    );
    const sweep = () => server.server.services.liveness.sweeper.runOnce();

    const moved: Record<string, number> = {};
    for (const ms of [2313, 2314, 6938, 6939, 37000, 37001]) {
      server.clock.set(new Date(heartbeatAt.getTime() + ms));
      for (const t of (await sweep()).timedOut) moved[t.deviceId] = ms;
    }
    const { rows } = await server.database.pool.query<{
      device_id: string;
      reason: string;
    }>(
      `SELECT device_id, reason FROM state_transitions
       WHERE device_id LIKE 'iv-%' ORDER BY device_id`,
    );

    expect(intervals.map((i) => timeoutMsFor(i, TIMING))).toEqual([
      2313, 6938, 37000,
    ]);
    expect(moved).toEqual({ 'iv-1': 2314, 'iv-3': 6939, 'iv-16': 37001 });
    expect(rows).toEqual([
      { device_id: 'iv-1', reason: 'no heartbeat within 2.313 s' },
      { device_id: 'iv-16', reason: 'no heartbeat within 37 s' },
      { device_id: 'iv-3', reason: 'no heartbeat within 6.938 s' },
    ]);
  });
});
