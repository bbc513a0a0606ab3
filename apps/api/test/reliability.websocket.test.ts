import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';
import { insertLivenessDevices, tokenOf } from './support/livenessFixtures.ts';
import {
  HEARTBEAT,
  registerActiveDevice,
} from './support/reliabilityFixtures.ts';
import { startTcpProxy, type TcpProxy } from './support/tcpProxy.ts';

const CLIENTS = Number(process.env.RELIABILITY_WS_CLIENTS ?? 1000);
const STATES = `subscription {
  deviceStateChanged(where: "tag:production") { deviceId from to }
}`;

interface Dashboard {
  client: Client;
  connections: number;
  received: unknown[];
}

// A dashboard that reconnects at once, forever, and resubscribes.
function openDashboard(url: string, key: string): Dashboard {
  const dashboard: Dashboard = {
    client: createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      retryWait: () => Promise.resolve(),
      shouldRetry: () => true,
      connectionParams: { authorization: `Bearer ${key}` },
    }),
    connections: 0,
    received: [],
  };
  dashboard.client.on('connected', () => {
    dashboard.connections += 1;
  });
  dashboard.client.subscribe(
    { query: STATES },
    {
      next: (message) => dashboard.received.push(message.data),
      error: (error) => dashboard.received.push({ error: String(error) }),
      complete: () => undefined,
    },
  );
  return dashboard;
}

describe('1,000 dashboards over WebSocket', () => {
  let server: TestServer;
  let proxy: TcpProxy;
  const dashboards: Dashboard[] = [];

  const subscribers = () => server.server.services.live.subscriberCount();
  const everyoneHas = (count: number) =>
    dashboards.filter((d) => d.received.length === count).length;

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, [
      { id: 'edge-jetson-prod-001', tags: ['production'] },
    ]);
    proxy = await startTcpProxy(server.server.port);
    for (let i = 0; i < CLIENTS; i += 1) {
      dashboards.push(openDashboard(proxy.wsUrl('/graphql'), server.adminKey));
    }
    await vi.waitFor(() => expect(subscribers()).toBe(CLIENTS), {
      timeout: 60_000,
      interval: 50,
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(dashboards.map((d) => d.client.dispose()));
    await proxy.close();
    await server.close();
  });

  it('resubscribes every client after all connections drop at once', async () => {
    await server.request(
      'mutation { enterMaintenance(id: "edge-jetson-prod-001") { id } }',
    );
    await vi.waitFor(() => expect(everyoneHas(1)).toBe(CLIENTS), {
      timeout: 30_000,
      interval: 50,
    });

    proxy.dropAll();
    await vi.waitFor(
      () =>
        expect({
          reconnected: dashboards.filter((d) => d.connections === 2).length,
          subscribers: subscribers(),
        }).toEqual({ reconnected: CLIENTS, subscribers: CLIENTS }),
      { timeout: 60_000, interval: 50 },
    );

    await server.request(
      'mutation { exitMaintenance(id: "edge-jetson-prod-001") { id } }',
    );
    await vi.waitFor(() => expect(everyoneHas(2)).toBe(CLIENTS), {
      timeout: 30_000,
      interval: 50,
    });
    const distinct = new Set(dashboards.map((d) => JSON.stringify(d.received)));
    expect([...distinct].map((text) => JSON.parse(text))).toEqual([
      [
        {
          deviceStateChanged: {
            deviceId: 'edge-jetson-prod-001',
            from: 'HEALTHY',
            to: 'MAINTENANCE',
          },
        },
        {
          deviceStateChanged: {
            deviceId: 'edge-jetson-prod-001',
            from: 'MAINTENANCE',
            to: 'HEALTHY',
          },
        },
      ],
    ]);
  }, 180_000);
});

interface DeviceView {
  state: string;
  offlineTier: string | null;
  tags: string[];
  version: number;
}

const FLEET = `query {
  devices(first: 50, includeDecommissioned: true) {
    edges { node { id version status { state offlineTier } tags { key value } } }
  }
}`;
const ONE = `query ($id: ID!) {
  device(id: $id) { id version status { state offlineTier } tags { key value } }
}`;
const CHANGES = `query ($v: Int!) {
  changesSince(version: $v, first: 7) {
    changes { version deviceId kind payload } latestVersion hasMore
  }
}`;

