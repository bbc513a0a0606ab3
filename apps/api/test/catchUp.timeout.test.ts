import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { heartbeats, insertFleet } from './support/deploymentFixtures.ts';

const NOW = '2026-03-10T12:00:00.000Z';
const MINUTE = 60_000;
const TIMEOUT = 30 * MINUTE;
const DEPLOYMENT = 'deploy-20260301-001';
const STILL_OLD = 'delivery timed out after 30m: device still reports 2.3.0';

/** Fixtures on one server: queued devices, their entries and log. */
function catchUpFixtures(server: TestServer, tokens: Map<string, string>) {
  const pool = server.database.pool;
  return {
    /** An offline device on 2.3.0 with a pending entry for 2.3.1. */
    async queued(deviceId: string, attempts = 0): Promise<void> {
      const added = await insertFleet(server, [
        {
          id: deviceId,
          state: 'offline',
          lastHeartbeatAt: '2026-03-10T09:00:00.000Z',
        },
      ]);
      for (const [device, token] of added) tokens.set(device, token);
      await pool.query(
        `INSERT INTO deployments (id, artifact, target_version, manifest, state, created_by)
         VALUES ($1, 'inference-app:v2.3.1', '2.3.1', '{}', 'completed', 'test')
         ON CONFLICT (id) DO NOTHING`,
        [DEPLOYMENT],
      );
      await pool.query(
        `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id,
           queued_at, reason, attempts, max_attempts, priority, status)
         VALUES (gen_random_uuid(), $1, '2.3.1', $2, '2026-03-01T00:00:00Z',
                 'device offline during deployment', $3, 3, 'normal', 'pending')`,
        [deviceId, DEPLOYMENT, attempts],
      );
    },
    async entry(deviceId: string) {
      const { rows } = await pool.query(
        `SELECT q.status, q.attempts, q.last_failure, q.close_reason,
                s.desired_version
         FROM catch_up_queue q JOIN device_status s USING (device_id)
         WHERE q.device_id = $1`,
        [deviceId],
      );
      return rows;
    },
    /** The device's deployment fields. */
    async record(deviceId: string) {
      const { rows } = await pool.query(
        `SELECT current_version, previous_version, deployment_slot
         FROM devices WHERE id = $1`,
        [deviceId],
      );
      return rows;
    },
    async log(deviceId: string): Promise<string[]> {
      const { rows } = await pool.query<{ message: string }>(
        `SELECT message FROM deployment_log WHERE device_id = $1 ORDER BY id`,
        [deviceId],
      );
      return rows.map((row) => row.message);
    },
  };
}

