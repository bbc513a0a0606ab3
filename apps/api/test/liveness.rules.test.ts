import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  HEARTBEAT_BATCH,
  insertLivenessDevices,
  transitionsOf,
  type LivenessDevice,
} from './support/livenessFixtures.ts';

type Metrics = 'none' | 'within' | 'outside';

const METRICS: Record<Metrics, Record<string, number> | null> = {
  none: null,
  within: { cpuPercent: 40, diskFreeMb: 30_000, temperatureCpuC: 50 },
  outside: { cpuPercent: 97, diskFreeMb: 30_000, temperatureCpuC: 50 },
};

// [current state, last known state (for OFFLINE), reported, metrics, expected]
type Row = [
  string,
  string | null,
  'HEALTHY' | 'DEGRADED' | 'FAILED',
  Metrics,
  string,
];

const RULES: Row[] = [
  ['healthy', null, 'HEALTHY', 'none', 'HEALTHY'],
  ['healthy', null, 'HEALTHY', 'outside', 'HEALTHY'],
  ['healthy', null, 'DEGRADED', 'none', 'DEGRADED'],
  ['healthy', null, 'FAILED', 'none', 'FAILED'],
  ['degraded', null, 'HEALTHY', 'none', 'DEGRADED'],
  ['degraded', null, 'HEALTHY', 'within', 'HEALTHY'],
  ['degraded', null, 'HEALTHY', 'outside', 'DEGRADED'],
  ['degraded', null, 'DEGRADED', 'within', 'DEGRADED'],
  ['degraded', null, 'FAILED', 'none', 'FAILED'],
  ['failed', null, 'HEALTHY', 'within', 'FAILED'],
  ['failed', null, 'DEGRADED', 'none', 'FAILED'],
  ['failed', null, 'FAILED', 'none', 'FAILED'],
  ['offline', 'healthy', 'HEALTHY', 'none', 'HEALTHY'],
  ['offline', 'healthy', 'DEGRADED', 'none', 'DEGRADED'],
  ['offline', 'healthy', 'FAILED', 'none', 'FAILED'],
  ['offline', 'degraded', 'HEALTHY', 'none', 'DEGRADED'],
  ['offline', 'degraded', 'HEALTHY', 'within', 'HEALTHY'],
  ['offline', 'degraded', 'HEALTHY', 'outside', 'DEGRADED'],
  ['offline', 'failed', 'HEALTHY', 'within', 'FAILED'],
  ['offline', 'failed', 'FAILED', 'none', 'FAILED'],
  ['offline', 'maintenance', 'HEALTHY', 'within', 'MAINTENANCE'],
  ['maintenance', null, 'HEALTHY', 'within', 'MAINTENANCE'],
  ['maintenance', null, 'FAILED', 'none', 'MAINTENANCE'],
  ['provisioning', null, 'HEALTHY', 'within', 'PROVISIONING'],
  ['provisioning', null, 'DEGRADED', 'none', 'PROVISIONING'],
  ['provisioning', null, 'FAILED', 'none', 'PROVISIONING'],
];

