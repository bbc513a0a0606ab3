import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import {
  ManualClock,
  startTestServer,
  type TestServer,
} from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
  statusOf,
  sweepAcrossGrace,
  transitionsOf,
} from './support/livenessFixtures.ts';

describe('offline sweeper', () => {
  let server: TestServer;
  let seq = 0;
  const fresh = async (extra: Record<string, unknown> = {}) => {
    const id = `sw-${++seq}`;
    await insertLivenessDevices(
      server.database.pool,
      [{ id, ...extra }],
      server.clock.now(),
    );
    return id;
  };
  const sweep = () => server.server.services.liveness.sweeper.runOnce();

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('keeps a device online at exactly its timeout and marks it offline 1 ms past it', async () => {
    const id = await fresh();
    const received = server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: id });

    server.clock.advance(180_000);
    await sweep();
    const atTimeout = (await statusOf(server.database.pool, id)).state;
    server.clock.advance(1);
    const result = await sweep();

    expect(atTimeout).toBe('healthy');
    expect(result.timedOut.map((t) => t.deviceId)).toEqual([id]);
    const expiredAt = new Date(received.getTime() + 180_000).toISOString();
    expect(await statusOf(server.database.pool, id)).toEqual({
      state: 'offline',
      lastHeartbeatAt: received.toISOString(),
      lastSequence: null,
      dueAt: new Date(received.getTime() + 180_000 + 300_000).toISOString(),
      offlineSince: expiredAt,
      offlineTier: null,
      tierSince: null,
      lastKnownState: 'healthy',
    });
    expect(await transitionsOf(server.database.pool, id)).toEqual([
      'healthy>offline:timeout',
    ]);
  });

  it('scales the timeout by the device interval', async () => {
    const id = await fresh({ intervalSeconds: 30 });
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: id });

    server.clock.advance(90_000);
    const atTimeout = await sweep();
    server.clock.advance(1);
    const past = await sweep();

    expect(atTimeout.timedOut.map((t) => t.deviceId)).toEqual([]);
    expect(past.timedOut.map((t) => t.deviceId)).toEqual([id]);
  });

  it('records the last known state of a degraded device and needs good metrics to return healthy', async () => {
    const id = await fresh();
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: id, status: 'DEGRADED' });
    server.clock.advance(180_001);
    await sweep();
    const offline = await statusOf(server.database.pool, id);

    const bare = await sendHeartbeat(server, { deviceId: id });
    const good = await sendHeartbeat(server, {
      deviceId: id,
      metrics: { cpuPercent: 5 },
    });

    expect(offline.lastKnownState).toBe('degraded');
    expect([bare.data?.heartbeat.state, good.data?.heartbeat.state]).toEqual([
      'DEGRADED',
      'HEALTHY',
    ]);
    expect(await transitionsOf(server.database.pool, id)).toEqual([
      'healthy>degraded:heartbeat',
      'degraded>offline:timeout',
      'offline>degraded:heartbeat',
      'degraded>healthy:heartbeat',
    ]);
  });

  it('never times out a FAILED device, which stays FAILED on a healthy heartbeat', async () => {
    const id = await fresh();
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: id, status: 'FAILED' });
    server.clock.advance(3_600_000);

    const result = await sweep();
    const back = await sendHeartbeat(server, {
      deviceId: id,
      metrics: { cpuPercent: 5 },
    });

    expect(result.timedOut.map((t) => t.deviceId)).not.toContain(id);
    expect(back.data?.heartbeat.state).toBe('FAILED');
  });

  it('gives a device made HEALTHY without heartbeats one full timeout from then', async () => {
    const id = await fresh({ dueAt: null });
    const since = server.clock.now();

    server.clock.advance(180_000);
    const first = await sweep();
    server.clock.advance(1);
    const second = await sweep();

    expect(first.timedOut.map((t) => t.deviceId)).toEqual([]);
    expect(second.timedOut).toEqual([
      {
        deviceId: id,
        from: 'healthy',
        at: new Date(since.getTime() + 180_000),
        version: second.timedOut[0]?.version,
      },
    ]);
  });

  it('publishes each timeout through the event bus with the device version', async () => {
    const id = await fresh();
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: id });
    server.clock.advance(180_001);
    const received = new Promise<RegistryEvent>((resolve) => {
      const off = server.server.services.events.subscribe(
        ['stateChanged'],
        (event) => {
          if (
            event.kind === 'stateChanged' &&
            event.deviceId === id &&
            event.cause === 'timeout'
          ) {
            off();
            resolve(event);
          }
        },
      );
    });

    const result = await sweep();
    const event = await received;

    const { rows } = await server.database.pool.query(
      'SELECT version FROM device_status WHERE device_id = $1',
      [id],
    );
    expect(event).toEqual({
      kind: 'stateChanged',
      deviceId: id,
      from: 'healthy',
      to: 'offline',
      cause: 'timeout',
      actor: 'sweeper',
      reason: 'no heartbeat within 180 s',
      at: result.timedOut[0]!.at.toISOString(),
      version: rows[0].version,
    });
  });

  it('gives changesSince the whole timeout event of each device, as the bus delivers it', async () => {
    const healthy = await fresh();
    const degraded = await fresh();
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: healthy });
    await sendHeartbeat(server, { deviceId: degraded, status: 'DEGRADED' });
    const before = await server.request<{
      changesSince: { latestVersion: number };
    }>('{ changesSince(version: 0, first: 1) { latestVersion } }');
    server.clock.advance(180_001);

    const result = await sweep();
    const feed = await server.request<{
      changesSince: {
        changes: Array<{ deviceId: string; kind: string; payload: unknown }>;
      };
    }>(
      'query ($v: Int!, $w: String!) { changesSince(version: $v, where: $w) { changes { deviceId kind payload } } }',
      {
        v: before.data!.changesSince.latestVersion,
        w: `id IN ("${healthy}", "${degraded}")`,
      },
    );

    const at = (id: string) =>
      result.timedOut.find((t) => t.deviceId === id)!.at.toISOString();
    const change = (id: string, from: string) => ({
      deviceId: id,
      kind: 'stateChanged',
      payload: {
        kind: 'stateChanged',
        deviceId: id,
        from,
        to: 'offline',
        cause: 'timeout',
        actor: 'sweeper',
        reason: 'no heartbeat within 180 s',
        at: at(id),
      },
    });
    expect(feed.data!.changesSince.changes).toEqual([
      change(healthy, 'healthy'),
      change(degraded, 'degraded'),
    ]);
  });

  it('serialises a heartbeat and a sweep landing on the same device at the same moment', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) ids.push(await fresh());
    server.clock.advance(180_001);

    await Promise.all([
      sweep(),
      ...ids.map((id) => sendHeartbeat(server, { deviceId: id })),
    ]);

    for (const id of ids) {
      const status = await statusOf(server.database.pool, id);
      const transitions = await transitionsOf(server.database.pool, id);
      expect([status.state, status.dueAt]).toEqual([
        'healthy',
        new Date(server.clock.now().getTime() + 180_000).toISOString(),
      ]);
      expect([
        [],
        ['healthy>offline:timeout', 'offline>healthy:heartbeat'],
      ]).toContainEqual(transitions);
    }
  });
});

