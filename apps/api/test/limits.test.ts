import { CloseCode, TerminatedCloseEvent } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SLOW_CONSUMER_CLOSE_CODE } from '../src/server/slowConsumer.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';
import { collect, connect } from './support/wsClient.ts';

function errorsOf(result: {
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}) {
  return result.errors?.map((error) => ({
    message: error.message,
    extensions: error.extensions,
  }));
}

describe('operation limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      config: { server: { max_query_depth: 4, max_query_cost: 100 } },
    });
  });
  afterAll(() => server.close());

  it('refuses an operation nested deeper than max_query_depth with QUERY_TOO_DEEP', async () => {
    const result = await server.request(
      '{ groups { members { edges { node { id } } } } }',
    );
    expect([result.status, errorsOf(result)]).toEqual([
      400,
      [
        {
          message: 'The operation is nested 5 levels deep; the limit is 4',
          extensions: { code: 'QUERY_TOO_DEEP', depth: 5, maxDepth: 4 },
        },
      ],
    ]);
  });

  it('refuses an operation costing more than max_query_cost with QUERY_TOO_COSTLY', async () => {
    const result = await server.request(
      '{ devices(first: 40) { edges { node { id } } } }',
    );
    expect([result.status, errorsOf(result)]).toEqual([
      400,
      [
        {
          message:
            'The operation would select up to 121 fields; the limit is 100',
          extensions: { code: 'QUERY_TOO_COSTLY', cost: 121, maxCost: 100 },
        },
      ],
    ]);
  });

  it('prices a page size passed as a variable at the value sent', async () => {
    const query =
      'query ($n: Int) { devices(first: $n) { edges { node { id } } } }';
    const cheap = await server.request(query, { n: 10 });
    const costly = await server.request(query, { n: 400 });
    expect([cheap.errors, errorsOf(costly)]).toEqual([
      undefined,
      [
        {
          message:
            'The operation would select up to 1201 fields; the limit is 100',
          extensions: { code: 'QUERY_TOO_COSTLY', cost: 1201, maxCost: 100 },
        },
      ],
    ]);
  });

  it('lets introspection through, which tools need', async () => {
    const result = await server.request(
      '{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }',
    );
    expect([result.status, result.errors]).toEqual([200, undefined]);
  });

  it('answers wrong argument types and unknown enum values with a typed error', async () => {
    const wrongType = await server.request(
      '{ devices(first: "ten") { totalCount } }',
    );
    const unknownEnum = await server.request(
      'mutation { createGroup(input: { name: "x", membership: SOMETIMES }) { name } }',
    );
    expect([
      wrongType.errors?.[0]?.extensions?.code,
      unknownEnum.errors?.[0]?.extensions?.code,
    ]).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('internal errors', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('masks an unexpected failure outside development', async () => {
    await server.database.pool.query(
      'ALTER TABLE groups RENAME TO groups_hidden',
    );
    const result = await server.request('{ groups { name } }');
    await server.database.pool.query(
      'ALTER TABLE groups_hidden RENAME TO groups',
    );
    expect([result.status, result.data, errorsOf(result)]).toEqual([
      200,
      null,
      [
        {
          message: 'Internal server error',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    ]);
  });
});

describe('slow WebSocket consumers', () => {
  let server: TestServer;
  const EVENTS = 400;

  it('closes with a private-use code that no graphql-ws code, its client-side Terminated included, uses', () => {
    const graphqlWsCodes = [
      ...Object.values(CloseCode).filter((code) => typeof code === 'number'),
      new TerminatedCloseEvent().code,
    ];
    const isPrivateUse = (code: number) => code >= 4000 && code <= 4999;

    expect({
      code: SLOW_CONSUMER_CLOSE_CODE,
      isPrivateUse: isPrivateUse(SLOW_CONSUMER_CLOSE_CODE),
      collides: graphqlWsCodes.includes(SLOW_CONSUMER_CLOSE_CODE),
    }).toEqual({
      code: 4413,
      isPrivateUse: true,
      collides: false,
    });
  });

  beforeAll(async () => {
    server = await startTestServer({
      config: { server: { ws_max_buffered_bytes: 65_536 } },
    });
    await insertDevices(server.database.pool, [
      { id: 'edge-jetson-prod-001', tags: ['production'] },
    ]);
    // A large metrics block makes each message about 16 KB, so the unread
    // backlog outgrows the kernel's socket buffers quickly.
    await server.database.pool.query(
      `UPDATE device_status SET metrics = $1 WHERE device_id = 'edge-jetson-prod-001'`,
      [JSON.stringify({ note: 'x'.repeat(16_000) })],
    );
  });
  afterAll(() => server.close());

  it('closes a client that stops reading with 4413 while others get every event', async () => {
    const query = `subscription { heartbeatReceived { deviceId status at device { id status { metrics } } } }`;
    const fastClient = connect(server.wsUrl, server.adminKey);
    const fast = collect(fastClient, query);

    const slow = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    const acknowledged = new Promise<void>((resolve) => {
      slow.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'connection_ack') resolve();
      });
    });
    await new Promise((resolve) => slow.once('open', resolve));
    slow.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${server.adminKey}` },
      }),
    );
    await acknowledged;
    slow.send(
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }),
    );
    while (server.server.services.live.subscriberCount() < 2) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    slow.pause();

    for (let start = 0; start < EVENTS; start += 100) {
      await server.server.services.events.publish(
        server.database.pool,
        Array.from({ length: 100 }, (_, i) => ({
          kind: 'heartbeat' as const,
          deviceId: 'edge-jetson-prod-001',
          status: 'healthy',
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, start + i)).toISOString(),
        })),
      );
    }
    let received = 0;
    while (received < EVENTS) {
      await fast.next();
      received += 1;
    }
    const closed = new Promise<number>((resolve) =>
      slow.once('close', (code) => resolve(code)),
    );
    slow.resume();
    const code = await closed;
    fast.dispose();
    await fastClient.dispose();
    expect([received, code]).toEqual([EVENTS, 4413]);
  }, 60_000);
});
