import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
  tokenOf,
} from './support/livenessFixtures.ts';

const STATES = 'subscription { deviceStateChanged { deviceId to } }';
const REVOKED = { code: 4401, reason: 'credential revoked' };

interface Close {
  code: number;
  reason: string;
}

/** A graphql-ws connection whose close and first outcome are awaitable. */
interface Socket {
  client: Client;
  /** Resolves with the close code and reason when the socket closes. */
  closed: Promise<Close>;
  /** 'connected' once acknowledged, or the close that came first. */
  outcome: Promise<'connected' | Close>;
}

function openSocket(wsUrl: string, token: string): Socket {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    // A refused or closed connection is what these tests expect.
    onNonLazyError: () => undefined,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const closed = new Promise<Close>((resolve) =>
    client.on('closed', (event) => {
      const { code, reason } = event as Close;
      resolve({ code, reason });
    }),
  );
  const connected = new Promise<'connected'>((resolve) =>
    client.on('connected', () => resolve('connected')),
  );
  return { client, closed, outcome: Promise.race([connected, closed]) };
}

/** Every message of one subscription, in arrival order. */
function record(client: Client, query: string) {
  const messages: unknown[] = [];
  let first: (value: unknown) => void = () => undefined;
  const firstMessage = new Promise<unknown>((resolve) => {
    first = resolve;
  });
  client.subscribe(
    { query },
    {
      next: (message) => {
        messages.push(message.data ?? { errors: message.errors });
        first(message.data);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return { messages, firstMessage };
}

describe('revoked credentials on open WebSockets', () => {
  let first: TestServer;
  let second: TestServer;
  const sockets: Socket[] = [];

  const open = (server: TestServer, token: string) => {
    const socket = openSocket(server.wsUrl, token);
    sockets.push(socket);
    return socket;
  };

  async function createViewerKey(name: string) {
    const result = await first.request<{
      createApiKey: { key: string; apiKey: { id: string } };
    }>(
      `mutation ($name: String!) {
        createApiKey(name: $name, role: VIEWER) { key apiKey { id } }
      }`,
      { name },
    );
    return result.data!.createApiKey;
  }

  async function revokeKey(server: TestServer, id: string) {
    const result = await server.request(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id },
    );
    expect(result.errors).toBeUndefined();
  }

  async function subscribed(server: TestServer, count: number) {
    await vi.waitFor(() =>
      expect(server.server.services.live.subscriberCount()).toBe(count),
    );
  }

  beforeAll(async () => {
    first = await startTestServer();
    second = await startTestServer({
      database: first.database,
      clock: first.clock,
    });
    await insertLivenessDevices(
      first.database.pool,
      ['edge-rev-001', 'edge-rev-002', 'edge-rev-003', 'edge-rev-004'].map(
        (id) => ({ id }),
      ),
      first.clock.now(),
    );
  });
  afterAll(async () => {
    for (const socket of sockets) await socket.client.dispose();
    await second.close();
    await first.close();
  });

  it('closes the socket of a revoked API key with 4401 before the next event, while another key keeps receiving', async () => {
    const revoked = await createViewerKey('qa-rev');
    const kept = await createViewerKey('qa-keep');
    const revokedSocket = open(first, revoked.key);
    const keptSocket = open(first, kept.key);
    const fromRevoked = record(revokedSocket.client, STATES);
    const fromKept = record(keptSocket.client, STATES);
    await subscribed(first, 2);

    await revokeKey(first, revoked.apiKey.id);
    const close = await revokedSocket.closed;
    await subscribed(first, 1);
    await sendHeartbeat(first, {
      deviceId: 'edge-rev-001',
      status: 'DEGRADED',
      degradationReason: 'hot',
    });

    expect([close, await fromKept.firstMessage, fromRevoked.messages]).toEqual([
      REVOKED,
      { deviceStateChanged: { deviceId: 'edge-rev-001', to: 'DEGRADED' } },
      [],
    ]);
  });

  it('closes the socket in another process that shares the database', async () => {
    const revoked = await createViewerKey('qa-rev-elsewhere');
    const socket = open(second, revoked.key);
    const fromRevoked = record(socket.client, STATES);
    await subscribed(second, 1);

    await revokeKey(first, revoked.apiKey.id);
    const close = await socket.closed;
    await subscribed(second, 0);

    expect([close, fromRevoked.messages]).toEqual([REVOKED, []]);
  });

  it('closes the socket of a device whose token is rotated, and its new token connects', async () => {
    const socket = open(second, tokenOf('edge-rev-002'));
    expect(await socket.outcome).toBe('connected');

    const rotated = await first.request<{
      rotateDeviceToken: { token: string };
    }>('mutation { rotateDeviceToken(deviceId: "edge-rev-002") { token } }');
    const close = await socket.closed;
    const fresh = open(second, rotated.data!.rotateDeviceToken.token);

    expect([close, await fresh.outcome]).toEqual([REVOKED, 'connected']);
  });

  it('closes the socket of a decommissioned device', async () => {
    const socket = open(second, tokenOf('edge-rev-003'));
    expect(await socket.outcome).toBe('connected');

    const result = await first.request(
      'mutation { decommissionDevice(id: "edge-rev-003", force: true) { revokedTokens } }',
    );

    expect([result.data, await socket.closed]).toEqual([
      { decommissionDevice: { revokedTokens: 1 } },
      REVOKED,
    ]);
  });

  it('refuses a socket for a rotated token even while the token is cached', async () => {
    const old = tokenOf('edge-rev-004');
    const heard = new Promise<void>((resolve) => {
      const off = first.server.services.events.subscribe(
        ['credentialRevoked'],
        () => {
          off();
          resolve();
        },
      );
    });
    const me = await first.request('{ me { deviceId } }', {}, old);

    await first.request(
      'mutation { rotateDeviceToken(deviceId: "edge-rev-004") { token } }',
    );
    await heard;
    const socket = open(first, old);

    expect([me.data, await socket.outcome]).toEqual([
      { me: { deviceId: 'edge-rev-004' } },
      { code: 4403, reason: 'Forbidden' },
    ]);
  });
});
