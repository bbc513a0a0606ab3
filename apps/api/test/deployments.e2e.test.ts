import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  DEPLOYMENT_FIELDS,
  dynamicGroup,
  heartbeats,
  insertFleet,
  logMessages,
  ok,
  staticGroup,
} from './support/deploymentFixtures.ts';

const MANIFEST = `
deployment:
  artifact: "inference-app:v2.3.1"
  target:
    groups: ["production-fleet"]
    exclude_groups: ["critical-devices"]
  canary:
    source_group: "canary-pool"
    count: 3
    selection: "one-per-device-type"
  waves:
    - name: "critical"
      groups: ["critical-devices"]
      percentage: 100
      soak_minutes: 30
      require_approval: true
    - name: "main-fleet"
      groups: ["production-fleet"]
      exclude_groups: ["critical-devices"]
      percentage: 100
      soak_minutes: 15
`;

const OFFLINE_SINCE = '2026-01-16T12:00:00.000Z';
const MINUTE = 60_000;

interface DeploymentView {
  id: string;
  state: string;
  currentWave: number | null;
  waves: Array<{
    index: number;
    name: string;
    isCanary: boolean;
    state: string;
    devices: Array<{ deviceId: string; state: string }>;
    succeeded: number;
    failed: number;
    skipped: number;
    pending: number;
  }>;
}

