import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ManualClock,
  startTestServer,
  type TestServer,
} from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
  statusOf,
} from './support/livenessFixtures.ts';

const UPDATE = `mutation ($id: ID!, $input: UpdateDeviceInput!) {
  updateDevice(id: $id, input: $input) { id }
}`;

describe('deadlines after the timeout they were computed with changed', () => {
  let server: TestServer;
  const sweep = (s: TestServer = server) =>
    s.server.services.liveness.sweeper.runOnce();
  const reasonOf = async (s: TestServer, id: string) => {
    const { rows } = await s.database.pool.query<{ reason: string }>(
      `SELECT reason FROM state_transitions
       WHERE device_id = $1 AND cause = 'timeout'`,
      [id],
    );
    return rows.map((row) => row.reason);
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("moves a device's deadline when its heartbeat interval changes, shorter or longer", async () => {
    const ids = ['rs-shorter', 'rs-longer'];
    await insertLivenessDevices(
      server.database.pool,
      ids.map((id) => ({ id })),
      server.clock.now(),
    );
    const heard = server.clock.advance(1000);
    for (const id of ids) await sendHeartbeat(server, { deviceId: id });
    // 60 s interval: 180 s timeouts; now 10 s (30 s) and 600 s (1800 s).
    for (const [id, seconds] of [
      ['rs-shorter', 10],
      ['rs-longer', 600],
    ] as const) {
      await server.request(UPDATE, {
        id,
        input: { heartbeatIntervalSeconds: seconds },
      });
    }

    const at = (ms: number) => server.clock.set(new Date(heard.getTime() + ms));
    const movedAt: Record<string, number> = {};
    for (const ms of [30_000, 30_001, 180_001, 1_800_000, 1_800_001]) {
      at(ms);
      for (const t of (await sweep()).timedOut) movedAt[t.deviceId] = ms;
    }

    expect(movedAt).toEqual({ 'rs-shorter': 30_001, 'rs-longer': 1_800_001 });
    expect([
      await reasonOf(server, 'rs-shorter'),
      await reasonOf(server, 'rs-longer'),
    ]).toEqual([['no heartbeat within 30 s'], ['no heartbeat within 1800 s']]);
  });

  it('reschedules every live device when Rollcall restarts with another timeout', async () => {
    await insertLivenessDevices(
      server.database.pool,
      [{ id: 'rs-config' }],
      server.clock.now(),
    );
    const heard = server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: 'rs-config' });
    await sweep();
    const storedDue = (await statusOf(server.database.pool, 'rs-config')).dueAt;

    // A quick restart (no grace) with a 60 s timeout instead of 180 s.
    const clock = new ManualClock(new Date(heard.getTime() + 2000));
    const restarted = await startTestServer({
      database: server.database,
      clock,
      config: { heartbeat: { timeout_seconds: 60 } },
    });
    try {
      const early = await sweep(restarted);
      clock.set(new Date(heard.getTime() + 60_001));
      const late = await sweep(restarted);

      expect({
        storedDue,
        early: early.timedOut.map((t) => t.deviceId),
        late: late.timedOut.map((t) => [t.deviceId, t.at]),
        reason: await reasonOf(restarted, 'rs-config'),
      }).toEqual({
        storedDue: new Date(heard.getTime() + 180_000).toISOString(),
        early: [],
        late: [['rs-config', new Date(heard.getTime() + 60_000)]],
        reason: ['no heartbeat within 60 s'],
      });
    } finally {
      await restarted.close();
    }
  });
});
