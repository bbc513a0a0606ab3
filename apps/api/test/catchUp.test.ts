import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  heartbeats,
  insertFleet,
  ok,
  type FleetFixture,
} from './support/deploymentFixtures.ts';

const NOW = '2026-03-10T12:00:00.000Z';
const DAY = 24 * 60 * 60_000;

describe('catch-up queue', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();
  let beat: ReturnType<typeof heartbeats>;

  const offline = async (
    id: string,
    since = '2026-03-10T09:00:00.000Z',
    extra: Partial<FleetFixture> = {},
  ) => {
    const added = await insertFleet(server, [
      { id, state: 'offline', lastHeartbeatAt: since, ...extra },
    ]);
    for (const [device, token] of added) tokens.set(device, token);
  };
  const queue = async (
    deviceId: string,
    targetVersion: string,
    deploymentId: string,
    queuedAt: string,
    attempts = 0,
  ) => {
    await server.database.pool.query(
      `INSERT INTO deployments (id, artifact, target_version, manifest, state, created_by)
       VALUES ($1, 'inference-app:v' || $2, $2, '{}', 'completed', 'test')
       ON CONFLICT (id) DO NOTHING`,
      [deploymentId, targetVersion],
    );
    const { rows } = await server.database.pool.query<{ id: string }>(
      `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id,
         queued_at, reason, attempts, max_attempts, priority, status)
       VALUES (gen_random_uuid(), $1, $2, $3, $4,
               'device offline during deployment', $5, 3, 'normal', 'pending')
       RETURNING id`,
      [deviceId, targetVersion, deploymentId, queuedAt, attempts],
    );
    return rows[0]!.id;
  };
  const entries = async (deviceId: string) => {
    const { rows } = await server.database.pool.query(
      `SELECT target_version, deployment_id, status, attempts, last_failure, close_reason
       FROM catch_up_queue WHERE device_id = $1 ORDER BY queued_at`,
      [deviceId],
    );
    return rows;
  };
  const investigations = async (deviceId: string) => {
    const { rows } = await server.database.pool.query(
      'SELECT reason, resolved_at FROM investigation_queue WHERE device_id = $1',
      [deviceId],
    );
    return rows;
  };
  const tick = () => server.server.services.deployments.worker.runOnce();

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set(NOW);
    beat = heartbeats(server, tokens);
  });
  afterAll(() => server.close());

  it('delivers only the latest queued version and closes older entries as superseded', async () => {
    await offline('edge-c-001');
    await queue(
      'edge-c-001',
      '2.3.1',
      'deploy-20260301-001',
      '2026-03-01T00:00:00Z',
    );
    await queue(
      'edge-c-001',
      '2.10.0',
      'deploy-20260302-001',
      '2026-03-02T00:00:00Z',
    );
    await queue(
      'edge-c-001',
      '2.9.0',
      'deploy-20260303-001',
      '2026-03-03T00:00:00Z',
    );
    expect(await beat('edge-c-001', '2.3.0')).toEqual({
      state: 'HEALTHY',
      instruction: { targetVersion: '2.10.0' },
    });
    await beat('edge-c-001', '2.10.0');
    const superseded = 'superseded by 2.10.0 (deploy-20260302-001)';
    expect(await entries('edge-c-001')).toEqual([
      {
        target_version: '2.3.1',
        deployment_id: 'deploy-20260301-001',
        status: 'superseded',
        attempts: 0,
        last_failure: null,
        close_reason: superseded,
      },
      {
        target_version: '2.10.0',
        deployment_id: 'deploy-20260302-001',
        status: 'completed',
        attempts: 1,
        last_failure: null,
        close_reason: 'installed 2.10.0; healthy',
      },
      {
        target_version: '2.9.0',
        deployment_id: 'deploy-20260303-001',
        status: 'superseded',
        attempts: 0,
        last_failure: null,
        close_reason: superseded,
      },
    ]);
  });

  it('closes the entry of a device already on the target version without a redeploy', async () => {
    await offline('edge-c-002', undefined, { version: '2.3.1' });
    await queue(
      'edge-c-002',
      '2.3.1',
      'deploy-20260301-001',
      '2026-03-01T00:00:00Z',
    );
    expect(await beat('edge-c-002', '2.3.1')).toEqual({
      state: 'HEALTHY',
      instruction: null,
    });
    expect(await entries('edge-c-002')).toEqual([
      {
        target_version: '2.3.1',
        deployment_id: 'deploy-20260301-001',
        status: 'completed',
        attempts: 0,
        last_failure: null,
        close_reason: 'device already runs 2.3.1',
      },
    ]);
    const { rows } = await server.database.pool.query(
      `SELECT deployment_slot, current_version FROM devices WHERE id = 'edge-c-002'`,
    );
    expect(rows).toEqual([
      { deployment_slot: 'blue', current_version: '2.3.1' },
    ]);
  });

  it('moves an entry to the investigation queue when its last attempt fails', async () => {
    await offline('edge-c-003');
    await queue(
      'edge-c-003',
      '2.3.1',
      'deploy-20260301-001',
      '2026-03-01T00:00:00Z',
      2,
    );
    await beat('edge-c-003', '2.3.0');
    await beat('edge-c-003', '2.3.0', 'FAILED');
    const reason =
      'max attempts reached (3 of 3); last failure: reported failed status';
    expect(await entries('edge-c-003')).toEqual([
      {
        target_version: '2.3.1',
        deployment_id: 'deploy-20260301-001',
        status: 'investigation',
        attempts: 3,
        last_failure: 'reported failed status',
        close_reason: reason,
      },
    ]);
    expect(await investigations('edge-c-003')).toEqual([
      { reason, resolved_at: null },
    ]);
  });

  it('counts a retry of an offline device as a failed attempt', async () => {
    await offline('edge-c-004');
    const id = await queue(
      'edge-c-004',
      '2.3.1',
      'deploy-20260301-001',
      '2026-03-01T00:00:00Z',
    );
    const { retryCatchUp } = await ok<{ retryCatchUp: unknown }>(
      server,
      'mutation ($id: ID!) { retryCatchUp(id: $id) { status attempts lastAttempt lastFailure } }',
      { id },
    );
    expect(retryCatchUp).toEqual({
      status: 'PENDING',
      attempts: 1,
      lastAttempt: NOW,
      lastFailure: 'device still offline',
    });
  });

  it('skips and removes entries on operator request', async () => {
    await offline('edge-c-005');
    const skip = await queue(
      'edge-c-005',
      '2.3.1',
      'deploy-20260301-001',
      '2026-03-01T00:00:00Z',
    );
    const remove = await queue(
      'edge-c-005',
      '2.4.0',
      'deploy-20260302-001',
      '2026-03-02T00:00:00Z',
    );
    const data = await ok<{ skipCatchUp: unknown; removeCatchUp: unknown }>(
      server,
      `mutation ($skip: ID!, $remove: ID!) {
        skipCatchUp(id: $skip, reason: "known bad build") { status closeReason }
        removeCatchUp(id: $remove) { status closeReason }
      }`,
      { skip, remove },
    );
    expect(data).toEqual({
      skipCatchUp: { status: 'SKIPPED', closeReason: 'known bad build' },
      removeCatchUp: {
        status: 'REMOVED',
        closeReason: 'removed by operator:bootstrap-admin',
      },
    });
  });

  it('closes the entries of a device decommissioned while queued', async () => {
    await offline('edge-c-006');
    await offline('edge-c-007');
    await queue(
      'edge-c-006',
      '2.3.1',
      'deploy-20260301-001',
      '2026-03-01T00:00:00Z',
    );
    await queue(
      'edge-c-007',
      '2.3.1',
      'deploy-20260301-001',
      '2026-03-01T00:00:00Z',
    );
    await ok(
      server,
      'mutation { decommissionDevice(id: "edge-c-006", force: true) { cancelledCatchUps } }',
    );
    // Decommissioned behind the devices service's back: the sweep closes it.
    await server.database.pool.query(
      `UPDATE device_status SET state = 'decommissioned' WHERE device_id = 'edge-c-007'`,
    );
    await tick();
    const closed = {
      target_version: '2.3.1',
      deployment_id: 'deploy-20260301-001',
      status: 'cancelled',
      attempts: 0,
      last_failure: null,
      close_reason: 'device decommissioned',
    };
    expect([await entries('edge-c-006'), await entries('edge-c-007')]).toEqual([
      [closed],
      [closed],
    ]);
  });

  it('moves entries of devices offline for 7 days to the investigation queue', async () => {
    const now = new Date(NOW).getTime();
    await offline('edge-c-008', new Date(now - 7 * DAY).toISOString());
    await offline('edge-c-009', new Date(now - 6 * DAY).toISOString());
    await queue(
      'edge-c-008',
      '2.3.1',
      'deploy-20260301-001',
      '2026-03-01T00:00:00Z',
    );
    await queue(
      'edge-c-009',
      '2.3.1',
      'deploy-20260301-001',
      '2026-03-01T00:00:00Z',
    );
    await tick();
    expect([
      (await entries('edge-c-008'))[0]?.status,
      (await entries('edge-c-009'))[0]?.status,
      await investigations('edge-c-008'),
    ]).toEqual([
      'investigation',
      'pending',
      [
        {
          reason:
            'device offline for 7 days or more (since 2026-03-03T12:00:00Z)',
          resolved_at: null,
        },
      ],
    ]);

    const list = await ok<{
      investigationQueue: {
        edges: Array<{ node: { id: string; deviceId: string } }>;
      };
    }>(server, '{ investigationQueue { edges { node { id deviceId } } } }');
    const open = list.investigationQueue.edges.map((edge) => edge.node);
    expect(open.map((node) => node.deviceId)).toEqual([
      'edge-c-003',
      'edge-c-008',
    ]);
    const resolved = await ok<{ resolveInvestigation: unknown }>(
      server,
      'mutation ($id: ID!) { resolveInvestigation(id: $id, resolution: "power supply replaced") { resolution resolvedAt } }',
      { id: open[1]!.id },
    );
    expect(resolved).toEqual({
      resolveInvestigation: {
        resolution: 'power supply replaced',
        resolvedAt: NOW,
      },
    });
  });
});
