import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorHeartbeat } from './support/heartbeatEntries.ts';
import {
  ManualClock,
  startTestServer,
  type TestServer,
} from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sweepAcrossGrace,
} from './support/livenessFixtures.ts';

// The test config sweeps every 5 s: a last sweep over 10 s before startup
// means Rollcall was down.
describe('offline sweeper grace', () => {
  let first: TestServer;

  beforeAll(async () => {
    first = await startTestServer();
  });
  afterAll(() => first.close());

  const lastSweptAt = (at: Date) =>
    first.database.pool.query(
      `INSERT INTO runtime_state (key, value, updated_at) VALUES ('offline_sweeper', $1, $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [
        {
          lastSweepAt: at.toISOString(),
          // What a sweep under the test config records.
          timing: { intervalSeconds: 60, timeoutSeconds: 180 },
        },
        at,
      ],
    );
  const restart = async (clock: ManualClock) =>
    startTestServer({ database: first.database, clock });

  it('gives every device one full timeout from startup after a restart of a few seconds', async () => {
    const clock = new ManualClock(first.clock.now());
    await lastSweptAt(new Date(clock.now().getTime() - 10_001));
    await insertLivenessDevices(
      first.database.pool,
      [{ id: 'short-1', dueAt: new Date(clock.now().getTime() - 1000) }],
      clock.now(),
    );
    const restarted = await restart(clock);
    const sweeper = restarted.server.services.liveness.sweeper;
    const startedAt = clock.now();

    const {
      first: firstSweep,
      atGraceEnd,
      past,
    } = await sweepAcrossGrace(sweeper, clock, startedAt, 1000);
    await restarted.close();

    expect([
      firstSweep.startedGrace,
      firstSweep.timedOut,
      atGraceEnd.timedOut,
    ]).toEqual([true, [], []]);
    expect(past.timedOut.map((t) => [t.deviceId, t.at])).toEqual([
      ['short-1', new Date(startedAt.getTime() + 180_000)],
    ]);
  });

  it('grants no grace to a process joining one that swept moments before', async () => {
    const clock = new ManualClock(
      new Date(first.clock.now().getTime() + 3_600_000),
    );
    await lastSweptAt(new Date(clock.now().getTime() - 10_000));
    const due = new Date(clock.now().getTime() - 1000);
    await insertLivenessDevices(
      first.database.pool,
      [{ id: 'joined-1', dueAt: due }],
      new Date(clock.now().getTime() - 200_000),
    );
    const joined = await restart(clock);

    const sweep = await joined.server.services.liveness.sweeper.runOnce();
    await joined.close();

    expect([
      sweep.startedGrace,
      sweep.timedOut.map((t) => [t.deviceId, t.at]),
    ]).toEqual([false, [['joined-1', due]]]);
  });

  it('gives every device one full timeout from the database return, in every process', async () => {
    const clock = new ManualClock(
      new Date(first.clock.now().getTime() + 7_200_000),
    );
    const a = await restart(clock);
    const b = await restart(clock);
    await a.server.services.liveness.sweeper.runOnce();
    await insertLivenessDevices(
      first.database.pool,
      [{ id: 'outage-1', dueAt: new Date(clock.now().getTime() + 10_000) }],
      new Date(clock.now().getTime() - 170_000),
    );

    // A heartbeat refused with SERVICE_UNAVAILABLE, past the deadline.
    clock.advance(20_000);
    a.server.services.liveness.sweeper.noteDatabaseUnavailable();
    const returnedAt = clock.advance(1000);
    const recovered = await a.server.services.liveness.sweeper.runOnce();
    clock.set(new Date(returnedAt.getTime() + 180_000));
    const otherAtGraceEnd = await b.server.services.liveness.sweeper.runOnce();
    clock.advance(1);
    const past = await b.server.services.liveness.sweeper.runOnce();
    await b.close();
    await a.close();

    expect([
      recovered.startedGrace,
      recovered.timedOut,
      otherAtGraceEnd.startedGrace,
      otherAtGraceEnd.timedOut,
    ]).toEqual([true, [], false, []]);
    expect(past.timedOut.map((t) => [t.deviceId, t.at])).toEqual([
      ['outage-1', new Date(returnedAt.getTime() + 180_000)],
    ]);
  });
});

describe('heartbeat ingest writer', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('fails only the entry PostgreSQL refuses and commits the rest of its batch', async () => {
    const ids = ['batch-1', 'batch-2', 'batch-3', 'batch-4', 'batch-5'];
    await insertLivenessDevices(
      server.database.pool,
      ids.map((id) => ({ id })),
      server.clock.now(),
    );
    const entry = (deviceId: string) =>
      operatorHeartbeat(deviceId, server.clock.now(), {
        // A NUL byte: text PostgreSQL refuses (past input validation here).
        appVersion: deviceId === 'batch-4' ? '1.0\u0000' : '1.0.0',
        sequence: 1,
      });

    // Submitted in one turn of the event loop: one batch.
    const ingest = server.server.services.liveness.ingest;
    const results = await Promise.all(
      ids.map((id) => ingest.submit([entry(id)])),
    );
    const { rows } = await server.database.pool.query<{ device_id: string }>(
      `SELECT device_id FROM heartbeats WHERE device_id LIKE 'batch-%'
       ORDER BY device_id`,
    );

    expect(
      results.map(([r]) =>
        r!.kind === 'ack' ? [r!.ack.deviceId, r!.ack.accepted] : r!.error,
      ),
    ).toEqual([
      ['batch-1', true],
      ['batch-2', true],
      ['batch-3', true],
      {
        code: 'BAD_USER_INPUT',
        message: 'A value in the request cannot be stored',
      },
      ['batch-5', true],
    ]);
    expect(rows.map((r) => r.device_id)).toEqual([
      'batch-1',
      'batch-2',
      'batch-3',
      'batch-5',
    ]);
  });
});
