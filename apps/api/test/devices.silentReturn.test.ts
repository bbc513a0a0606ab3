import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
  statusOf,
} from './support/livenessFixtures.ts';

const ACTOR = 'operator:bootstrap-admin';

describe('returning a device to HEALTHY', () => {
  let server: TestServer;

  const pool = () => server.database.pool;
  const sweep = () => server.server.services.liveness.sweeper.runOnce();
  const iso = (ms: number) => new Date(ms).toISOString();

  /** A device in `state` whose last heartbeat was at `heartbeatAt`. */
  const device = async (id: string, state: string, heartbeatAt: number) => {
    await insertLivenessDevices(pool(), [{ id }], server.clock.now());
    server.clock.set(new Date(heartbeatAt));
    await sendHeartbeat(server, { deviceId: id });
    await pool().query(
      `UPDATE device_status SET state = $2 WHERE device_id = $1`,
      [id, state],
    );
  };
  /** Runs an operator mutation; answers the device's state and connectivity. */
  const act = async (mutation: string, id: string) => {
    const result = await server.request<
      Record<string, { status: { state: string; connectivity: string } }>
    >(
      `mutation ($id: ID!) {
         ${mutation}(id: $id, reason: "work done") {
           status { state connectivity }
         }
       }`,
      { id },
    );
    expect(result.errors).toBeUndefined();
    return result.data![mutation]!.status;
  };
  const transitionsSince = async (id: string, since: number) => {
    const { rows } = await pool().query(
      `SELECT from_state, to_state, cause, actor, reason, at
       FROM state_transitions WHERE device_id = $1 AND at >= $2 ORDER BY id`,
      [id, new Date(since)],
    );
    return rows.map((row) => ({ ...row, at: row.at.toISOString() }));
  };

  let start = 0;
  beforeAll(async () => {
    server = await startTestServer();
    // Past the restart grace of the test server's first sweep.
    await sweep();
    server.clock.advance(200_000);
    await sweep();
    start = server.clock.now().getTime();
  });
  afterAll(() => server.close());

  it('takes a device silent for an hour out of maintenance into OFFLINE, with the offline bookkeeping and two transitions', async () => {
    await device('long-silent', 'maintenance', start);
    server.clock.set(new Date(start + 3_600_000));
    const silent = await sweep();
    const exitAt = start + 3_600_000;

    const status = await act('exitMaintenance', 'long-silent');

    expect({
      wentSilent: silent.wentSilent,
      status,
      liveness: await statusOf(pool(), 'long-silent'),
      transitions: await transitionsSince('long-silent', exitAt),
    }).toEqual({
      wentSilent: ['long-silent'],
      status: { state: 'OFFLINE', connectivity: 'offline' },
      liveness: {
        state: 'offline',
        lastHeartbeatAt: iso(start),
        lastSequence: null,
        dueAt: iso(exitAt + 5 * 60_000),
        offlineSince: iso(exitAt),
        offlineTier: null,
        tierSince: null,
        lastKnownState: 'healthy',
      },
      transitions: [
        {
          from_state: 'maintenance',
          to_state: 'healthy',
          cause: 'operator',
          actor: ACTOR,
          reason: 'work done',
          at: iso(exitAt),
        },
        {
          from_state: 'healthy',
          to_state: 'offline',
          cause: 'timeout',
          actor: ACTOR,
          reason: `no heartbeat within 180 s (last heartbeat ${iso(start)})`,
          at: iso(exitAt),
        },
      ],
    });
  });

  it('escalates it from the exit on, as the sweeper escalates any offline device', async () => {
    server.clock.set(new Date(start + 3_600_000 + 5 * 60_000 + 1));
    const swept = await sweep();

    expect(swept.tierChanges).toEqual([
      { deviceId: 'long-silent', from: null, to: 'warning' },
    ]);
  });

  it('brings it back to HEALTHY with its next heartbeat', async () => {
    const ack = await sendHeartbeat(server, { deviceId: 'long-silent' });

    expect(ack.data?.heartbeat.state).toBe('HEALTHY');
  });

  /**
   * A device in `state` that heartbeated `hours` after the start, returned
   * by `mutation` once silent for `silenceMs`: its status, due time and
   * transitions since the heartbeat.
   */
  const returnAfter = async (
    ids: { id: string; state: string; mutation: string },
    hours: number,
    silenceMs: number,
  ) => {
    const at = start + hours * 3_600_000;
    await device(ids.id, ids.state, at);
    server.clock.set(new Date(at + silenceMs));
    const status = await act(ids.mutation, ids.id);
    return {
      status,
      dueAt: (await statusOf(pool(), ids.id)).dueAt,
      transitions: (await transitionsSince(ids.id, at + 1)).map(
        (t) => `${t.from_state}>${t.to_state}:${t.cause}`,
      ),
    };
  };

  it.each([
    {
      behaviour:
        'keeps a device that heartbeated within its timeout HEALTHY with a full timeout',
      device: {
        id: 'recent',
        state: 'maintenance',
        mutation: 'exitMaintenance',
      },
      hours: 4,
      silenceMs: 180_000,
      expected: {
        status: { state: 'HEALTHY', connectivity: 'online' },
        dueAfterMs: 180_000 + 180_000,
        transitions: ['maintenance>healthy:operator'],
      },
    },
    {
      behaviour:
        'repairs a FAILED device silent 1 ms past its timeout into OFFLINE as well',
      device: {
        id: 'failed-silent',
        state: 'failed',
        mutation: 'repairDevice',
      },
      hours: 5,
      silenceMs: 180_001,
      expected: {
        status: { state: 'OFFLINE', connectivity: 'offline' },
        dueAfterMs: 180_001 + 5 * 60_000,
        transitions: ['failed>healthy:operator', 'healthy>offline:timeout'],
      },
    },
  ])('$behaviour', async ({ device: ids, hours, silenceMs, expected }) => {
    const returned = await returnAfter(ids, hours, silenceMs);

    const { dueAfterMs, ...rest } = expected;
    expect(returned).toEqual({
      ...rest,
      dueAt: iso(start + hours * 3_600_000 + dueAfterMs),
    });
  });
});
