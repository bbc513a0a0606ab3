import type { Client } from 'graphql-ws';
import type { MockInstance } from 'vitest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';
import { collect, connect } from './support/wsClient.ts';

const MEMBERSHIP = /* GraphQL */ `
  subscription ($group: String!) {
    groupMembershipChanged(group: $group) {
      group
      deviceId
      change
    }
  }
`;

// The signatures of the reads a group recheck used to make: the event's
// device (its tags query), the member query, and the saved groups.
const DEVICE_TAGS_READ = 'SELECT key, value FROM device_tags WHERE device_id';
const MEMBER_QUERY = 'SELECT 1 FROM devices d JOIN device_status s';
const GROUPS_READ = 'FROM groups';

/** The devices loaded and the membership reads made since `query` spied. */
function recheckReads(query: MockInstance) {
  const calls = query.mock.calls as Array<[unknown, unknown]>;
  const texts = calls.map(([text]) => (typeof text === 'string' ? text : ''));
  const loaded = calls
    .filter(([text]) => String(text).startsWith(DEVICE_TAGS_READ))
    .map(([, values]) => String((values as unknown[])[0]));
  return {
    loaded: [...new Set(loaded)],
    memberQueries: texts.filter((text) => text.includes(MEMBER_QUERY)).length,
    groupReads: texts.filter((text) => text.includes(GROUPS_READ)).length,
  };
}

// A group watch used to load the device and run one member query per
// watched group for every device change, whatever it changed.
describe('a group membership watch', () => {
  let server: TestServer;
  let client: Client;
  const ids = Array.from(
    { length: 200 },
    (_, i) => `gw-${String(i).padStart(3, '0')}`,
  );

  const subscribed = (count: number) =>
    vi.waitFor(() =>
      expect(server.server.services.live.subscriberCount()).toBe(count),
    );
  const request = async (query: string, variables: object) => {
    const result = await server.request(query, { ...variables });
    expect(result.errors).toBeUndefined();
  };
  const tag = (target: object, key: string) =>
    request(
      `mutation ($ids: [ID!], $where: String, $key: String!) {
        tagDevices(ids: $ids, where: $where, tags: [{ key: $key }]) {
          affectedCount
        }
      }`,
      { ids: null, where: null, ...target, key },
    );
  const untag = (id: string, key: string) =>
    request(
      `mutation ($id: ID!, $key: String!) {
        untagDevices(ids: [$id], tags: [{ key: $key }]) { affectedCount }
      }`,
      { id, key },
    );

  beforeAll(async () => {
    server = await startTestServer();
    await insertLivenessDevices(
      server.database.pool,
      ids.map((id) => ({
        id,
        tags: [
          ['fleet-gw', ''],
          ['site-factory-a', ''],
        ],
      })),
      server.clock.now(),
    );
    await request(
      `mutation {
        createGroup(input: {
          name: "factory-gpu", membership: DYNAMIC,
          query: "tag:site-factory-a AND tag:gpu-capable"
        }) { name }
      }`,
      {},
    );
    client = connect(server.wsUrl, server.adminKey);
  });
  afterAll(async () => {
    await client.dispose();
    await server.close();
  });

  it('reads nothing for a bulk tagging and state changes its query cannot see, and still announces joins and leaves', async () => {
    const changes = collect(client, MEMBERSHIP, { group: 'factory-gpu' });
    await subscribed(1);
    await tag({ ids: ['gw-000'] }, 'gpu-capable');
    const joined = await changes.next();
    const query = vi.spyOn(server.server.db.pool, 'query');

    await tag({ where: 'tag:fleet-gw' }, 'rack-1');
    server.clock.advance(1000);
    const beat = await sendHeartbeat(server, {
      deviceId: 'gw-001',
      status: 'DEGRADED',
      sequence: 1,
    });
    // Handled after the events before it: once announced, they were too.
    await untag('gw-000', 'gpu-capable');
    const left = await changes.next();
    const reads = recheckReads(query);
    query.mockRestore();
    changes.dispose();
    await subscribed(0);

    expect({ joined, state: beat.data?.heartbeat.state, left, reads }).toEqual({
      joined: {
        groupMembershipChanged: {
          group: 'factory-gpu',
          deviceId: 'gw-000',
          change: 'JOINED',
        },
      },
      state: 'DEGRADED',
      left: {
        groupMembershipChanged: {
          group: 'factory-gpu',
          deviceId: 'gw-000',
          change: 'LEFT',
        },
      },
      reads: { loaded: ['gw-000'], memberQueries: 0, groupReads: 0 },
    });
  });

  it('announces a device its heartbeats move into and out of a group on its state', async () => {
    await request(
      `mutation {
        createGroup(input: {
          name: "degraded-gw", membership: DYNAMIC,
          query: "tag:fleet-gw AND status:degraded"
        }) { name }
      }`,
      {},
    );
    const changes = collect(client, MEMBERSHIP, { group: 'degraded-gw' });
    await subscribed(1);

    server.clock.advance(1000);
    await sendHeartbeat(server, {
      deviceId: 'gw-002',
      status: 'DEGRADED',
      sequence: 1,
    });
    const joined = await changes.next();
    server.clock.advance(1000);
    await sendHeartbeat(server, {
      deviceId: 'gw-002',
      sequence: 2,
      metrics: { cpuPercent: 20 },
    });
    const left = await changes.next();
    changes.dispose();
    await subscribed(0);

    const change = (deviceId: string, kind: string) => ({
      groupMembershipChanged: { group: 'degraded-gw', deviceId, change: kind },
    });
    expect([joined, left]).toEqual([
      change('gw-002', 'JOINED'),
      change('gw-002', 'LEFT'),
    ]);
  });
});
