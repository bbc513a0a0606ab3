import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';
import { collect, connect } from './support/wsClient.ts';

const STATE = /* GraphQL */ `
  subscription ($where: String) {
    deviceStateChanged(where: $where) {
      deviceId
      from
      to
      cause
      actor
      reason
      at
      device {
        id
        status {
          state
        }
      }
    }
  }
`;
const MEMBERSHIP = /* GraphQL */ `
  subscription ($group: String!) {
    groupMembershipChanged(group: $group) {
      group
      deviceId
      change
      device {
        id
      }
    }
  }
`;

describe('subscriptions', () => {
  let server: TestServer;
  let client: Client;

  async function subscribed(count: number) {
    await vi.waitFor(() =>
      expect(server.server.services.live.subscriberCount()).toBe(count),
    );
  }

  async function request(query: string, variables?: Record<string, unknown>) {
    const result = await server.request(query, variables);
    expect(result.errors).toBeUndefined();
    return result;
  }

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, [
      { id: 'edge-jetson-prod-001', tags: ['production', 'gpu-capable'] },
      { id: 'edge-jetson-prod-002', tags: ['production'] },
      { id: 'edge-rpi-dev-001', tags: ['development'] },
    ]);
    client = connect(server.wsUrl, server.adminKey);
  });
  afterAll(async () => {
    await client.dispose();
    await server.close();
  });

  it('delivers state transitions of matching devices only', async () => {
    const gpu = collect(client, STATE, { where: 'tag:gpu-capable' });
    const all = collect(client, STATE, {});
    await subscribed(2);

    await request(
      'mutation { enterMaintenance(id: "edge-rpi-dev-001", reason: "disk") { id } }',
    );
    await request(
      'mutation { enterMaintenance(id: "edge-jetson-prod-001", reason: "fan") { id } }',
    );
    const fromAll = [await all.next(), await all.next()];
    const fromGpu = await gpu.next();
    gpu.dispose();
    all.dispose();
    await subscribed(0);

    const event = (deviceId: string, reason: string) => ({
      deviceStateChanged: {
        deviceId,
        from: 'HEALTHY',
        to: 'MAINTENANCE',
        cause: 'OPERATOR',
        actor: 'operator:bootstrap-admin',
        reason,
        at: '2026-01-01T00:00:00.000Z',
        device: { id: deviceId, status: { state: 'MAINTENANCE' } },
      },
    });
    expect({ fromAll, fromGpu }).toEqual({
      fromAll: [
        event('edge-rpi-dev-001', 'disk'),
        event('edge-jetson-prod-001', 'fan'),
      ],
      fromGpu: event('edge-jetson-prod-001', 'fan'),
    });
  });

  it('delivers heartbeats of matching devices', async () => {
    const beats = collect(
      client,
      `subscription { heartbeatReceived(where: "tag:development") { deviceId status at } }`,
    );
    await subscribed(1);
    const pool = server.database.pool;
    await server.server.services.events.publish(pool, [
      {
        kind: 'heartbeat',
        deviceId: 'edge-jetson-prod-002',
        status: 'healthy',
        at: '2026-01-01T00:00:01.000Z',
      },
      {
        kind: 'heartbeat',
        deviceId: 'edge-rpi-dev-001',
        status: 'degraded',
        at: '2026-01-01T00:00:02.000Z',
      },
    ]);
    const message = await beats.next();
    beats.dispose();
    await subscribed(0);
    expect(message).toEqual({
      heartbeatReceived: {
        deviceId: 'edge-rpi-dev-001',
        status: 'DEGRADED',
        at: '2026-01-01T00:00:02.000Z',
      },
    });
  });

  it('reports devices joining and leaving a dynamic group as their tags change', async () => {
    await request(
      'mutation { createGroup(input: { name: "gpu", membership: DYNAMIC, query: "tag:gpu-capable" }) { name } }',
    );
    const changes = collect(client, MEMBERSHIP, { group: 'gpu' });
    await subscribed(1);

    await request(
      'mutation { tagDevices(ids: ["edge-jetson-prod-002"], tags: [{ key: "gpu-capable" }]) { affectedCount } }',
    );
    const joined = await changes.next();
    await request(
      'mutation { untagDevices(ids: ["edge-jetson-prod-001"], tags: [{ key: "gpu-capable" }]) { affectedCount } }',
    );
    const left = await changes.next();
    changes.dispose();
    await subscribed(0);

    expect([joined, left]).toEqual([
      {
        groupMembershipChanged: {
          group: 'gpu',
          deviceId: 'edge-jetson-prod-002',
          change: 'JOINED',
          device: { id: 'edge-jetson-prod-002' },
        },
      },
      {
        groupMembershipChanged: {
          group: 'gpu',
          deviceId: 'edge-jetson-prod-001',
          change: 'LEFT',
          device: { id: 'edge-jetson-prod-001' },
        },
      },
    ]);
  });

  it('reports static members added and removed, and dynamic query edits', async () => {
    await request(
      'mutation { createGroup(input: { name: "pinned", membership: STATIC, devices: ["edge-rpi-dev-001"] }) { name } }',
    );
    const pinned = collect(client, MEMBERSHIP, { group: 'pinned' });
    const gpu = collect(client, MEMBERSHIP, { group: 'gpu' });
    await subscribed(2);

    await request(
      'mutation { addGroupMembers(name: "pinned", deviceIds: ["edge-jetson-prod-001"]) { name } }',
    );
    await request(
      'mutation { removeGroupMembers(name: "pinned", deviceIds: ["edge-rpi-dev-001"]) { name } }',
    );
    await request(
      'mutation { updateGroup(name: "gpu", input: { query: "tag:production" }) { name } }',
    );
    const fromPinned = [await pinned.next(), await pinned.next()];
    const fromGpu = await gpu.next();
    pinned.dispose();
    gpu.dispose();
    await subscribed(0);

    const change = (group: string, deviceId: string, kind: string) => ({
      groupMembershipChanged: {
        group,
        deviceId,
        change: kind,
        device: { id: deviceId },
      },
    });
    expect({ fromPinned, fromGpu }).toEqual({
      fromPinned: [
        change('pinned', 'edge-jetson-prod-001', 'JOINED'),
        change('pinned', 'edge-rpi-dev-001', 'LEFT'),
      ],
      fromGpu: change('gpu', 'edge-jetson-prod-001', 'JOINED'),
    });
  });

  it('catches a disconnected client up with changesSince', async () => {
    const start = await server.request<{
      changesSince: { latestVersion: number };
    }>('{ changesSince(version: 0, first: 1) { latestVersion } }');
    const version = start.data!.changesSince.latestVersion;
    await request(
      'mutation { exitMaintenance(id: "edge-rpi-dev-001") { id } }',
    );
    await request(
      'mutation { exitMaintenance(id: "edge-jetson-prod-001") { id } }',
    );

    const feed = await server.request<{
      changesSince: {
        changes: Array<{ version: number; deviceId: string; kind: string }>;
        latestVersion: number;
        hasMore: boolean;
      };
    }>(
      'query ($v: Int!) { changesSince(version: $v, where: "tag:development") { changes { version deviceId kind } latestVersion hasMore } }',
      { v: version },
    );
    const { changes, latestVersion, hasMore } = feed.data!.changesSince;
    expect({
      changes: changes.map((c) => [c.deviceId, c.kind]),
      hasMore,
      isNewest: latestVersion > version,
      isAfter: changes.every((c) => c.version > version),
    }).toEqual({
      changes: [['edge-rpi-dev-001', 'stateChanged']],
      hasMore: false,
      isNewest: true,
      isAfter: true,
    });
  });

  it('refuses an invalid where filter with its position, and anonymous clients', async () => {
    const bad = collect(client, STATE, { where: 'status:healthyy' });
    const anonymous = connect(server.wsUrl, null);
    const refused = collect(anonymous, STATE, {});
    const [badError, refusedError] = await Promise.all([
      bad.next(),
      refused.next(),
    ]);
    await anonymous.dispose();
    const summary = (value: unknown) =>
      (
        value as { errors: Array<{ extensions?: Record<string, unknown> }> }
      ).errors.map((error) => [
        error.extensions?.code,
        error.extensions?.position,
      ]);
    expect([summary(badError), summary(refusedError)]).toEqual([
      [
        [
          'QUERY_VALIDATION_ERROR',
          { offset: 7, line: 1, column: 8, length: 8 },
        ],
      ],
      [['UNAUTHENTICATED', undefined]],
    ]);
  });
});