describe('offline sweeper across processes', () => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    first = await startTestServer();
    second = await startTestServer({
      database: first.database,
      clock: first.clock,
    });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('moves each device once when two processes sweep at the same moment', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `race-${i}`);
    await insertLivenessDevices(
      first.database.pool,
      ids.map((id) => ({ id })),
      first.clock.now(),
    );
    first.clock.advance(180_001);

    const results = await Promise.all([
      first.server.services.liveness.sweeper.runOnce(),
      second.server.services.liveness.sweeper.runOnce(),
    ]);

    const moved = results
      .flatMap((r) => r.timedOut.map((t) => t.deviceId))
      .sort();
    expect(moved).toEqual([...ids].sort());
    const { rows } = await first.database.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT device_id)::int AS devices
       FROM state_transitions WHERE device_id LIKE 'race-%'`,
    );
    expect(rows).toEqual([{ n: 50, devices: 50 }]);
  });

  it('gives every device one full timeout after Rollcall was down', async () => {
    const clock = new ManualClock(first.clock.now());
    const down = new Date(clock.now().getTime() - 3_600_000);
    await first.database.pool.query(
      `UPDATE runtime_state SET value = $1 WHERE key = 'offline_sweeper'`,
      [{ lastSweepAt: down.toISOString() }],
    );
    await insertLivenessDevices(
      first.database.pool,
      [{ id: 'stale-1', dueAt: down }],
      clock.now(),
    );
    const restarted = await startTestServer({
      database: first.database,
      clock,
    });
    const sweeper = restarted.server.services.liveness.sweeper;
    const startedAt = clock.now();

    const {
      first: firstSweep,
      atGraceEnd,
      past,
    } = await sweepAcrossGrace(sweeper, clock, startedAt, 5000);
    await restarted.close();

    expect([
      firstSweep.startedGrace,
      firstSweep.timedOut,
      atGraceEnd.timedOut,
    ]).toEqual([true, [], []]);
    expect(past.timedOut.map((t) => [t.deviceId, t.at])).toEqual([
      ['stale-1', new Date(startedAt.getTime() + 180_000)],
    ]);
  });
});