describe('catch-up delivery timeout', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();
  let beat: ReturnType<typeof heartbeats>;
  let fixtures: ReturnType<typeof catchUpFixtures>;
  const tick = () => server.server.services.deployments.worker.runOnce();

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set(NOW);
    beat = heartbeats(server, tokens);
    fixtures = catchUpFixtures(server, tokens);
  });
  afterAll(() => server.close());

  it('fails a delivery still unconfirmed 30 minutes after it started and returns the entry to pending', async () => {
    await fixtures.queued('edge-t-001');
    const handed = await beat('edge-t-001', '2.3.0');
    server.clock.advance(TIMEOUT);
    await tick();
    const atDeadline = await fixtures.entry('edge-t-001');
    server.clock.advance(1);
    await tick();

    expect({
      handed,
      atDeadline,
      after: await fixtures.entry('edge-t-001'),
      log: await fixtures.log('edge-t-001'),
    }).toEqual({
      handed: { state: 'HEALTHY', instruction: { targetVersion: '2.3.1' } },
      atDeadline: [
        {
          status: 'delivering',
          attempts: 1,
          last_failure: null,
          close_reason: null,
          desired_version: '2.3.1',
        },
      ],
      after: [
        {
          status: 'pending',
          attempts: 1,
          last_failure: STILL_OLD,
          close_reason: null,
          desired_version: null,
        },
      ],
      log: [
        'edge-t-001 catch-up: delivering 2.3.1 (attempt 1 of 3)',
        `edge-t-001 catch-up attempt 1 failed: ${STILL_OLD}`,
      ],
    });
  });

  it('delivers the version again on the next healthy heartbeat after a timeout', async () => {
    await fixtures.queued('edge-t-002');
    await beat('edge-t-002', '2.3.0');
    server.clock.advance(TIMEOUT + MINUTE);
    await tick();
    const retried = await beat('edge-t-002', '2.3.0');
    const delivering = await fixtures.entry('edge-t-002');
    await beat('edge-t-002', '2.3.1');

    expect({
      retried,
      delivering,
      after: await fixtures.entry('edge-t-002'),
      log: await fixtures.log('edge-t-002'),
    }).toEqual({
      retried: { state: 'HEALTHY', instruction: { targetVersion: '2.3.1' } },
      delivering: [
        {
          status: 'delivering',
          attempts: 2,
          last_failure: STILL_OLD,
          close_reason: null,
          desired_version: '2.3.1',
        },
      ],
      after: [
        {
          status: 'completed',
          attempts: 2,
          last_failure: STILL_OLD,
          close_reason: 'installed 2.3.1; healthy',
          desired_version: null,
        },
      ],
      log: [
        'edge-t-002 catch-up: delivering 2.3.1 (attempt 1 of 3)',
        `edge-t-002 catch-up attempt 1 failed: ${STILL_OLD}`,
        'edge-t-002 catch-up: delivering 2.3.1 (attempt 2 of 3)',
        'edge-t-002 caught up: installed 2.3.1; healthy',
      ],
    });
  });

  it('moves a delivery that times out on its last attempt to the investigation queue', async () => {
    await fixtures.queued('edge-t-003', 2);
    await beat('edge-t-003', '2.3.0');
    server.clock.advance(TIMEOUT + MINUTE);
    // The device went silent after it was handed the version.
    await server.server.services.liveness.sweeper.runOnce();
    await tick();
    const failure =
      'delivery timed out after 30m: device offline, last reported 2.3.0';
    const reason = `max attempts reached (3 of 3); last failure: ${failure}`;
    const { rows: investigations } = await server.database.pool.query(
      `SELECT reason, resolved_at FROM investigation_queue
       WHERE device_id = 'edge-t-003'`,
    );

    expect({
      entry: await fixtures.entry('edge-t-003'),
      investigations,
      log: await fixtures.log('edge-t-003'),
      back: await beat('edge-t-003', '2.3.0'),
    }).toEqual({
      entry: [
        {
          status: 'investigation',
          attempts: 3,
          last_failure: failure,
          close_reason: reason,
          desired_version: null,
        },
      ],
      investigations: [{ reason, resolved_at: null }],
      log: [
        'edge-t-003 catch-up: delivering 2.3.1 (attempt 3 of 3)',
        `edge-t-003 catch-up to investigation: ${reason}`,
      ],
      back: { state: 'HEALTHY', instruction: null },
    });
  });

  it('completes a delivery confirmed before the timeout and never times it out', async () => {
    await fixtures.queued('edge-t-004');
    await beat('edge-t-004', '2.3.0');
    server.clock.advance(TIMEOUT - MINUTE);
    await beat('edge-t-004', '2.3.1');
    server.clock.advance(2 * TIMEOUT);
    const sweep = await server.server.services.catchUp.sweep();

    expect({
      sweep,
      entry: await fixtures.entry('edge-t-004'),
      log: await fixtures.log('edge-t-004'),
    }).toEqual({
      sweep: { investigated: [], cancelled: [], timedOut: [] },
      entry: [
        {
          status: 'completed',
          attempts: 1,
          last_failure: null,
          close_reason: 'installed 2.3.1; healthy',
          desired_version: null,
        },
      ],
      log: [
        'edge-t-004 catch-up: delivering 2.3.1 (attempt 1 of 3)',
        'edge-t-004 caught up: installed 2.3.1; healthy',
      ],
    });
  });

  it('ends a timed-out delivery the same way whether the sweep or the heartbeat finds it first', async () => {
    await fixtures.queued('edge-t-005');
    await fixtures.queued('edge-t-006');
    await beat('edge-t-005', '2.3.0');
    server.clock.advance(10 * MINUTE);
    await beat('edge-t-006', '2.3.0');
    // The sweep finds only edge-t-005 overdue, edge-t-006 only its heartbeat.
    server.clock.advance(TIMEOUT - 9 * MINUTE);
    await tick();
    const afterSweep = await beat('edge-t-005', '2.3.0');
    server.clock.advance(10 * MINUTE);
    const alone = await beat('edge-t-006', '2.3.0');
    const sweepAfterwards = await server.server.services.catchUp.sweep();
    const outcome = async (deviceId: string) => ({
      entry: await fixtures.entry(deviceId),
      log: (await fixtures.log(deviceId)).map((line) =>
        line.replace(deviceId, 'edge-t-00x'),
      ),
    });

    expect({
      answers: [afterSweep, alone],
      sweepAfterwards,
      outcomes: [await outcome('edge-t-005'), await outcome('edge-t-006')],
    }).toEqual({
      answers: [
        { state: 'HEALTHY', instruction: { targetVersion: '2.3.1' } },
        { state: 'HEALTHY', instruction: { targetVersion: '2.3.1' } },
      ],
      sweepAfterwards: { investigated: [], cancelled: [], timedOut: [] },
      outcomes: Array.from({ length: 2 }, () => ({
        entry: [
          {
            status: 'delivering',
            attempts: 2,
            last_failure: STILL_OLD,
            close_reason: null,
            desired_version: '2.3.1',
          },
        ],
        log: [
          'edge-t-00x catch-up: delivering 2.3.1 (attempt 1 of 3)',
          `edge-t-00x catch-up attempt 1 failed: ${STILL_OLD}`,
          'edge-t-00x catch-up: delivering 2.3.1 (attempt 2 of 3)',
        ],
      })),
    });
  });

  it('completes a delivery reported installed and healthy after the deadline, before any sweep', async () => {
    await fixtures.queued('edge-t-007');
    await beat('edge-t-007', '2.3.0');
    server.clock.advance(TIMEOUT + MINUTE);
    const late = await beat('edge-t-007', '2.3.1');
    const record = await fixtures.record('edge-t-007');

    expect({
      late,
      entry: await fixtures.entry('edge-t-007'),
      record,
      log: await fixtures.log('edge-t-007'),
    }).toEqual({
      late: { state: 'HEALTHY', instruction: null },
      entry: [
        {
          status: 'completed',
          attempts: 1,
          last_failure: null,
          close_reason: 'installed 2.3.1; healthy',
          desired_version: null,
        },
      ],
      record: [
        {
          current_version: '2.3.1',
          previous_version: '2.3.0',
          deployment_slot: 'green',
        },
      ],
      log: [
        'edge-t-007 catch-up: delivering 2.3.1 (attempt 1 of 3)',
        'edge-t-007 caught up: installed 2.3.1; healthy',
      ],
    });
  });

  it('records an install reported after the sweep timed its attempt out', async () => {
    await fixtures.queued('edge-t-010');
    await beat('edge-t-010', '2.3.0');
    server.clock.advance(TIMEOUT + MINUTE);
    await tick();
    const late = await beat('edge-t-010', '2.3.1');
    const record = await fixtures.record('edge-t-010');

    expect({
      late,
      entry: await fixtures.entry('edge-t-010'),
      record,
      log: await fixtures.log('edge-t-010'),
    }).toEqual({
      late: { state: 'HEALTHY', instruction: null },
      entry: [
        {
          status: 'completed',
          attempts: 1,
          last_failure: STILL_OLD,
          close_reason: 'device already runs 2.3.1',
          desired_version: null,
        },
      ],
      record: [
        {
          current_version: '2.3.1',
          previous_version: '2.3.0',
          deployment_slot: 'green',
        },
      ],
      log: [
        'edge-t-010 catch-up: delivering 2.3.1 (attempt 1 of 3)',
        `edge-t-010 catch-up attempt 1 failed: ${STILL_OLD}`,
        'edge-t-010 caught up: device already runs 2.3.1',
      ],
    });
  });

  it('shows the timeout as the last failure in the catch-up queue', async () => {
    await fixtures.queued('edge-t-008');
    await beat('edge-t-008', '2.3.0');
    server.clock.advance(TIMEOUT + MINUTE);
    await tick();
    const result = await server.request(
      `{ catchUpQueue(filter: { deviceId: "edge-t-008" }) {
          edges { node { status attempts lastFailure } } } }`,
    );

    expect(result.data).toEqual({
      catchUpQueue: {
        edges: [
          { node: { status: 'PENDING', attempts: 1, lastFailure: STILL_OLD } },
        ],
      },
    });
  });
});

