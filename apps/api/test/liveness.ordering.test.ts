import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppliedHeartbeat } from '../src/liveness/heartbeatObserver.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
  statusOf,
  tokenOf,
} from './support/livenessFixtures.ts';

describe('heartbeat ordering, clocks and answers', () => {
  let server: TestServer;
  let seq = 0;
  const fresh = async (extra: Record<string, unknown> = {}) => {
    const id = `ord-${++seq}`;
    await insertLivenessDevices(
      server.database.pool,
      [{ id, ...extra }],
      server.clock.now(),
    );
    return id;
  };

  beforeAll(async () => {
    server = await startTestServer({
      config: { heartbeat: { rate_limit_per_minute: 5 } },
    });
  });
  afterAll(() => server.close());

  it('applies a repeated sequence once and answers the repeat as a duplicate', async () => {
    const id = await fresh();
    const first = server.clock.advance(1000);
    await sendHeartbeat(server, {
      deviceId: id,
      sequence: 7,
      status: 'DEGRADED',
    });
    server.clock.advance(1000);

    const repeat = await sendHeartbeat(server, {
      deviceId: id,
      sequence: 7,
      status: 'FAILED',
    });

    expect(repeat.data?.heartbeat).toMatchObject({
      accepted: false,
      duplicate: true,
      notAppliedReason: 'sequence 7 was applied before',
      state: 'DEGRADED',
    });
    expect(await statusOf(server.database.pool, id)).toMatchObject({
      state: 'degraded',
      lastSequence: 7,
      lastHeartbeatAt: first.toISOString(),
    });
    const history = await server.database.pool.query(
      'SELECT count(*)::int AS n FROM heartbeats WHERE device_id = $1',
      [id],
    );
    expect(history.rows).toEqual([{ n: 1 }]);
  });

  it('never moves state, metrics or last-seen backwards for an older sequence arriving late', async () => {
    const id = await fresh();
    const applied = server.clock.advance(1000);
    await sendHeartbeat(server, {
      deviceId: id,
      sequence: 10,
      metrics: { cpuPercent: 10, uptimeSeconds: 500 },
    });
    server.clock.advance(1000);

    const late = await sendHeartbeat(server, {
      deviceId: id,
      sequence: 9,
      status: 'FAILED',
      metrics: { cpuPercent: 99, uptimeSeconds: 499 },
    });

    expect(late.data?.heartbeat).toMatchObject({
      accepted: false,
      duplicate: false,
      notAppliedReason:
        'sequence 9 is not after the last applied 10; a device that ' +
        'restarted counts again from a lower sequence only with ' +
        'metrics.uptimeSeconds shorter than the time since its last heartbeat',
      state: 'HEALTHY',
    });
    const { rows } = await server.database.pool.query(
      'SELECT state, last_sequence, last_heartbeat_at, metrics FROM device_status WHERE device_id = $1',
      [id],
    );
    expect(rows).toEqual([
      {
        state: 'healthy',
        last_sequence: 10,
        last_heartbeat_at: applied,
        metrics: { cpu_percent: 10, uptime_seconds: 500 },
      },
    ]);
  });

  it('accepts a lower sequence from a device that restarted since its last heartbeat', async () => {
    const id = await fresh();
    server.clock.advance(1000);
    await sendHeartbeat(server, {
      deviceId: id,
      sequence: 500,
      metrics: { uptimeSeconds: 30_000 },
    });
    server.clock.advance(60_000);

    const after = await sendHeartbeat(server, {
      deviceId: id,
      sequence: 1,
      metrics: { uptimeSeconds: 20 },
    });

    expect(after.data?.heartbeat).toMatchObject({
      accepted: true,
      duplicate: false,
      notAppliedReason: null,
    });
    expect((await statusOf(server.database.pool, id)).lastSequence).toBe(1);
  });

  it('judges liveness by receive time whatever the device clock says', async () => {
    const [past, future] = [await fresh(), await fresh()];
    const received = server.clock.advance(1000);

    await sendHeartbeat(server, {
      deviceId: past,
      timestamp: '1970-01-01T00:00:00.000Z',
    });
    await sendHeartbeat(server, {
      deviceId: future,
      // The same instant as 2999-12-31T23:59:59Z, in another zone.
      timestamp: '3000-01-01T01:59:59+02:00',
    });

    const { rows } = await server.database.pool.query(
      `SELECT device_id, last_heartbeat_at, last_device_time, due_at FROM device_status
       WHERE device_id = ANY($1) ORDER BY device_id`,
      [[past, future]],
    );
    const due = new Date(received.getTime() + 180_000);
    expect(rows).toEqual([
      {
        device_id: past,
        last_heartbeat_at: received,
        last_device_time: new Date('1970-01-01T00:00:00.000Z'),
        due_at: due,
      },
      {
        device_id: future,
        last_heartbeat_at: received,
        last_device_time: new Date('2999-12-31T23:59:59.000Z'),
        due_at: due,
      },
    ]);
  });

  it('scales the timeout by the device interval', async () => {
    const id = await fresh({ intervalSeconds: 120 });
    const received = server.clock.advance(1000);

    const ack = await sendHeartbeat(server, { deviceId: id });

    expect(ack.data?.heartbeat).toMatchObject({ nextHeartbeatSeconds: 120 });
    expect((await statusOf(server.database.pool, id)).dueAt).toBe(
      new Date(received.getTime() + 360_000).toISOString(),
    );
  });

  it('tells the device its desired version while it reports another one', async () => {
    const id = await fresh({ desiredVersion: '2.4.0' });
    server.clock.advance(1000);

    const old = await sendHeartbeat(server, {
      deviceId: id,
      appVersion: '2.3.0',
    });
    const current = await sendHeartbeat(server, {
      deviceId: id,
      appVersion: '2.4.0',
    });

    expect(old.data?.heartbeat.instruction).toEqual({
      deploymentId: null,
      targetVersion: '2.4.0',
      artifact: null,
    });
    expect(current.data?.heartbeat.instruction).toBeNull();
  });

  it('calls every observer after commit with the applied heartbeats', async () => {
    const id = await fresh({ state: 'healthy' });
    const seen: Array<{ heartbeats: AppliedHeartbeat[]; committed: number }> =
      [];
    const remove = server.server.services.liveness.addObserver({
      name: 'test',
      async afterHeartbeats(heartbeats, pool) {
        const { rows } = await pool.query(
          'SELECT count(*)::int AS n FROM heartbeats WHERE device_id = $1',
          [id],
        );
        seen.push({ heartbeats, committed: rows[0].n });
      },
    });
    const received = server.clock.advance(1000);

    await sendHeartbeat(server, {
      deviceId: id,
      status: 'FAILED',
      appVersion: '1.0.0',
    });
    remove();

    expect(seen).toEqual([
      {
        committed: 1,
        heartbeats: [
          {
            deviceId: id,
            receivedAt: received,
            reportedStatus: 'failed',
            appVersion: '1.0.0',
            previousState: 'healthy',
            state: 'failed',
            applied: true,
          },
        ],
      },
    ]);
  });

  it('limits each device to its rate with a retryable RATE_LIMITED', async () => {
    const id = await fresh();
    server.clock.advance(1000);
    const codes: unknown[] = [];
    for (let i = 0; i < 6; i += 1) {
      const result = await sendHeartbeat(server, { deviceId: id });
      codes.push(result.errors?.[0]?.extensions ?? 'ok');
    }

    expect(codes).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      { code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 12 },
    ]);
    server.clock.advance(12_000);
    expect(
      (await sendHeartbeat(server, { deviceId: id })).errors,
    ).toBeUndefined();
  });

  it('refuses a revoked token at once, though the token was just cached', async () => {
    const id = await fresh();
    server.clock.advance(1000);
    expect(
      (await sendHeartbeat(server, { deviceId: id })).errors,
    ).toBeUndefined();

    await server.database.pool.query(
      'UPDATE device_tokens SET revoked_at = $2 WHERE device_id = $1',
      [id, server.clock.now()],
    );
    const result = await sendHeartbeat(server, { deviceId: id }, tokenOf(id));

    expect(result.errors?.map((e) => e.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('refuses invalid metrics with BAD_USER_INPUT naming the field', async () => {
    const id = await fresh();

    const result = await sendHeartbeat(server, {
      deviceId: id,
      metrics: { cpuPercent: -1 },
    });

    expect(
      result.errors?.map((e) => [e.extensions?.code, e.extensions?.field]),
    ).toEqual([['BAD_USER_INPUT', 'metrics.cpuPercent']]);
  });
});
