import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
  transitionsOf,
} from './support/livenessFixtures.ts';

const HISTORY = `query { heartbeats(deviceId: "dr-1", first: 5) {
  edges { node { sequence status degradationReason } } } }`;

describe('the reason a degraded device gives', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await insertLivenessDevices(
      server.database.pool,
      [{ id: 'dr-1' }],
      server.clock.now(),
    );
  });
  afterAll(() => server.close());

  it('keeps every reason with its heartbeat, a new one while already DEGRADED too', async () => {
    for (const [sequence, reason] of [
      [1, 'fan noise'],
      [2, 'disk SMART errors'],
    ] as const) {
      server.clock.advance(1000);
      await sendHeartbeat(server, {
        deviceId: 'dr-1',
        sequence,
        status: 'DEGRADED',
        degradationReason: reason,
      });
    }

    const history = await server.request<{
      heartbeats: { edges: Array<{ node: unknown }> };
    }>(HISTORY);
    expect(history.data?.heartbeats.edges.map((e) => e.node)).toEqual([
      {
        sequence: 2,
        status: 'degraded',
        degradationReason: 'disk SMART errors',
      },
      { sequence: 1, status: 'degraded', degradationReason: 'fan noise' },
    ]);
    expect(await transitionsOf(server.database.pool, 'dr-1')).toEqual([
      'healthy>degraded:heartbeat',
    ]);
  });
});