// Two servers with their own pools on one database, as two processes.
describe('catch-up delivery timeout with two API processes', () => {
  const DEVICES = Array.from(
    { length: 20 },
    (_, i) => `edge-pair-${String(i + 1).padStart(3, '0')}`,
  );
  let first: TestServer;
  let second: TestServer;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    first = await startTestServer();
    second = await startTestServer({
      database: first.database,
      clock: first.clock,
    });
    first.clock.set(NOW);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  const beatThrough = async (
    server: TestServer,
    deviceId: string,
    sequence: number,
  ) => {
    const result = await server.request(
      `mutation ($input: HeartbeatInput!) { heartbeat(input: $input) { state } }`,
      {
        input: { deviceId, status: 'HEALTHY', appVersion: '2.3.0', sequence },
      },
      tokens.get(deviceId) ?? null,
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  };

  it('counts each timeout once while both workers, both sweeps and heartbeats race', async () => {
    const fixtures = catchUpFixtures(first, tokens);
    for (const id of DEVICES) await fixtures.queued(id);
    for (const id of DEVICES) await beatThrough(first, id, 1);
    first.clock.advance(TIMEOUT + MINUTE);

    const servers = [first, second];
    await Promise.all([
      ...servers.map((server) => server.server.services.catchUp.sweep()),
      ...servers.map((server) =>
        server.server.services.deployments.worker.runOnce(),
      ),
      ...DEVICES.map((id, i) => beatThrough(servers[i % 2]!, id, 2)),
    ]);
    const { rows } = await first.database.pool.query(
      `SELECT q.device_id, q.status, q.attempts, q.last_failure,
              (SELECT array_agg(l.action ORDER BY l.id) FROM deployment_log l
               WHERE l.device_id = q.device_id) AS actions
       FROM catch_up_queue q ORDER BY q.device_id`,
    );

    expect(rows).toEqual(
      DEVICES.map((device_id) => ({
        device_id,
        status: 'delivering',
        attempts: 2,
        last_failure: STILL_OLD,
        actions: [
          'catch-up-delivering',
          'catch-up-failed',
          'catch-up-delivering',
        ],
      })),
    );
  });
});
