import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embeddedPostgres.ts';
import {
  startTestServer,
  testLogger,
  type TestServer,
} from '../src/testing/index.ts';
import {
  HEARTBEAT,
  REGISTER,
  minimalDevice,
} from './support/reliabilityFixtures.ts';
import { collect, connect } from './support/wsClient.ts';
import { capturedLogger } from './support/capturedLog.ts';

const QUERY = encodeURIComponent('{ health { ok } }');

describe('CSRF prevention', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const send = async (init: RequestInit, search = '') => {
    const response = await fetch(`${server.graphqlUrl}${search}`, init);
    return response.status;
  };

  it('answers a body that is not JSON, and a batch of operations, with 400 BAD_REQUEST', async () => {
    const answer = async (body: string) => {
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const json = (await response.json()) as {
        errors: Array<{ extensions: { code: string } }>;
      };
      return {
        status: response.status,
        codes: json.errors.map((e) => e.extensions.code),
      };
    };
    const one = JSON.stringify({ query: '{ health { ok } }' });
    expect({
      notJson: await answer('{"query": '),
      batch: await answer(`[${one}, ${one}]`),
    }).toEqual({
      notJson: { status: 400, codes: ['BAD_REQUEST'] },
      batch: { status: 400, codes: ['BAD_REQUEST'] },
    });
  });

  it('refuses requests a browser sends cross-site without a preflight', async () => {
    const body = JSON.stringify({ query: '{ health { ok } }' });
    expect({
      get: await send({ method: 'GET' }, `?query=${QUERY}`),
      textPlain: await send({
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body,
      }),
      form: await send({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `query=${QUERY}`,
      }),
    }).toEqual({ get: 400, textPlain: 400, form: 400 });
  });

  it('answers a GET that carries the preflight header, and never runs a mutation over GET', async () => {
    const headers = { 'apollo-require-preflight': 'true' };
    const mutation = encodeURIComponent(
      'mutation { createApiKey(name: "via-get", role: ADMIN) { key } }',
    );
    expect({
      query: await send({ method: 'GET', headers }, `?query=${QUERY}`),
      mutation: await send(
        {
          method: 'GET',
          headers: { ...headers, authorization: `Bearer ${server.adminKey}` },
        },
        `?query=${mutation}`,
      ),
    }).toEqual({ query: 200, mutation: 405 });
  });
});

describe('CORS', () => {
  const preflight = async (server: TestServer, origin: string) => {
    const response = await fetch(server.graphqlUrl, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    return {
      status: response.status,
      origin: response.headers.get('access-control-allow-origin'),
    };
  };

  it('allows no origin by default', async () => {
    const server = await startTestServer();
    const answer = await preflight(server, 'https://dashboard.example');
    await server.close();
    expect(answer).toEqual({ status: 204, origin: null });
  });

  it('allows exactly the configured origins', async () => {
    const server = await startTestServer({
      config: { server: { cors_origins: ['https://dashboard.example'] } },
    });
    const answers = [
      await preflight(server, 'https://dashboard.example'),
      await preflight(server, 'https://evil.example'),
    ];
    await server.close();
    expect(answers).toEqual([
      { status: 204, origin: 'https://dashboard.example' },
      { status: 204, origin: null },
    ]);
  });
});

describe('the log', () => {
  it('carries no token or key at trace level through registration, heartbeats, keys and subscriptions', async () => {
    const { logger, lines } = capturedLogger('trace');
    const server = await startTestServer({ logger });
    const secrets = [server.adminKey, 'rc_key_not_a_real_key_0000000000'];

    const registered = await server.request<{
      registerDevice: { deviceToken: string };
    }>(REGISTER, { input: minimalDevice({ id: 'edge-log-001' }) });
    const token = registered.data!.registerDevice.deviceToken;
    secrets.push(token);
    await server.request(
      'mutation { activateDevice(id: "edge-log-001") { id } }',
    );
    await server.request(
      HEARTBEAT,
      { input: { deviceId: 'edge-log-001', status: 'HEALTHY', sequence: 1 } },
      token,
    );
    const rotated = await server.request<{
      rotateDeviceToken: { token: string };
    }>('mutation { rotateDeviceToken(deviceId: "edge-log-001") { token } }');
    secrets.push(rotated.data!.rotateDeviceToken.token);
    await server.request(
      HEARTBEAT,
      { input: { deviceId: 'edge-log-001', status: 'HEALTHY', sequence: 2 } },
      token,
    );
    const created = await server.request<{ createApiKey: { key: string } }>(
      'mutation { createApiKey(name: "ops", role: OPERATOR) { key } }',
    );
    secrets.push(created.data!.createApiKey.key);
    await server.request('{ me { kind } }', {}, secrets[1]!);
    // A refused heartbeat: the input error path runs with the token in hand.
    await server.request(
      HEARTBEAT,
      {
        input: {
          deviceId: 'edge-log-001',
          status: 'HEALTHY',
          software: { os: 'x\u0000' },
        },
      },
      rotated.data!.rotateDeviceToken.token,
    );

    const client = connect(server.wsUrl, created.data!.createApiKey.key);
    const stream = collect(
      client,
      'subscription { heartbeatReceived { deviceId } }',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    stream.dispose();
    await client.dispose();
    await server.close();

    const leaks = secrets.flatMap((secret) =>
      lines
        .filter((line) => line.includes(secret))
        .map(() => secret.slice(0, 10)),
    );
    const messages = lines.map(
      (line) => (JSON.parse(line) as { msg: string }).msg,
    );
    expect({
      logged: ['device state changed'].filter((m) => messages.includes(m)),
      leaks,
    }).toEqual({
      logged: ['device state changed'],
      leaks: [],
    });
  });
});

describe('file permissions', () => {
  const root = mkdtempSync(join(tmpdir(), 'rollcall-perms-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

  it('keeps the data directory, cluster, its config and the lock private', async () => {
    // As root the server runs as `postgres`, which must reach the parent.
    chmodSync(root, 0o755);
    const existing = join(root, 'existing');
    mkdirSync(existing, { mode: 0o755 });
    const results = [];
    for (const requested of [join(root, 'fresh'), existing]) {
      const postgres = await startEmbeddedPostgres({
        dataDir: requested,
        logger: testLogger(),
        ephemeral: true,
      });
      const { dataDir } = postgres;
      results.push({
        dataDir: modeOf(dataDir),
        cluster: modeOf(join(dataDir, 'pg')),
        config: modeOf(join(dataDir, 'pg', 'postgresql.auto.conf')),
        lock: modeOf(join(dataDir, 'rollcall.lock')),
      });
      await postgres.stop();
      if (dataDir !== requested)
        rmSync(dataDir, { recursive: true, force: true });
    }
    const private_ = {
      dataDir: '700',
      cluster: '700',
      config: '600',
      lock: '600',
    };
    expect(results).toEqual([private_, private_]);
  }, 60_000);
});
