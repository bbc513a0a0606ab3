import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';
import { collect, connect } from './support/wsClient.ts';

const UPDATED = /* GraphQL */ `
  subscription ($id: ID!) {
    deviceUpdated(id: $id) {
      deviceId
      kind
      change
      at
      device {
        id
        status {
          state
          connectivity
          lastHeartbeat
        }
        tags {
          key
          value
        }
      }
    }
  }
`;

describe('deviceUpdated subscription', () => {
  let server: TestServer;
  let client: Client;

  const sweep = () => server.server.services.liveness.sweeper.runOnce();
  const now = () => server.clock.now().toISOString();

  async function subscribed(count: number) {
    await vi.waitFor(() =>
      expect(server.server.services.live.subscriberCount()).toBe(count),
    );
  }

  async function tag(ids: string[] | null, where: string | null, key: string) {
    const result = await server.request(
      `mutation ($ids: [ID!], $where: String, $key: String!) {
        tagDevices(ids: $ids, where: $where, tags: [{ key: $key }]) {
          affectedCount
        }
      }`,
      { ids, where, key },
    );
    expect(result.errors).toBeUndefined();
  }

  /** The expected message for one event of `deviceId`. */
  function update(
    deviceId: string,
    event: { kind: string; change?: string; at: string },
    status: { state: string; connectivity: string; lastHeartbeat: string },
    tags: string[] = [],
  ) {
    return {
      deviceUpdated: {
        deviceId,
        kind: event.kind,
        change: event.change ?? null,
        at: event.at,
        device: {
          id: deviceId,
          status,
          tags: tags.map((key) => ({ key, value: '' })),
        },
      },
    };
  }

  beforeAll(async () => {
    server = await startTestServer();
    // Past the restart grace of the test server's first sweep.
    await sweep();
    server.clock.advance(200_000);
    await sweep();
    client = connect(server.wsUrl, server.adminKey);
  });
  afterAll(async () => {
    await client.dispose();
    await server.close();
  });

  it("delivers its device going silent in a sweep and its tag change, and nothing of another device's", async () => {
    const heartbeatAt = now();
    await insertLivenessDevices(
      server.database.pool,
      ['watched-a', 'other-b'].map((id) => ({
        id,
        state: 'maintenance',
        lastHeartbeatAt: server.clock.now(),
      })),
      server.clock.now(),
    );
    const updates = collect(client, UPDATED, { id: 'watched-a' });
    await subscribed(1);

    server.clock.advance(180_001);
    const swept = await sweep();
    const sweptAt = now();
    server.clock.advance(1000);
    // The other device changes first: had its events been delivered, they
    // would arrive before the watched device's own tag change.
    await tag(['other-b'], null, 'rack-7');
    await tag(['watched-a'], null, 'rack-9');
    const taggedAt = now();
    const received = [await updates.next(), await updates.next()];
    updates.dispose();
    await subscribed(0);

    const offline = {
      state: 'MAINTENANCE',
      connectivity: 'offline',
      lastHeartbeat: heartbeatAt,
    };
    expect({ wentSilent: swept.wentSilent, received }).toEqual({
      wentSilent: ['other-b', 'watched-a'],
      received: [
        update(
          'watched-a',
          { kind: 'deviceChanged', change: 'connectivity', at: sweptAt },
          offline,
        ),
        update(
          'watched-a',
          { kind: 'deviceChanged', change: 'tags', at: taggedAt },
          offline,
          ['rack-9'],
        ),
      ],
    });
  });

  it('delivers its state changes and heartbeats: timing out, then back with its next heartbeat', async () => {
    const heartbeatAt = now();
    // The timeout transition is dated when the 180 s timeout expired.
    const timedOutAt = new Date(Date.parse(heartbeatAt) + 180_000);
    await insertLivenessDevices(
      server.database.pool,
      [{ id: 'watched-c', lastHeartbeatAt: server.clock.now() }],
      server.clock.now(),
    );
    const updates = collect(client, UPDATED, { id: 'watched-c' });
    await subscribed(1);

    server.clock.advance(180_001);
    await sweep();
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: 'watched-c' });
    const returnedAt = now();
    const received = [
      await updates.next(),
      await updates.next(),
      await updates.next(),
    ];
    updates.dispose();
    await subscribed(0);

    const healthy = {
      state: 'HEALTHY',
      connectivity: 'online',
      lastHeartbeat: returnedAt,
    };
    expect(received).toEqual([
      update(
        'watched-c',
        { kind: 'stateChanged', at: timedOutAt.toISOString() },
        {
          state: 'OFFLINE',
          connectivity: 'offline',
          lastHeartbeat: heartbeatAt,
        },
      ),
      update('watched-c', { kind: 'stateChanged', at: returnedAt }, healthy),
      update('watched-c', { kind: 'heartbeat', at: returnedAt }, healthy),
    ]);
  });

  it('loads no other device when a bulk tagging changes 200 devices', async () => {
    const ids = Array.from(
      { length: 200 },
      (_, i) => `bulk-${String(i).padStart(3, '0')}`,
    );
    await insertDevices(
      server.database.pool,
      ids.map((id) => ({ id, tags: ['bulk'] })),
    );
    // The last device in id order: its event comes after all the others,
    // so every one of them has been handled once it arrives.
    const watched = ids[ids.length - 1]!;
    const updates = collect(
      client,
      'subscription ($id: ID!) { deviceUpdated(id: $id) { deviceId change } }',
      { id: watched },
    );
    await subscribed(1);
    const query = vi.spyOn(server.server.db.pool, 'query');

    await tag(null, 'tag:bulk', 'rack-1');
    const received = await updates.next();
    updates.dispose();
    await subscribed(0);
    // Reads of one device are the queries whose only parameter is its id.
    const loaded = query.mock.calls
      .map((call) => call[1] as unknown)
      .filter((values): values is [string] => {
        if (!Array.isArray(values) || values.length !== 1) return false;
        return ids.includes(values[0] as string);
      })
      .map(([id]) => id);
    query.mockRestore();

    expect({ received, loaded }).toEqual({
      received: { deviceUpdated: { deviceId: watched, change: 'tags' } },
      loaded: [watched],
    });
  });

  it('refuses an unknown device with NOT_FOUND and an anonymous client with UNAUTHENTICATED', async () => {
    const unknown = collect(client, UPDATED, { id: 'edge-nowhere-001' });
    const anonymous = connect(server.wsUrl, null);
    const refused = collect(anonymous, UPDATED, { id: 'watched-a' });
    const [unknownError, refusedError] = await Promise.all([
      unknown.next(),
      refused.next(),
    ]);
    await anonymous.dispose();
    const summary = (value: unknown) =>
      (
        value as {
          errors: Array<{ message: string; extensions?: { code?: string } }>;
        }
      ).errors.map((error) => [error.extensions?.code, error.message]);

    expect([summary(unknownError), summary(refusedError)]).toEqual([
      [['NOT_FOUND', 'Device "edge-nowhere-001" does not exist']],
      [['UNAUTHENTICATED', expect.any(String)]],
    ]);
  });
});
