import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';
import { collect, connect } from './support/wsClient.ts';

describe('two API processes on one database', () => {
  let first: TestServer;
  let second: TestServer;
  let client: Client;

  beforeAll(async () => {
    first = await startTestServer();
    second = await startTestServer({
      database: first.database,
      clock: first.clock,
    });
    await insertDevices(first.database.pool, [
      { id: 'edge-jetson-prod-001', tags: ['production'] },
    ]);
    client = connect(second.wsUrl, second.adminKey);
  });
  afterAll(async () => {
    await client.dispose();
    await second.close();
    await first.close();
  });

  it('delivers an event produced through one process to a subscriber of the other', async () => {
    const states = collect(
      client,
      'subscription { deviceStateChanged(where: "tag:production") { deviceId from to actor } }',
    );
    await vi.waitFor(() =>
      expect(second.server.services.live.subscriberCount()).toBe(1),
    );

    const result = await first.request(
      'mutation { enterMaintenance(id: "edge-jetson-prod-001") { id } }',
    );
    const message = await states.next();
    states.dispose();
    expect([result.errors, message]).toEqual([
      undefined,
      {
        deviceStateChanged: {
          deviceId: 'edge-jetson-prod-001',
          from: 'HEALTHY',
          to: 'MAINTENANCE',
          actor: 'operator:bootstrap-admin',
        },
      },
    ]);
  });
});
