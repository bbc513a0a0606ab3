import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';
import { collect, connect } from './support/wsClient.ts';

const HEARTBEATS = /* GraphQL */ `
  subscription ($where: String) {
    heartbeatReceived(where: $where) {
      deviceId
    }
  }
`;

// The dashboard follows the heartbeats of the rows it shows with
// `id IN (...)`; every other device's heartbeat must cost nothing.
describe('a heartbeat subscription restricted to ids', () => {
  let server: TestServer;
  let client: Client;
  const ids = ['idf-a', 'idf-b', 'idf-c', 'idf-d'];

  beforeAll(async () => {
    server = await startTestServer();
    await insertLivenessDevices(
      server.database.pool,
      ids.map((id) => ({ id })),
      server.clock.now(),
    );
    client = connect(server.wsUrl, server.adminKey);
  });
  afterAll(async () => {
    await client.dispose();
    await server.close();
  });

  it('reads no device for the heartbeats of devices it does not name', async () => {
    const heartbeats = collect(client, HEARTBEATS, {
      where: 'id IN ("idf-b", "idf-d") AND tag:nothing-like-this OR id = idf-d',
    });
    await vi.waitFor(() =>
      expect(server.server.services.live.subscriberCount()).toBe(1),
    );
    const query = vi.spyOn(server.server.db.pool, 'query');

    server.clock.advance(1000);
    // idf-d last: once its heartbeat arrives, the others were handled.
    for (const id of ['idf-a', 'idf-c', 'idf-b', 'idf-d']) {
      await sendHeartbeat(server, { deviceId: id });
    }
    const received = await heartbeats.next();
    heartbeats.dispose();
    // Reads of one device are the queries whose only parameter is its id.
    const loaded = query.mock.calls
      .map((call) => call[1] as unknown)
      .filter(
        (values): values is [string] =>
          Array.isArray(values) &&
          values.length === 1 &&
          ids.includes(values[0] as string),
      )
      .map(([id]) => id);
    query.mockRestore();

    expect({ received, loaded: [...new Set(loaded)] }).toEqual({
      received: { heartbeatReceived: { deviceId: 'idf-d' } },
      loaded: ['idf-b', 'idf-d'],
    });
  });
});