describe('heartbeat state rules', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('moves every current state by every reported status as the spec and issue say', async () => {
    const now = server.clock.now();
    const devices: LivenessDevice[] = RULES.map(
      ([state, lastKnown], index) => ({
        id: `rule-${index}`,
        state,
        lastKnownState: lastKnown,
        offlineSince: state === 'offline' ? now : null,
        dueAt: state === 'offline' ? null : undefined,
      }),
    );
    await insertLivenessDevices(server.database.pool, devices, now);
    server.clock.advance(1000);

    const result = await server.request<{
      heartbeatBatch: Array<{
        deviceId: string;
        ack: { state: string } | null;
      }>;
    }>(HEARTBEAT_BATCH, {
      inputs: RULES.map(([, , status, metrics], index) => ({
        deviceId: `rule-${index}`,
        status,
        metrics: METRICS[metrics],
      })),
    });

    const actual = result.data?.heartbeatBatch.map((r, index) => [
      ...RULES[index]!.slice(0, 4),
      r.ack?.state,
    ]);
    expect(actual).toEqual(RULES);
  });

  it('records each change as a HEARTBEAT transition and nothing for a kept state', async () => {
    expect(await transitionsOf(server.database.pool, 'rule-0')).toEqual([]);
    expect(await transitionsOf(server.database.pool, 'rule-2')).toEqual([
      'healthy>degraded:heartbeat',
    ]);
    expect(await transitionsOf(server.database.pool, 'rule-18')).toEqual([
      'offline>failed:heartbeat',
    ]);
    expect(await transitionsOf(server.database.pool, 'rule-20')).toEqual([
      'offline>maintenance:heartbeat',
    ]);
  });

  it('records the rule that kept a degraded device degraded as the reason', async () => {
    const { rows } = await server.database.pool.query(
      `SELECT device_id, from_state, to_state, reason FROM state_transitions
       WHERE device_id IN ('rule-2', 'rule-5', 'rule-3') ORDER BY device_id`,
    );
    expect(rows).toEqual([
      {
        device_id: 'rule-2',
        from_state: 'healthy',
        to_state: 'degraded',
        reason: 'reported degraded',
      },
      {
        device_id: 'rule-3',
        from_state: 'healthy',
        to_state: 'failed',
        reason: 'reported failed',
      },
      {
        device_id: 'rule-5',
        from_state: 'degraded',
        to_state: 'healthy',
        reason: 'metrics back within thresholds',
      },
    ]);
  });

  it('refuses a decommissioned device with DEVICE_DECOMMISSIONED, records it and changes nothing', async () => {
    const now = server.clock.now();
    await insertLivenessDevices(
      server.database.pool,
      [{ id: 'retired', state: 'decommissioned', dueAt: null }],
      now,
    );
    const before = await server.database.pool.query(
      'SELECT * FROM device_status WHERE device_id = $1',
      ['retired'],
    );

    const batch = await server.request(HEARTBEAT_BATCH, {
      inputs: [{ deviceId: 'retired', status: 'HEALTHY' }],
    });
    const single = await server.request(
      'mutation { heartbeat(input: { deviceId: "retired", status: HEALTHY }) { state } }',
      {},
      'rc_dev_test_retired',
    );

    expect(batch.data).toEqual({
      heartbeatBatch: [
        {
          deviceId: 'retired',
          ack: null,
          error: {
            code: 'DEVICE_DECOMMISSIONED',
            message: 'device is decommissioned; heartbeat refused',
          },
        },
      ],
    });
    expect(single.errors?.map((e) => e.extensions?.code)).toEqual([
      'DEVICE_DECOMMISSIONED',
    ]);
    const after = await server.database.pool.query(
      'SELECT * FROM device_status WHERE device_id = $1',
      ['retired'],
    );
    expect(after.rows).toEqual(before.rows);
    const history = await server.database.pool.query(
      `SELECT status, received_at FROM heartbeats WHERE device_id = 'retired' ORDER BY id`,
    );
    expect(history.rows).toEqual([
      { status: 'refused', received_at: now },
      { status: 'refused', received_at: now },
    ]);
    expect(await transitionsOf(server.database.pool, 'retired')).toEqual([]);
  });

  it('raises one alert for a failed heartbeat and none for repeats from a failed device', async () => {
    const { rows } = await server.database.pool.query(
      `SELECT device_id, kind, message, cleared_at FROM alerts
       WHERE device_id LIKE 'rule-%' ORDER BY device_id`,
    );
    expect(rows).toEqual(
      ['rule-14', 'rule-3', 'rule-8'].map((id) => ({
        device_id: id,
        kind: 'failed',
        message: 'reported failed',
        cleared_at: null,
      })),
    );
  });
});