interface DeviceNode {
  id: string;
  version: number;
  status: { state: string; offlineTier: string | null };
  tags: Array<{ key: string; value: string }>;
}

const view = (node: DeviceNode): DeviceView => ({
  state: node.status.state,
  offlineTier: node.status.offlineTier,
  tags: node.tags.map((t) => (t.value ? `${t.key}=${t.value}` : t.key)),
  version: node.version,
});

describe('a dashboard that missed events', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await insertLivenessDevices(
      server.database.pool,
      ['edge-a-001', 'edge-a-002', 'edge-a-003', 'edge-a-004'].map((id) => ({
        id,
        lastHeartbeatAt: server.clock.now(),
        tags: [['production', '']],
      })),
      server.clock.now(),
    );
  });
  afterAll(() => server.close());

  const fleet = async (): Promise<Record<string, DeviceView>> => {
    const result = await server.request<{
      devices: { edges: Array<{ node: DeviceNode }> };
    }>(FLEET);
    return Object.fromEntries(
      result.data!.devices.edges.map(({ node }) => [node.id, view(node)]),
    );
  };

  it('catches up through changesSince to exactly what a fresh query shows', async () => {
    const start = await server.request<{
      changesSince: { latestVersion: number };
    }>(CHANGES, { v: 0 });
    let version = start.data!.changesSince.latestVersion;
    const local = await fleet();

    // While the dashboard is away: every kind of recorded change.
    await registerActiveDevice(server, 'edge-b-001');
    await server.request(
      'mutation { tagDevices(where: "tag:production", tags: [{ key: "site", value: "factory-a" }]) { affectedCount } }',
    );
    await server.request(
      'mutation { enterMaintenance(id: "edge-a-002", reason: "fan") { id } }',
    );
    await server.request(
      HEARTBEAT,
      { input: { deviceId: 'edge-a-003', status: 'FAILED', sequence: 1 } },
      tokenOf('edge-a-003'),
    );
    await server.request(
      'mutation { decommissionDevice(id: "edge-a-002", reason: "retired") { revokedTokens } }',
    );
    server.clock.advance(200_000);
    await server.server.services.liveness.sweeper.runOnce();
    server.clock.advance(10 * 60_000);
    await server.server.services.liveness.sweeper.runOnce();

    // The dashboard comes back and replays, page by page.
    for (let hasMore = true; hasMore;) {
      const page = await server.request<{
        changesSince: {
          changes: Array<{
            version: number;
            deviceId: string;
            kind: string;
            payload: { to?: string | null };
          }>;
          latestVersion: number;
          hasMore: boolean;
        };
      }>(CHANGES, { v: version });
      const feed = page.data!.changesSince;
      for (const change of feed.changes) {
        const known = local[change.deviceId];
        if (known && change.kind === 'stateChanged') {
          known.state = String(change.payload.to).toUpperCase();
          known.version = change.version;
        } else if (known && change.kind === 'tierChanged') {
          known.offlineTier = change.payload.to
            ? change.payload.to.toUpperCase()
            : null;
          known.version = change.version;
        } else {
          const one = await server.request<{ device: DeviceNode }>(ONE, {
            id: change.deviceId,
          });
          local[change.deviceId] = view(one.data!.device);
        }
        version = change.version;
      }
      hasMore = feed.hasMore;
    }

    const fresh = await fleet();
    const offline = (tags: string[], version: number): DeviceView => ({
      state: 'OFFLINE',
      offlineTier: 'WARNING',
      tags,
      version,
    });
    const site = ['production', 'site=factory-a'];
    expect({ fresh, isCaughtUp: local }).toEqual({
      fresh: {
        'edge-a-001': offline(site, 17),
        'edge-a-002': {
          state: 'DECOMMISSIONED',
          offlineTier: null,
          tags: ['decommissioned=20260101t000000z', ...site],
          version: 12,
        },
        'edge-a-003': {
          state: 'FAILED',
          offlineTier: null,
          tags: site,
          // Its silence past the timeout (connectivity offline).
          version: 16,
        },
        'edge-a-004': offline(site, 18),
        'edge-b-001': offline(
          ['environment=production', 'gpu-capable', 'gpu-jetson-orin', ...site],
          19,
        ),
      },
      isCaughtUp: fresh,
    });
  });
});
