import { createClient } from 'graphql-ws';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signWebhook } from '../src/alerts/webhookDispatcher.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';

interface Received {
  body: string;
  signature: string | undefined;
}

describe('alerts and webhooks', () => {
  let server: TestServer;
  let receiver: Server;
  const received: Received[] = [];
  let answers: number[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: request.headers['x-rollcall-signature'] as
            string | undefined,
        });
        response.writeHead(answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) =>
      receiver.listen(0, '127.0.0.1', resolve),
    );
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    server = await startTestServer({
      config: {
        alerts: {
          webhook_urls: [url],
          webhook_secret: 'shh',
          webhook_backoff_seconds: 2,
          webhook_max_attempts: 3,
        },
      },
    });
    await insertLivenessDevices(
      server.database.pool,
      [{ id: 'al-1' }, { id: 'al-2' }],
      server.clock.now(),
    );
  });
  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('pushes a raised alert to alertRaised subscribers', async () => {
    const client = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${server.adminKey}` },
    });
    const subscription = client.iterate<{
      alertRaised: Record<string, unknown>;
    }>({
      query: 'subscription { alertRaised { deviceId kind cleared since } }',
    });
    const next = subscription.next();
    // The subscription is live once the server acknowledged it; a no-op
    // query on the same socket is answered only after that.
    await client.iterate({ query: '{ __typename }' }).next();
    const at = server.clock.advance(1000);

    await sendHeartbeat(server, { deviceId: 'al-1', status: 'FAILED' });

    expect((await next).value).toEqual({
      data: {
        alertRaised: {
          deviceId: 'al-1',
          kind: 'failed',
          cleared: false,
          since: at.toISOString(),
        },
      },
    });
    await subscription.return?.();
    await client.dispose();
  });

  it('lists alerts, active ones only on request', async () => {
    const all = await server.request(
      '{ alerts { totalCount edges { node { deviceId kind cleared } } } }',
    );
    const active = await server.request(
      '{ alerts(activeOnly: true) { totalCount } }',
    );

    expect(all.data).toEqual({
      alerts: {
        totalCount: 1,
        edges: [{ node: { deviceId: 'al-1', kind: 'failed', cleared: false } }],
      },
    });
    expect(active.data).toEqual({ alerts: { totalCount: 1 } });
  });

  it('signs each webhook and retries a failed delivery with exponential backoff', async () => {
    const dispatcher = server.server.services.liveness.webhooks;
    answers = [500, 503];

    const first = await dispatcher.runOnce();
    server.clock.advance(1999);
    const tooEarly = await dispatcher.runOnce();
    server.clock.advance(1);
    const second = await dispatcher.runOnce();
    server.clock.advance(3999);
    const stillWaiting = await dispatcher.runOnce();
    server.clock.advance(1);
    const third = await dispatcher.runOnce();

    expect([first, tooEarly, second, stillWaiting, third]).toEqual([
      { delivered: 0, failed: 1, abandoned: 0 },
      { delivered: 0, failed: 0, abandoned: 0 },
      { delivered: 0, failed: 1, abandoned: 0 },
      { delivered: 0, failed: 0, abandoned: 0 },
      { delivered: 1, failed: 0, abandoned: 0 },
    ]);
    expect(received).toHaveLength(3);
    for (const request of received) {
      expect(request.signature).toBe(signWebhook(request.body, 'shh'));
    }
    expect(JSON.parse(received[2]!.body)).toMatchObject({
      deviceId: 'al-1',
      kind: 'failed',
    });
    const { rows } = await server.database.pool.query(
      'SELECT attempts, last_error, delivered_at FROM webhook_deliveries',
    );
    expect(rows).toEqual([
      { attempts: 3, last_error: null, delivered_at: server.clock.now() },
    ]);
  });

  it('gives a delivery up after its last attempt', async () => {
    const dispatcher = server.server.services.liveness.webhooks;
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: 'al-2', status: 'FAILED' });
    answers = [500, 500, 500];

    const results = [];
    for (const wait of [0, 2000, 4000, 8000]) {
      server.clock.advance(wait);
      results.push(await dispatcher.runOnce());
    }

    expect(results).toEqual([
      { delivered: 0, failed: 1, abandoned: 0 },
      { delivered: 0, failed: 1, abandoned: 0 },
      { delivered: 0, failed: 0, abandoned: 1 },
      { delivered: 0, failed: 0, abandoned: 0 },
    ]);
  });

  it('clears a failed alert once an operator moved the device out of FAILED', async () => {
    await server.database.pool.query(
      `UPDATE device_status SET state = 'healthy' WHERE device_id = 'al-1'`,
    );

    await server.server.services.liveness.sweeper.runOnce();

    const { rows } = await server.database.pool.query(
      `SELECT device_id, cleared_at FROM alerts WHERE kind = 'failed' ORDER BY device_id`,
    );
    expect(rows).toEqual([
      { device_id: 'al-1', cleared_at: server.clock.now() },
      { device_id: 'al-2', cleared_at: null },
    ]);
  });
});
