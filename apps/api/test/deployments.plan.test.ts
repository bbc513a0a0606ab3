import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  dynamicGroup,
  insertFleet,
  staticGroup,
} from './support/deploymentFixtures.ts';

const PLAN = `
  mutation ($manifest: DeploymentManifestInput) {
    planDeployment(manifest: $manifest) {
      targetCount offlineCount offlineWarning canary
      eligible { deviceId state caution waveIndex }
      excluded { deviceId state reason }
      canaryPassedOver { deviceId reason }
      waves { name isCanary devices offline }
    }
  }`;

interface Plan {
  targetCount: number;
  offlineCount: number;
  offlineWarning: string | null;
  canary: string[];
  eligible: unknown[];
  excluded: unknown[];
  canaryPassedOver: unknown[];
  waves: unknown[];
}

describe('planDeployment', () => {
  let server: TestServer;

  const plan = async (manifest: Record<string, unknown>) => {
    const result = await server.request<{ planDeployment: Plan }>(PLAN, {
      manifest: { artifact: 'inference-app:v2.3.1', ...manifest },
    });
    return result.errors
      ? {
          errors: result.errors.map((e) => ({
            code: e.extensions?.code,
            message: e.message,
          })),
        }
      : result.data!.planDeployment;
  };

  beforeAll(async () => {
    server = await startTestServer();
    const production = ['production'];
    await insertFleet(server, [
      { id: 'edge-a-001', tags: production },
      { id: 'edge-a-002', tags: production, state: 'degraded', type: 'rpi-4' },
      { id: 'edge-a-003', tags: production, state: 'offline' },
      { id: 'edge-a-004', tags: production, state: 'maintenance' },
      { id: 'edge-a-005', tags: production, state: 'provisioning' },
      { id: 'edge-a-006', tags: production, state: 'failed' },
      { id: 'edge-a-007', tags: production, state: 'decommissioned' },
      { id: 'edge-a-008', tags: production },
      { id: 'edge-a-009', tags: [...production, 'single-point-failure'] },
      {
        id: 'edge-b-001',
        state: 'offline',
        lastHeartbeatAt: '2026-01-01T00:00:00.000Z',
      },
      { id: 'edge-b-002' },
      { id: 'edge-b-003' },
      { id: 'edge-b-004' },
      { id: 'edge-b-005' },
    ]);
    await dynamicGroup(server, 'production-fleet', 'tag:production');
    await staticGroup(server, 'critical-devices', ['edge-a-008']);
    await staticGroup(server, 'canary-pool', [
      'edge-a-001',
      'edge-a-002',
      'edge-a-009',
    ]);
    await staticGroup(server, 'small', [
      'edge-b-001',
      'edge-b-002',
      'edge-b-003',
      'edge-b-004',
      'edge-b-005',
    ]);
  });
  afterAll(() => server.close());

  it('reports eligible devices, every excluded one with its reason, and the canary picks', async () => {
    expect(
      await plan({
        target: {
          groups: ['production-fleet'],
          excludeGroups: ['critical-devices'],
        },
        canary: {
          sourceGroup: 'canary-pool',
          count: 3,
          selection: 'ONE_PER_DEVICE_TYPE',
        },
      }),
    ).toEqual({
      targetCount: 7,
      offlineCount: 1,
      offlineWarning: null,
      canary: ['edge-a-001'],
      eligible: [
        {
          deviceId: 'edge-a-001',
          state: 'HEALTHY',
          caution: false,
          waveIndex: 0,
        },
        {
          deviceId: 'edge-a-002',
          state: 'DEGRADED',
          caution: true,
          waveIndex: 1,
        },
        {
          deviceId: 'edge-a-009',
          state: 'HEALTHY',
          caution: false,
          waveIndex: 1,
        },
      ],
      excluded: [
        {
          deviceId: 'edge-a-003',
          state: 'OFFLINE',
          reason: 'offline: queued for catch-up when it returns',
        },
        {
          deviceId: 'edge-a-004',
          state: 'MAINTENANCE',
          reason: 'maintenance: excluded until returned to healthy',
        },
        {
          deviceId: 'edge-a-005',
          state: 'PROVISIONING',
          reason: 'provisioning: not yet ready for deployments',
        },
        {
          deviceId: 'edge-a-006',
          state: 'FAILED',
          reason: 'failed: not eligible for new deployments',
        },
        {
          deviceId: 'edge-a-007',
          state: 'DECOMMISSIONED',
          reason: 'decommissioned: can never be targeted',
        },
        {
          deviceId: 'edge-a-008',
          state: 'HEALTHY',
          reason: 'excluded group "critical-devices"',
        },
      ],
      canaryPassedOver: [
        { deviceId: 'edge-a-002', reason: 'state degraded' },
        { deviceId: 'edge-a-009', reason: 'tagged single-point-failure' },
      ],
      waves: [
        {
          name: 'canary',
          isCanary: true,
          devices: ['edge-a-001'],
          offline: [],
        },
        {
          name: 'all',
          isCanary: false,
          devices: ['edge-a-002', 'edge-a-009'],
          offline: ['edge-a-003'],
        },
      ],
    });
  });

  it('does not warn at exactly 20 % of the target offline', async () => {
    const result = (await plan({ target: { groups: ['small'] } })) as Plan;
    expect([
      result.offlineCount,
      result.targetCount,
      result.offlineWarning,
    ]).toEqual([1, 5, null]);
  });

  it('warns when more than 20 % of the target is offline', async () => {
    await server.database.pool.query(
      `UPDATE device_status SET state = 'offline' WHERE device_id = 'edge-b-002'`,
    );
    const result = (await plan({ target: { groups: ['small'] } })) as Plan;
    expect([result.offlineCount, result.offlineWarning]).toEqual([
      2,
      '2 of 5 target devices are offline (40%), above the 20% threshold',
    ]);
  });

  it('applies a wave percentage deterministically', async () => {
    const manifest = {
      target: { groups: ['small'] },
      waves: [{ name: 'half', groups: ['small'], percentage: 50 }],
    };
    const first = (await plan(manifest)) as Plan;
    const second = (await plan(manifest)) as Plan;
    const picked = first.waves as Array<{
      devices: string[];
      offline: string[];
    }>;
    expect([
      picked[0]!.devices.length + picked[0]!.offline.length,
      second.waves,
    ]).toEqual([3, first.waves]);
  });

  it('names an unknown group', async () => {
    expect(
      await plan({ target: { groups: ['production-fleet', 'nope'] } }),
    ).toEqual({
      errors: [{ code: 'INVALID_MANIFEST', message: 'unknown group "nope"' }],
    });
  });

  it('needs the operator role', async () => {
    const key = await server.request<{ createApiKey: { key: string } }>(
      'mutation { createApiKey(name: "v", role: VIEWER) { key } }',
    );
    const result = await server.request(
      PLAN,
      { manifest: { artifact: 'a:1.0.0', target: { groups: ['small'] } } },
      key.data!.createApiKey.key,
    );
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('passes over a canary tagged single-point-failure as a key/value tag', async () => {
    await server.database.pool.query(
      `INSERT INTO device_tags (device_id, key, value)
       VALUES ('edge-b-004', 'fleet', 'single-point-failure')`,
    );
    await staticGroup(server, 'kv-canary-pool', ['edge-b-003', 'edge-b-004']);

    const result = (await plan({
      target: { groups: ['small'] },
      canary: { sourceGroup: 'kv-canary-pool', count: 2, selection: 'RANDOM' },
    })) as { canary: string[]; canaryPassedOver: unknown[] };

    expect({
      canary: result.canary,
      canaryPassedOver: result.canaryPassedOver,
    }).toEqual({
      canary: ['edge-b-003'],
      canaryPassedOver: [
        { deviceId: 'edge-b-004', reason: 'tagged single-point-failure' },
      ],
    });
  });
});
