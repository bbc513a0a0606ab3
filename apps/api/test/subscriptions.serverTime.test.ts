import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { ManualScheduler } from '../src/scheduler.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { deviceToken, insertDevices } from './support/deviceFixtures.ts';
import { collect, connect } from './support/wsClient.ts';

const SERVER_TIME = 'subscription { serverTime }';
const STATES = 'subscription { deviceStateChanged { deviceId } }';
const START = '2026-03-01T09:00:00.000Z';

interface Refusal {
  errors: Array<{ extensions?: Record<string, unknown> }>;
}

let server: TestServer;
let scheduler: ManualScheduler;
const clients: Client[] = [];

function open(token: string | null): Client {
  const client = connect(server.wsUrl, token);
  clients.push(client);
  return client;
}

/** The extensions of the errors a subscription is refused with. */
async function refusal(token: string | null, query: string) {
  const { errors } = await collect<Refusal>(open(token), query).next();
  return errors.map((error) => error.extensions);
}

beforeAll(async () => {
  const clock = new ManualClock(START);
  scheduler = new ManualScheduler(clock);
  server = await startTestServer({ clock, scheduler });
  await insertDevices(server.database.pool, [{ id: 'edge-time-001' }]);
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await server.close();
});

describe('the serverTime subscription', () => {
  it('ticks the injected clock once a second as its timers advance, until unsubscribed', async () => {
    const ticks = collect(open(server.adminKey), SERVER_TIME);
    const first = await ticks.next();
    await scheduler.advance(1_000);
    const second = await ticks.next();
    await scheduler.advance(1_000);
    const third = await ticks.next();
    const timersWhileSubscribed = scheduler.size;

    ticks.dispose();
    await vi.waitFor(() => expect(scheduler.size).toBe(0));

    expect([first, second, third, timersWhileSubscribed]).toEqual([
      { serverTime: '2026-03-01T09:00:00.000Z' },
      { serverTime: '2026-03-01T09:00:01.000Z' },
      { serverTime: '2026-03-01T09:00:02.000Z' },
      1,
    ]);
  });

  it('serves a viewer key, the least operator role', async () => {
    const created = await server.request<{ createApiKey: { key: string } }>(
      'mutation { createApiKey(name: "time-viewer", role: VIEWER) { key } }',
    );
    const ticks = collect(open(created.data!.createApiKey.key), SERVER_TIME);

    expect(await ticks.next()).toEqual({
      serverTime: server.clock.now().toISOString(),
    });
    ticks.dispose();
  });

  it('refuses anonymous clients and devices as the other operator-only subscriptions do', async () => {
    const device = await deviceToken(server.database.pool, 'edge-time-001');

    const refusals = {
      anonymous: await refusal(null, SERVER_TIME),
      device: await refusal(device, SERVER_TIME),
    };

    expect(refusals).toEqual({
      anonymous: [{ code: 'UNAUTHENTICATED' }],
      device: [{ code: 'FORBIDDEN', requiredRole: 'viewer' }],
    });
    expect(refusals).toEqual({
      anonymous: await refusal(null, STATES),
      device: await refusal(device, STATES),
    });
  });
});