describe('a deployment with a canary and two waves', () => {
  let server: TestServer;
  let beat: ReturnType<typeof heartbeats>;

  const view = async (id: string) =>
    (
      await ok<{ deployment: DeploymentView }>(
        server,
        `query ($id: ID!) { deployment(id: $id) { ${DEPLOYMENT_FIELDS} } }`,
        { id },
      )
    ).deployment;
  const versions = async () => {
    const { rows } = await server.database.pool.query<{
      id: string;
      current_version: string;
    }>('SELECT id, current_version FROM devices ORDER BY id');
    return Object.fromEntries(rows.map((r) => [r.id, r.current_version]));
  };

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set('2026-01-16T14:30:00.000Z');
    const production = ['production'];
    const tokens = await insertFleet(server, [
      {
        id: 'edge-jetson-prod-001',
        tags: [...production, 'single-point-failure'],
      },
      { id: 'edge-jetson-prod-002', tags: production },
      { id: 'edge-jetson-prod-003', tags: production },
      { id: 'edge-jetson-prod-004', tags: production },
      {
        id: 'edge-jetson-prod-005',
        tags: production,
        state: 'offline',
        lastHeartbeatAt: OFFLINE_SINCE,
      },
      { id: 'edge-rpi-prod-001', type: 'rpi-4', tags: production },
      { id: 'edge-rpi-prod-002', type: 'rpi-4', tags: production },
      {
        id: 'edge-rpi-prod-003',
        type: 'rpi-4',
        tags: production,
        state: 'offline',
        lastHeartbeatAt: OFFLINE_SINCE,
      },
      { id: 'edge-jetson-prod-101', tags: production },
      {
        id: 'edge-jetson-prod-102',
        tags: production,
        state: 'offline',
        lastHeartbeatAt: OFFLINE_SINCE,
      },
    ]);
    beat = heartbeats(server, tokens);
    await dynamicGroup(server, 'production-fleet', 'tag:production');
    await staticGroup(server, 'canary-pool', [
      'edge-jetson-prod-001',
      'edge-jetson-prod-002',
      'edge-rpi-prod-001',
    ]);
    await staticGroup(server, 'critical-devices', [
      'edge-jetson-prod-101',
      'edge-jetson-prod-102',
    ]);
  });
  afterAll(() => server.close());

  it('runs to completion and the offline devices converge through catch-up', async () => {
    const { createDeployment } = await ok<{ createDeployment: { id: string } }>(
      server,
      'mutation ($yaml: String) { createDeployment(manifestYaml: $yaml) { id } }',
      { yaml: MANIFEST },
    );
    const id = createDeployment.id;
    expect(id).toBe('deploy-20260116-001');
    await ok(
      server,
      'mutation ($id: ID!) { startDeployment(id: $id) { id } }',
      { id },
    );

    // Canary: one per device type, never the single-point-failure device.
    const canary = (await view(id)).waves[0]!;
    expect(canary.devices).toEqual([
      { deviceId: 'edge-jetson-prod-002', state: 'ASSIGNED' },
      { deviceId: 'edge-rpi-prod-001', state: 'ASSIGNED' },
    ]);
    expect(await beat('edge-jetson-prod-002', '2.3.0')).toEqual({
      state: 'HEALTHY',
      instruction: { targetVersion: '2.3.1' },
    });
    await beat('edge-jetson-prod-002', '2.3.1');
    await beat('edge-rpi-prod-001', '2.3.1');
    expect((await view(id)).waves.map((wave) => wave.state)).toEqual([
      'COMPLETED',
      'AWAITING_APPROVAL',
      'PENDING',
    ]);

    // Critical wave after approval; its offline device is skipped.
    await ok(
      server,
      'mutation ($id: ID!) { approveWave(deploymentId: $id, waveIndex: 1) { id } }',
      { id },
    );
    await beat('edge-jetson-prod-101', '2.3.1');
    const critical = (await view(id)).waves[1]!;
    expect(critical).toMatchObject({
      state: 'SOAKING',
      succeeded: 1,
      failed: 0,
      skipped: 1,
      pending: 0,
    });

    server.clock.advance(30 * MINUTE);
    await server.server.services.deployments.worker.runOnce();
    const main = (await view(id)).waves[2]!;
    expect(main.devices).toEqual([
      { deviceId: 'edge-jetson-prod-001', state: 'ASSIGNED' },
      { deviceId: 'edge-jetson-prod-003', state: 'ASSIGNED' },
      { deviceId: 'edge-jetson-prod-004', state: 'ASSIGNED' },
      { deviceId: 'edge-jetson-prod-005', state: 'SKIPPED' },
      { deviceId: 'edge-rpi-prod-002', state: 'ASSIGNED' },
      { deviceId: 'edge-rpi-prod-003', state: 'SKIPPED' },
    ]);
    for (const device of [
      'edge-jetson-prod-001',
      'edge-jetson-prod-003',
      'edge-rpi-prod-002',
    ]) {
      await beat(device, '2.3.1');
    }
    await beat('edge-jetson-prod-004', '2.3.0', 'FAILED');
    expect((await view(id)).waves[2]).toMatchObject({
      state: 'SOAKING',
      succeeded: 3,
      failed: 1,
      skipped: 2,
      pending: 0,
    });

    server.clock.advance(15 * MINUTE);
    await server.server.services.deployments.worker.runOnce();
    expect((await view(id)).state).toBe('COMPLETED');
    expect(await logMessages(server, id)).toContain(
      'edge-jetson-prod-005 skipped: offline (last heartbeat: 2026-01-16T12:00:00Z)',
    );

    // The offline devices return: told the version, then healthy on it.
    for (const device of [
      'edge-jetson-prod-005',
      'edge-rpi-prod-003',
      'edge-jetson-prod-102',
    ]) {
      expect(await beat(device, '2.3.0')).toEqual({
        state: 'HEALTHY',
        instruction: { targetVersion: '2.3.1' },
      });
      expect(await beat(device, '2.3.1')).toEqual({
        state: 'HEALTHY',
        instruction: null,
      });
    }
    const queue = await ok<{
      catchUpQueue: {
        edges: Array<{
          node: { deviceId: string; status: string; attempts: number };
        }>;
      };
    }>(
      server,
      '{ catchUpQueue { edges { node { deviceId status attempts } } } }',
    );
    expect(queue.catchUpQueue.edges.map((edge) => edge.node)).toEqual([
      { deviceId: 'edge-jetson-prod-102', status: 'COMPLETED', attempts: 1 },
      { deviceId: 'edge-jetson-prod-005', status: 'COMPLETED', attempts: 1 },
      { deviceId: 'edge-rpi-prod-003', status: 'COMPLETED', attempts: 1 },
    ]);
    expect(await versions()).toEqual({
      'edge-jetson-prod-001': '2.3.1',
      'edge-jetson-prod-002': '2.3.1',
      'edge-jetson-prod-003': '2.3.1',
      'edge-jetson-prod-004': '2.3.0',
      'edge-jetson-prod-005': '2.3.1',
      'edge-jetson-prod-101': '2.3.1',
      'edge-jetson-prod-102': '2.3.1',
      'edge-rpi-prod-001': '2.3.1',
      'edge-rpi-prod-002': '2.3.1',
      'edge-rpi-prod-003': '2.3.1',
    });
  });

  it('records the deployment fields of a device that took the version', async () => {
    const { rows } = await server.database.pool.query(
      `SELECT current_version, previous_version, deployment_slot,
              rollback_version, rollback_available, last_deployed_at
       FROM devices WHERE id = 'edge-rpi-prod-003'`,
    );
    expect(rows).toEqual([
      {
        current_version: '2.3.1',
        previous_version: '2.3.0',
        deployment_slot: 'green',
        rollback_version: '2.3.0',
        rollback_available: true,
        last_deployed_at: new Date('2026-01-16T15:15:00.000Z'),
      },
    ]);
  });
});
