import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  HEARTBEAT,
  REGISTER,
  codesOf,
  minimalDevice,
  registerActiveDevice,
  rowCounts,
} from './support/reliabilityFixtures.ts';

const BATCH = `mutation ($inputs: [HeartbeatInput!]!) {
  heartbeatBatch(inputs: $inputs) { deviceId ack { accepted } error { code } }
}`;
const beat = (deviceId: string, sequence: number) => ({
  input: { deviceId, status: 'HEALTHY', sequence },
});

describe('credentials', () => {
  let server: TestServer;
  let own: { id: string; token: string };
  let other: { id: string; token: string };
  let viewerKey: string;

  beforeAll(async () => {
    server = await startTestServer();
    own = await registerActiveDevice(server, 'edge-own-001');
    other = await registerActiveDevice(server, 'edge-other-001');
    const created = await server.request<{ createApiKey: { key: string } }>(
      'mutation { createApiKey(name: "wall-screen", role: VIEWER) { key } }',
    );
    viewerKey = created.data!.createApiKey.key;
  });
  afterAll(() => server.close());

  const refusedWithoutWrites = async (
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ) => {
    const before = await rowCounts(server.database.pool);
    const result = await server.request(query, variables, token);
    return {
      codes: codesOf(result),
      data: result.data ?? null,
      isUnchanged:
        JSON.stringify(await rowCounts(server.database.pool)) ===
        JSON.stringify(before),
    };
  };

  it("refuses a device token for another device's heartbeat and writes nothing", async () => {
    expect(
      await refusedWithoutWrites(HEARTBEAT, beat(other.id, 1), own.token),
    ).toEqual({ codes: ['FORBIDDEN'], data: null, isUnchanged: true });
  });

  it('refuses a device token every operator read and write', async () => {
    const reads = await server.request(
      '{ devices { totalCount } }',
      {},
      own.token,
    );
    const writes = await refusedWithoutWrites(
      REGISTER,
      { input: minimalDevice({ id: 'edge-sneaky-001' }) },
      own.token,
    );
    expect([codesOf(reads), writes]).toEqual([
      ['FORBIDDEN'],
      { codes: ['FORBIDDEN'], data: null, isUnchanged: true },
    ]);
  });

  it('lets a device that is no gateway batch only its own heartbeats', async () => {
    const result = await server.request(
      BATCH,
      {
        inputs: [
          { deviceId: own.id, status: 'HEALTHY', sequence: 5 },
          { deviceId: other.id, status: 'HEALTHY', sequence: 5 },
        ],
      },
      own.token,
    );
    expect(result.data).toEqual({
      heartbeatBatch: [
        { deviceId: own.id, ack: { accepted: true }, error: null },
        { deviceId: other.id, ack: null, error: { code: 'FORBIDDEN' } },
      ],
    });
  });

  it('refuses a rotated token at once, even right after it was used', async () => {
    const warm = await server.request(HEARTBEAT, beat(own.id, 10), own.token);
    const rotated = await server.request<{
      rotateDeviceToken: { token: string };
    }>(`mutation { rotateDeviceToken(deviceId: "${own.id}") { token } }`);
    const stale = await refusedWithoutWrites(
      HEARTBEAT,
      beat(own.id, 11),
      own.token,
    );
    const fresh = await server.request(
      HEARTBEAT,
      beat(own.id, 12),
      rotated.data!.rotateDeviceToken.token,
    );
    own = { id: own.id, token: rotated.data!.rotateDeviceToken.token };
    expect([codesOf(warm), stale, codesOf(fresh)]).toEqual([
      [],
      { codes: ['UNAUTHENTICATED'], data: null, isUnchanged: true },
      [],
    ]);
  });

  it("refuses a decommissioned device's token at once", async () => {
    await server.request(HEARTBEAT, beat(other.id, 1), other.token);
    await server.request(
      `mutation { decommissionDevice(id: "${other.id}", force: true) { revokedTokens } }`,
    );
    const stale = await refusedWithoutWrites(
      HEARTBEAT,
      beat(other.id, 2),
      other.token,
    );
    expect(stale).toEqual({
      codes: ['UNAUTHENTICATED'],
      data: null,
      isUnchanged: true,
    });
  });

  it('refuses writes to a viewer key and writes nothing', async () => {
    const attempts = [
      await refusedWithoutWrites(
        REGISTER,
        { input: minimalDevice({ id: 'edge-viewer-001' }) },
        viewerKey,
      ),
      await refusedWithoutWrites(
        `mutation { enterMaintenance(id: "${own.id}") { id } }`,
        {},
        viewerKey,
      ),
      await refusedWithoutWrites(
        BATCH,
        { inputs: [beat(own.id, 99).input] },
        viewerKey,
      ),
      await refusedWithoutWrites(
        'mutation { createApiKey(name: "escalate", role: ADMIN) { key } }',
        {},
        viewerKey,
      ),
    ];
    const refused = { codes: ['FORBIDDEN'], data: null, isUnchanged: true };
    expect(attempts).toEqual([refused, refused, refused, refused]);
  });

  it('refuses a revoked API key at once', async () => {
    const created = await server.request<{
      createApiKey: { key: string; apiKey: { id: string } };
    }>(
      'mutation { createApiKey(name: "temp", role: OPERATOR) { key apiKey { id } } }',
    );
    const { key, apiKey } = created.data!.createApiKey;
    const before = await server.request('{ me { kind } }', {}, key);
    await server.request(
      `mutation { revokeApiKey(id: "${apiKey.id}") { id } }`,
    );
    const after = await server.request('{ devices { totalCount } }', {}, key);
    expect([before.data, codesOf(after)]).toEqual([
      { me: { kind: 'OPERATOR' } },
      ['UNAUTHENTICATED'],
    ]);
  });
});

