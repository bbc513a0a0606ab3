import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertLivenessDevices } from './support/livenessFixtures.ts';
import { collect, connect } from './support/wsClient.ts';

const DEVICES = Array.from(
  { length: 50 },
  (_, i) => `edge-pair-${String(i + 1).padStart(3, '0')}`,
);
const STATES = `subscription {
  deviceStateChanged(where: "tag:production") { deviceId from to cause }
}`;

// Two Rollcall servers with their own pools and LISTEN connections on one
// database: all they share is PostgreSQL, as two processes would.
describe('two API processes sweeping one database', () => {
  let first: TestServer;
  let second: TestServer;
  let clients: Client[];
  const seenBy: [RegistryEvent[], RegistryEvent[]] = [[], []];

  beforeAll(async () => {
    first = await startTestServer();
    second = await startTestServer({
      database: first.database,
      clock: first.clock,
    });
    [first, second].forEach((server, i) =>
      server.server.services.events.subscribe(['stateChanged'], (event) =>
        seenBy[i]!.push(event),
      ),
    );
    await insertLivenessDevices(
      first.database.pool,
      DEVICES.map((id) => ({
        id,
        lastHeartbeatAt: first.clock.now(),
        tags: [['production', '']],
      })),
      first.clock.now(),
    );
    clients = [
      connect(first.wsUrl, first.adminKey),
      connect(second.wsUrl, second.adminKey),
    ];
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await second.close();
    await first.close();
  });

  it('times each device out once, whichever sweeper runs, and both processes see it', async () => {
    const live = clients.map((client) => collect(client, STATES));
    await vi.waitFor(() =>
      expect([
        first.server.services.live.subscriberCount(),
        second.server.services.live.subscriberCount(),
      ]).toEqual([1, 1]),
    );

    first.clock.advance(181_000);
    const sweeps = [];
    for (let round = 0; round < 5; round += 1) {
      sweeps.push(
        ...(await Promise.all([
          first.server.services.liveness.sweeper.runOnce(),
          second.server.services.liveness.sweeper.runOnce(),
        ])),
      );
    }
    const received = await Promise.all(
      live.map(async (stream) => {
        const messages = [];
        for (let i = 0; i < DEVICES.length; i += 1)
          messages.push(await stream.next());
        stream.dispose();
        return messages;
      }),
    );
    await vi.waitFor(() =>
      expect(seenBy.map((events) => events.length)).toEqual([50, 50]),
    );

    const { rows } = await first.database.pool.query<{
      device_id: string;
      n: number;
    }>(
      `SELECT device_id, count(*)::int AS n FROM state_transitions
       WHERE cause = 'timeout' GROUP BY device_id ORDER BY device_id`,
    );
    const ids = (events: Array<{ deviceStateChanged: { deviceId: string } }>) =>
      events.map((e) => e.deviceStateChanged.deviceId).sort();
    const timedOut = sweeps.flatMap((s) => s.timedOut.map((t) => t.deviceId));
    expect({
      transitions: rows,
      timedOut: timedOut.sort(),
      firstLive: ids(received[0] as never),
      secondLive: ids(received[1] as never),
      firstBus: seenBy[0].map((e) => 'deviceId' in e && e.deviceId).sort(),
      secondBus: seenBy[1].map((e) => 'deviceId' in e && e.deviceId).sort(),
      sample: received[1]![0],
    }).toEqual({
      transitions: DEVICES.map((device_id) => ({ device_id, n: 1 })),
      timedOut: DEVICES,
      firstLive: DEVICES,
      secondLive: DEVICES,
      firstBus: DEVICES,
      secondBus: DEVICES,
      sample: {
        deviceStateChanged: {
          deviceId: expect.stringMatching(/^edge-pair-/),
          from: 'HEALTHY',
          to: 'OFFLINE',
          cause: 'TIMEOUT',
        },
      },
    });
  });
});
