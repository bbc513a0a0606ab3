import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../src/demo/startDemo.ts';
import {
  ManualClock,
  startTestServer,
  testLogger,
  type TestServer,
} from '../src/testing/index.ts';
import { insertLivenessDevices } from './support/livenessFixtures.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    clock: new ManualClock('2026-03-01T12:00:00Z'),
  });
});

afterAll(async () => {
  await server.close();
});

async function facts() {
  const { rows } = await server.database.pool.query(
    `SELECT (SELECT count(*) FROM devices)::int AS devices,
            (SELECT count(*) FROM device_tokens WHERE revoked_at IS NULL)::int AS tokens,
            (SELECT max(last_heartbeat_at) FROM device_status) AS newest,
            (SELECT count(*) FROM catch_up_queue WHERE status = 'pending')::int AS queued`,
  );
  return rows[0] as {
    devices: number;
    tokens: number;
    newest: Date;
    queued: number;
  };
}

describe('startDemo', () => {
  it('imports the demo fleet as of now into an empty registry and gives each simulated device a token', async () => {
    const demo = await startDemo(server.server, testLogger());
    const running = await facts();
    await demo.stop();

    expect({ ...running, newest: running.newest.toISOString() }).toEqual({
      devices: 300,
      tokens: 292,
      newest: '2026-03-01T12:00:00.000Z',
      queued: 4,
    });
    expect((await facts()).tokens).toBe(0);
  });

  it('does not import again on a registry it seeded, and simulates only the devices it seeded', async () => {
    // A device an operator registered in the demo's registry: real, so it
    // must never get fake heartbeats (its own would then be refused).
    await insertLivenessDevices(
      server.database.pool,
      [{ id: 'op-real-001' }],
      server.clock.now(),
    );
    await server.database.pool.query(
      `DELETE FROM device_tokens WHERE device_id = 'op-real-001'`,
    );

    const demo = await startDemo(server.server, testLogger());
    const running = await facts();
    const { rows } = await server.database.pool.query(
      `SELECT count(*)::int AS n FROM device_tokens WHERE device_id = 'op-real-001'`,
    );
    await demo.stop();

    expect([running.devices, running.tokens, rows[0].n]).toEqual([301, 292, 0]);
  });
});