describe('rate limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      config: {
        heartbeat: { rate_limit_per_minute: 3 },
        auth: { rate_limit_per_minute: 20 },
      },
    });
  });
  afterAll(() => server.close());

  it('limits heartbeats per device with a retryable code, leaving other devices alone', async () => {
    const a = await registerActiveDevice(server, 'edge-rate-001');
    const b = await registerActiveDevice(server, 'edge-rate-002');
    const answers: Array<string | { code: unknown; retryable: unknown }> = [];
    for (let i = 1; i <= 4; i += 1) {
      const result = await server.request(HEARTBEAT, beat(a.id, i), a.token);
      const extensions = result.errors?.[0]?.extensions;
      answers.push(
        extensions
          ? { code: extensions.code, retryable: extensions.retryable }
          : 'ok',
      );
    }
    const neighbour = await server.request(HEARTBEAT, beat(b.id, 1), b.token);
    expect({
      answers,
      neighbour: codesOf(neighbour),
    }).toEqual({
      answers: ['ok', 'ok', 'ok', { code: 'RATE_LIMITED', retryable: true }],
      neighbour: [],
    });
  });

  it('limits queries per key with a retryable code, leaving other keys alone', async () => {
    const created = await server.request<{ createApiKey: { key: string } }>(
      'mutation { createApiKey(name: "busy", role: VIEWER) { key } }',
    );
    const busy = created.data!.createApiKey.key;
    const codes: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      const result = await server.request('{ me { kind } }', {}, busy);
      codes.push(result.errors?.[0]?.extensions?.code ?? 'ok');
    }
    const limited = await server.request('{ me { kind } }', {}, busy);
    const other = await server.request('{ me { kind } }', {}, server.adminKey);
    server.clock.advance(60_000);
    const later = await server.request('{ me { kind } }', {}, busy);
    expect({
      firstRefusal: codes.indexOf('RATE_LIMITED'),
      retryable: limited.errors?.[0]?.extensions?.retryable,
      other: codesOf(other),
      later: codesOf(later),
    }).toEqual({ firstRefusal: 20, retryable: true, other: [], later: [] });
  });
});
