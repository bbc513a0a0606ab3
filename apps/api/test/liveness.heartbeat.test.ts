import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  HEARTBEAT_BATCH,
  insertLivenessDevices,
  sendHeartbeat,
  statusOf,
  tokenOf,
  transitionsOf,
} from './support/livenessFixtures.ts';

describe('heartbeat mutation', () => {
  let server: TestServer;
  let seq = 0;
  const id = () => `hb-${++seq}`;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.clock.advance(1000);
  });

  it('answers the device with its state after the heartbeat committed', async () => {
    const device = id();
    const now = server.clock.now();
    await insertLivenessDevices(
      server.database.pool,
      [
        {
          id: device,
          state: 'offline',
          lastKnownState: 'healthy',
          offlineSince: now,
          dueAt: null,
        },
      ],
      now,
    );

    const result = await sendHeartbeat(server, {
      deviceId: device,
      sequence: 1,
      appVersion: '2.3.0',
    });

    expect(result).toEqual({
      status: 200,
      data: {
        heartbeat: {
          deviceId: device,
          accepted: true,
          duplicate: false,
          notAppliedReason: null,
          state: 'HEALTHY',
          offlineTier: null,
          nextHeartbeatSeconds: 60,
          instruction: null,
        },
      },
    });
    expect(await statusOf(server.database.pool, device)).toEqual({
      state: 'healthy',
      lastHeartbeatAt: now.toISOString(),
      lastSequence: 1,
      dueAt: new Date(now.getTime() + 180_000).toISOString(),
      offlineSince: null,
      offlineTier: null,
      tierSince: null,
      lastKnownState: null,
    });
    expect(await transitionsOf(server.database.pool, device)).toEqual([
      'offline>healthy:heartbeat',
    ]);
  });

  it('refuses a heartbeat sent with another device token with FORBIDDEN', async () => {
    const [a, b] = [id(), id()];
    await insertLivenessDevices(
      server.database.pool,
      [{ id: a }, { id: b }],
      server.clock.now(),
    );

    const result = await sendHeartbeat(server, { deviceId: a }, tokenOf(b));

    expect(result.errors?.map((e) => e.extensions?.code)).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('refuses a heartbeat with an operator key with FORBIDDEN', async () => {
    const a = id();
    await insertLivenessDevices(
      server.database.pool,
      [{ id: a }],
      server.clock.now(),
    );

    const result = await sendHeartbeat(
      server,
      { deviceId: a },
      server.adminKey,
    );

    expect(result.errors?.map((e) => e.extensions?.code)).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('gives a batch per-entry results for a gateway', async () => {
    const [gw, mine, other] = [id(), id(), id()];
    await insertLivenessDevices(
      server.database.pool,
      [
        { id: gw },
        { id: mine, tags: [['gateway', gw]] },
        { id: other, tags: [['gateway', 'elsewhere']] },
      ],
      server.clock.now(),
    );

    const result = await server.request(
      HEARTBEAT_BATCH,
      {
        inputs: [
          { deviceId: gw, status: 'HEALTHY' },
          { deviceId: mine, status: 'DEGRADED', degradationReason: 'hot' },
          { deviceId: other, status: 'HEALTHY' },
          { deviceId: 'missing-device', status: 'HEALTHY' },
        ],
      },
      tokenOf(gw),
    );

    expect(result.data).toEqual({
      heartbeatBatch: [
        {
          deviceId: gw,
          ack: { accepted: true, duplicate: false, state: 'HEALTHY' },
          error: null,
        },
        {
          deviceId: mine,
          ack: { accepted: true, duplicate: false, state: 'DEGRADED' },
          error: null,
        },
        {
          deviceId: other,
          ack: null,
          error: {
            code: 'FORBIDDEN',
            message: `Gateway "${gw}" may not report for "${other}" (tag gateway=${gw} missing)`,
          },
        },
        {
          deviceId: 'missing-device',
          ack: null,
          error: {
            code: 'NOT_FOUND',
            message: 'Device "missing-device" does not exist',
          },
        },
      ],
    });
  });
});
