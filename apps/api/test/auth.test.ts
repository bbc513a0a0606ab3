import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { deviceToken, insertDevices } from './support/deviceFixtures.ts';
import { capturedLogger } from './support/capturedLog.ts';

const CREATE_KEY = /* GraphQL */ `
  mutation ($name: String!, $role: OperatorRole!) {
    createApiKey(name: $name, role: $role) {
      key
      apiKey {
        name
        role
        prefix
        createdAt
        createdBy
        revokedAt
      }
    }
  }
`;
const ME = '{ me { kind name role deviceId } }';

function codes(result: { errors?: Array<{ extensions?: { code?: string } }> }) {
  return result.errors?.map((error) => error.extensions?.code);
}

describe('auth management', () => {
  let server: TestServer;
  const log = capturedLogger('trace');
  const logLines = log.lines;

  async function createKey(name: string, role: string): Promise<string> {
    const result = await server.request<{ createApiKey: { key: string } }>(
      CREATE_KEY,
      { name, role },
    );
    return result.data!.createApiKey.key;
  }

  beforeAll(async () => {
    server = await startTestServer({ logger: log.logger });
    await insertDevices(server.database.pool, [
      { id: 'edge-jetson-prod-001' },
      { id: 'edge-jetson-prod-009', state: 'decommissioned' },
    ]);
  });
  afterAll(() => server.close());

  it('tells each caller who it is', async () => {
    const token = await deviceToken(
      server.database.pool,
      'edge-jetson-prod-001',
    );
    expect([
      (await server.request(ME, {}, null)).data,
      (await server.request(ME)).data,
      (await server.request(ME, {}, token)).data,
    ]).toEqual([
      { me: { kind: 'ANONYMOUS', name: null, role: null, deviceId: null } },
      {
        me: {
          kind: 'OPERATOR',
          name: 'bootstrap-admin',
          role: 'ADMIN',
          deviceId: null,
        },
      },
      {
        me: {
          kind: 'DEVICE',
          name: null,
          role: null,
          deviceId: 'edge-jetson-prod-001',
        },
      },
    ]);
  });

  it('reads a secret stored as both a key and a device token as the operator key', async () => {
    const key = await createKey('shared-hash', 'VIEWER');
    await server.database.pool.query(
      `INSERT INTO device_tokens (id, device_id, token_hash)
       SELECT gen_random_uuid(), 'edge-jetson-prod-001', key_hash
       FROM api_keys WHERE name = 'shared-hash'`,
    );

    expect((await server.request(ME, {}, key)).data).toEqual({
      me: {
        kind: 'OPERATOR',
        name: 'shared-hash',
        role: 'VIEWER',
        deviceId: null,
      },
    });
  });

  it('creates a key, shows its secret once and lists it without the secret', async () => {
    const created = await server.request<{
      createApiKey: { key: string; apiKey: Record<string, unknown> };
    }>(CREATE_KEY, { name: 'ci-reader', role: 'VIEWER' });
    const key = created.data!.createApiKey.key;
    expect(key).toMatch(/^rc_key_[A-Za-z0-9_-]{43}$/);
    expect(created.data!.createApiKey.apiKey).toEqual({
      name: 'ci-reader',
      role: 'VIEWER',
      prefix: key.slice(0, 10),
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: 'operator:bootstrap-admin',
      revokedAt: null,
    });

    const listed = await server.request<{ apiKeys: Array<{ name: string }> }>(
      '{ apiKeys { name role prefix } }',
    );
    expect(listed.data!.apiKeys).toContainEqual({
      name: 'ci-reader',
      role: 'VIEWER',
      prefix: key.slice(0, 10),
    });
    expect(JSON.stringify(listed)).not.toContain(key);
    expect((await server.request(ME, {}, key)).data).toEqual({
      me: {
        kind: 'OPERATOR',
        name: 'ci-reader',
        role: 'VIEWER',
        deviceId: null,
      },
    });
  });

  it('refuses key management to a viewer with FORBIDDEN', async () => {
    const viewer = await createKey('viewer-1', 'VIEWER');
    const result = await server.request(
      CREATE_KEY,
      { name: 'x', role: 'ADMIN' },
      viewer,
    );
    expect({ data: result.data, codes: codes(result) }).toEqual({
      data: null,
      codes: ['FORBIDDEN'],
    });
  });

  it('rejects a blank or oversized key name with BAD_USER_INPUT and writes nothing', async () => {
    const before = await server.database.pool.query(
      'SELECT count(*)::int AS n FROM api_keys',
    );
    const blank = await server.request(CREATE_KEY, {
      name: '  ',
      role: 'VIEWER',
    });
    const huge = await server.request(CREATE_KEY, {
      name: 'k'.repeat(129),
      role: 'VIEWER',
    });
    const hidden = await server.request(CREATE_KEY, {
      name: 'a\u200Bb',
      role: 'VIEWER',
    });
    const after = await server.database.pool.query(
      'SELECT count(*)::int AS n FROM api_keys',
    );
    expect([codes(blank), codes(huge), codes(hidden), after.rows[0].n]).toEqual(
      [
        ['BAD_USER_INPUT'],
        ['BAD_USER_INPUT'],
        ['BAD_USER_INPUT'],
        before.rows[0].n,
      ],
    );
  });

  it('revokes a key so that its next request fails with UNAUTHENTICATED', async () => {
    const key = await createKey('short-lived', 'OPERATOR');
    const id = (
      await server.database.pool.query<{ id: string }>(
        `SELECT id FROM api_keys WHERE name = 'short-lived'`,
      )
    ).rows[0]!.id;

    const revoked = await server.request(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { name revokedAt } }',
      { id },
    );
    const after = await server.request(ME, {}, key);
    expect([revoked.data, after.status, codes(after)]).toEqual([
      {
        revokeApiKey: {
          name: 'short-lived',
          revokedAt: '2026-01-01T00:00:00.000Z',
        },
      },
      401,
      ['UNAUTHENTICATED'],
    ]);
  });

  it('refuses to revoke the last admin key with CONFLICT', async () => {
    const { rows } = await server.database.pool.query<{ id: string }>(
      `SELECT id FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL`,
    );
    const result = await server.request(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: rows[0]!.id },
    );
    expect([rows.length, codes(result)]).toEqual([1, ['CONFLICT']]);
  });

  it('answers NOT_FOUND for an unknown key id', async () => {
    const result = await server.request(
      'mutation { revokeApiKey(id: "not-a-uuid") { id } }',
    );
    expect(result.errors?.[0]?.extensions).toEqual({
      code: 'NOT_FOUND',
      kind: 'API key',
      id: 'not-a-uuid',
    });
  });

  it('rotates a device token: the new one works and the old one fails at once', async () => {
    const old = await deviceToken(server.database.pool, 'edge-jetson-prod-001');
    const rotated = await server.request<{
      rotateDeviceToken: { deviceId: string; token: string };
    }>(
      'mutation { rotateDeviceToken(deviceId: "edge-jetson-prod-001") { deviceId token } }',
    );
    const fresh = rotated.data!.rotateDeviceToken.token;
    const withOld = await server.request(ME, {}, old);
    const withNew = await server.request(ME, {}, fresh);
    expect([
      rotated.data!.rotateDeviceToken.deviceId,
      fresh.startsWith('rc_dev_'),
      codes(withOld),
      withNew.data,
    ]).toEqual([
      'edge-jetson-prod-001',
      true,
      ['UNAUTHENTICATED'],
      {
        me: {
          kind: 'DEVICE',
          name: null,
          role: null,
          deviceId: 'edge-jetson-prod-001',
        },
      },
    ]);
  });

  it('refuses token rotation for unknown and decommissioned devices', async () => {
    const unknown = await server.request(
      'mutation { rotateDeviceToken(deviceId: "edge-nope-prod-001") { token } }',
    );
    const retired = await server.request(
      'mutation { rotateDeviceToken(deviceId: "edge-jetson-prod-009") { token } }',
    );
    expect([codes(unknown), codes(retired)]).toEqual([
      ['NOT_FOUND'],
      ['DEVICE_DECOMMISSIONED'],
    ]);
  });

  it('writes no token or key to the log, even at trace level', async () => {
    const secrets = (
      await server.database.pool.query<{ prefix: string }>(
        'SELECT prefix FROM api_keys',
      )
    ).rows.map((row) => row.prefix);
    const leaked = logLines.filter(
      (line) =>
        line.includes(server.adminKey) ||
        line.includes('rc_dev_') ||
        secrets.some((prefix) => line.includes(prefix)),
    );
    expect([logLines.length > 0, leaked]).toEqual([true, []]);
  });
});

describe('API key rate limit', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      config: { auth: { rate_limit_per_minute: 3 } },
    });
  });
  afterAll(() => server.close());

  it('answers RATE_LIMITED with a retry time past the limit, and recovers', async () => {
    const allowed = [];
    for (let i = 0; i < 3; i += 1) {
      allowed.push((await server.request('{ health { ok } }')).status);
    }
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${server.adminKey}`,
      },
      body: JSON.stringify({ query: '{ health { ok } }' }),
    });
    const limited = (await response.json()) as { errors: unknown[] };
    server.clock.advance(20_000);
    const later = await server.request('{ health { ok } }');

    expect([
      allowed,
      response.status,
      response.headers.get('retry-after'),
      limited.errors,
      later.data,
    ]).toEqual([
      [200, 200, 200],
      429,
      '20',
      [
        {
          message: 'Too many requests for this API key; retry in 20 s',
          extensions: {
            code: 'RATE_LIMITED',
            retryable: true,
            retryAfterSeconds: 20,
          },
        },
      ],
      { health: { ok: true } },
    ]);
  });
});
