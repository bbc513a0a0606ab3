import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
  statusOf,
} from './support/livenessFixtures.ts';

const SYNC = 'mutation { runRegistrySync { newlyOffline } }';

describe('registry sync and devices that did not respond', () => {
  let server: TestServer;
  const sync = async () =>
    (
      await server.request<{ runRegistrySync: { newlyOffline: string[] } }>(
        SYNC,
      )
    ).data?.runRegistrySync.newlyOffline;

  beforeAll(async () => {
    server = await startTestServer();
    await insertLivenessDevices(
      server.database.pool,
      [{ id: 'nr-1' }],
      server.clock.now(),
    );
  });
  afterAll(() => server.close());

  it('leaves a device silent since the last sync online until its timeout passes', async () => {
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: 'nr-1' });
    server.clock.advance(46_000);
    const before = await sync();
    server.clock.advance(88_000);
    // Silent since that sync, 134 s after its heartbeat: inside 180 s.
    const inside = await sync();
    const stateInside = (await statusOf(server.database.pool, 'nr-1')).state;
    server.clock.advance(46_001);
    const past = await sync();

    expect({ before, inside, stateInside, past }).toEqual({
      before: [],
      inside: [],
      stateInside: 'healthy',
      past: ['nr-1'],
    });
  });
});
