import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  heartbeats,
  insertFleet,
  logMessages,
  ok,
  staticGroup,
  type FleetFixture,
} from './support/deploymentFixtures.ts';

const MINUTE = 60_000;

interface WaveView {
  index: number;
  state: string;
  devices: Array<{ deviceId: string; state: string }>;
}

describe('deployment execution', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();
  let beat: ReturnType<typeof heartbeats>;

  const fleet = async (devices: FleetFixture[]) => {
    for (const [id, token] of await insertFleet(server, devices))
      tokens.set(id, token);
  };
  const create = async (
    waves: Array<Record<string, unknown>>,
    groups: string[],
  ) => {
    const data = await ok<{ createDeployment: { id: string } }>(
      server,
      `mutation ($m: DeploymentManifestInput) { createDeployment(manifest: $m) { id } }`,
      { m: { artifact: 'inference-app:v2.3.1', target: { groups }, waves } },
    );
    return data.createDeployment.id;
  };
  const act = (mutation: string, id: string, extra = '') =>
    ok(server, `mutation ($id: ID!) { ${mutation}(id: $id${extra}) { id } }`, {
      id,
    });
  const waves = async (id: string) =>
    (
      await ok<{ deployment: { state: string; waves: WaveView[] } }>(
        server,
        `query ($id: ID!) { deployment(id: $id) {
          state waves { index state devices { deviceId state } } } }`,
        { id },
      )
    ).deployment;
  const states = async (id: string) => {
    const view = await waves(id);
    return [view.state, ...view.waves.map((wave) => wave.state)];
  };
  const desired = async (ids: string[]) => {
    const { rows } = await server.database.pool.query<{
      device_id: string;
      desired_version: string | null;
    }>(
      `SELECT device_id, desired_version FROM device_status
       WHERE device_id = ANY($1) ORDER BY device_id`,
      [ids],
    );
    return rows.map((row) => [row.device_id, row.desired_version]);
  };
  const tick = () => server.server.services.deployments.worker.runOnce();

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set('2026-02-01T10:00:00.000Z');
    beat = heartbeats(server, tokens);
  });
  afterAll(() => server.close());

  it('resolves wave membership again when each wave starts', async () => {
    await fleet([
      { id: 'edge-m-001' },
      { id: 'edge-m-002' },
      { id: 'edge-m-003' },
      { id: 'edge-m-004' },
    ]);
    await staticGroup(server, 'm-first', ['edge-m-001']);
    await staticGroup(server, 'm-second', ['edge-m-002']);
    const id = await create(
      [
        { name: 'first', groups: ['m-first'] },
        { name: 'second', groups: ['m-second'] },
      ],
      ['m-first', 'm-second'],
    );
    await act('startDeployment', id);
    await ok(
      server,
      'mutation { addGroupMembers(name: "m-second", deviceIds: ["edge-m-003", "edge-m-004"]) { name } }',
    );
    await ok(
      server,
      'mutation { removeGroupMembers(name: "m-second", deviceIds: ["edge-m-002"]) { name } }',
    );
    await beat('edge-m-001', '2.3.1');
    expect((await waves(id)).waves[1]!.devices).toEqual([
      { deviceId: 'edge-m-003', state: 'ASSIGNED' },
      { deviceId: 'edge-m-004', state: 'ASSIGNED' },
    ]);
  });

  it('skips an offline device with the spec log line and queues it for catch-up', async () => {
    await fleet([
      { id: 'edge-s-001' },
      {
        id: 'edge-s-002',
        state: 'offline',
        tags: ['priority=high'],
        lastHeartbeatAt: '2026-02-01T08:15:30.000Z',
      },
    ]);
    await staticGroup(server, 's-all', ['edge-s-001', 'edge-s-002']);
    const id = await create([{ name: 'only', groups: ['s-all'] }], ['s-all']);
    await act('startDeployment', id);
    expect(await logMessages(server, id)).toEqual([
      `deployment of inference-app:v2.3.1 (2.3.1) created by operator:bootstrap-admin`,
      'started by operator:bootstrap-admin',
      'wave 0 "only" started: 1 assigned, 1 skipped offline',
      'edge-s-001 assigned 2.3.1 (from 2.3.0)',
      'edge-s-002 skipped: offline (last heartbeat: 2026-02-01T08:15:30Z)',
    ]);
    const queue = await ok<{
      catchUpQueue: { edges: Array<{ node: unknown }> };
    }>(
      server,
      `query ($id: ID) { catchUpQueue(filter: { deploymentId: $id }) { edges { node {
        deviceId targetVersion deploymentId queuedAt reason attempts maxAttempts
        priority lastAttempt lastFailure status } } } }`,
      { id },
    );
    expect(queue.catchUpQueue.edges.map((edge) => edge.node)).toEqual([
      {
        deviceId: 'edge-s-002',
        targetVersion: '2.3.1',
        deploymentId: id,
        queuedAt: '2026-02-01T10:00:00.000Z',
        reason: 'device offline during deployment',
        attempts: 0,
        maxAttempts: 3,
        priority: 'high',
        lastAttempt: null,
        lastFailure: null,
        status: 'PENDING',
      },
    ]);
    await beat('edge-s-001', '2.3.1');
    expect(await states(id)).toEqual(['COMPLETED', 'COMPLETED']);
  });

  it('waits out the soak on the clock, then the approval gate', async () => {
    await fleet([{ id: 'edge-g-001' }, { id: 'edge-g-002' }]);
    await staticGroup(server, 'g-one', ['edge-g-001']);
    await staticGroup(server, 'g-two', ['edge-g-002']);
    const id = await create(
      [
        { name: 'one', groups: ['g-one'], soakMinutes: 10 },
        { name: 'two', groups: ['g-two'], requireApproval: true },
      ],
      ['g-one', 'g-two'],
    );
    await act('startDeployment', id);
    await beat('edge-g-001', '2.3.1');
    expect(await states(id)).toEqual(['RUNNING', 'SOAKING', 'PENDING']);

    server.clock.advance(10 * MINUTE - 1);
    await tick();
    expect(await states(id)).toEqual(['RUNNING', 'SOAKING', 'PENDING']);

    server.clock.advance(1);
    await tick();
    expect(await states(id)).toEqual([
      'RUNNING',
      'COMPLETED',
      'AWAITING_APPROVAL',
    ]);
    expect(await desired(['edge-g-002'])).toEqual([['edge-g-002', null]]);

    await ok(
      server,
      `mutation ($id: ID!) { approveWave(deploymentId: $id, waveIndex: 1) { id } }`,
      { id },
    );
    expect(await states(id)).toEqual(['RUNNING', 'COMPLETED', 'RUNNING']);
    expect(await desired(['edge-g-002'])).toEqual([['edge-g-002', '2.3.1']]);
  });

  it('pauses, resumes, and aborts clearing the instruction of pending devices', async () => {
    await fleet([
      { id: 'edge-p-001' },
      { id: 'edge-p-002' },
      { id: 'edge-p-003' },
    ]);
    await staticGroup(server, 'p-one', ['edge-p-001']);
    await staticGroup(server, 'p-two', ['edge-p-002', 'edge-p-003']);
    const id = await create(
      [
        { name: 'one', groups: ['p-one'] },
        { name: 'two', groups: ['p-two'] },
      ],
      ['p-one', 'p-two'],
    );
    await act('startDeployment', id);
    await act('pauseDeployment', id);
    await beat('edge-p-001', '2.3.1');
    await tick();
    expect(await states(id)).toEqual(['PAUSED', 'RUNNING', 'PENDING']);

    await act('resumeDeployment', id);
    expect(await states(id)).toEqual(['RUNNING', 'COMPLETED', 'RUNNING']);

    await beat('edge-p-002', '2.3.1');
    await act('abortDeployment', id, ', reason: "bad build"');
    expect(await states(id)).toEqual(['ABORTED', 'COMPLETED', 'ABORTED']);
    expect((await waves(id)).waves[1]!.devices).toEqual([
      { deviceId: 'edge-p-002', state: 'SUCCEEDED' },
      { deviceId: 'edge-p-003', state: 'ABORTED' },
    ]);
    expect(await desired(['edge-p-002', 'edge-p-003'])).toEqual([
      ['edge-p-002', null],
      ['edge-p-003', null],
    ]);
    const again = await server.request(
      `mutation ($id: ID!) { resumeDeployment(id: $id) { id } }`,
      { id },
    );
    expect(again.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ['CONFLICT', `deployment ${id} is aborted; expected paused`],
    ]);
  });

  it('quarantines a device that reports failure and goes on with the fleet', async () => {
    await fleet([
      { id: 'edge-q-001' },
      { id: 'edge-q-002' },
      { id: 'edge-q-003' },
    ]);
    await staticGroup(server, 'q-one', ['edge-q-001', 'edge-q-002']);
    await staticGroup(server, 'q-two', ['edge-q-003']);
    const id = await create(
      [
        { name: 'one', groups: ['q-one'] },
        { name: 'two', groups: ['q-one', 'q-two'] },
      ],
      ['q-one', 'q-two'],
    );
    await act('startDeployment', id);
    await beat('edge-q-001', '2.3.0', 'FAILED');
    await beat('edge-q-002', '2.3.1');
    const view = await waves(id);
    expect(view.waves.map((wave) => wave.devices)).toEqual([
      [
        { deviceId: 'edge-q-001', state: 'QUARANTINED' },
        { deviceId: 'edge-q-002', state: 'SUCCEEDED' },
      ],
      [{ deviceId: 'edge-q-003', state: 'ASSIGNED' }],
    ]);
    expect(await desired(['edge-q-001'])).toEqual([['edge-q-001', null]]);
  });

  it('rolls a device back to its previous version when it reports it', async () => {
    await fleet([{ id: 'edge-r-001', version: '2.3.1' }]);
    const { rollbackDevice } = await ok<{ rollbackDevice: unknown }>(
      server,
      'mutation { rollbackDevice(id: "edge-r-001") { deviceId fromVersion toVersion } }',
    );
    expect(rollbackDevice).toEqual({
      deviceId: 'edge-r-001',
      fromVersion: '2.3.1',
      toVersion: '2.2.1',
    });
    expect(await beat('edge-r-001', '2.3.1')).toEqual({
      state: 'HEALTHY',
      instruction: { targetVersion: '2.2.1' },
    });
    await beat('edge-r-001', '2.2.1');
    const { rows } = await server.database.pool.query(
      `SELECT current_version, previous_version, deployment_slot,
              rollback_version, rollback_available
       FROM devices WHERE id = 'edge-r-001'`,
    );
    expect(rows).toEqual([
      {
        current_version: '2.2.1',
        previous_version: '2.3.1',
        deployment_slot: 'green',
        rollback_version: null,
        rollback_available: false,
      },
    ]);
  });
});
