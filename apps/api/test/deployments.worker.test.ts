import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { capturedLogger, errorEntries } from './support/capturedLog.ts';
import {
  createDeployment,
  heartbeats,
  insertFleet,
  ok,
  staticGroup,
} from './support/deploymentFixtures.ts';

const MINUTE = 60_000;
const FAILED_ADVANCE =
  'could not advance a deployment; the deployment worker retries it next pass';

describe('the deployment worker', () => {
  let server: TestServer;
  const log = capturedLogger('info');
  let beat: ReturnType<typeof heartbeats>;

  const tick = () => server.server.services.deployments.worker.runOnce();
  const states = async (id: string) => {
    const { deployment } = await ok<{
      deployment: { state: string; waves: Array<{ state: string }> };
    }>(
      server,
      `query ($id: ID!) { deployment(id: $id) { state waves { state } } }`,
      { id },
    );
    return [deployment.state, ...deployment.waves.map((wave) => wave.state)];
  };
  const startOneWave = async (
    group: string,
    deviceId: string,
    soakMinutes = 10,
  ) => {
    await staticGroup(server, group, [deviceId]);
    const id = await createDeployment(server, {
      artifact: 'qa-app:v0.0.1',
      target: { groups: [group] },
      waves: [{ name: 'one', groups: [group], soakMinutes }],
    });
    await ok(
      server,
      `mutation ($id: ID!) { startDeployment(id: $id) { id } }`,
      {
        id,
      },
    );
    return id;
  };
  // A fault no rule of the worker expects, as a full disk or a bug would
  // raise: every update of `table` rows whose `column` is `value` fails
  // until it is lifted.
  const injectFault = (
    name: string,
    table: string,
    column: string,
    value: string,
  ) =>
    server.database.pool.query(`
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.${column} = '${value}' THEN
          RAISE EXCEPTION 'simulated fault';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER ${name} BEFORE UPDATE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ${name}();`);
  const breakWavesOf = (deploymentId: string) =>
    injectFault('qa_fault', 'deployment_waves', 'deployment_id', deploymentId);
  const breakPartOf = (deviceId: string) =>
    injectFault('qa_part_fault', 'deployment_devices', 'device_id', deviceId);
  const repairWaves = () =>
    server.database.pool.query(
      `DROP TRIGGER IF EXISTS qa_fault ON deployment_waves;
       DROP FUNCTION IF EXISTS qa_fault();
       DROP TRIGGER IF EXISTS qa_part_fault ON deployment_devices;
       DROP FUNCTION IF EXISTS qa_part_fault();`,
    );
  // Heartbeats of several devices in one batch, as a gateway sends them.
  const beatTogether = (deviceIds: string[], appVersion: string) =>
    server.request<{ heartbeatBatch: unknown[] }>(
      `mutation ($inputs: [HeartbeatInput!]!) {
        heartbeatBatch(inputs: $inputs) {
          deviceId ack { accepted state } error { code }
        }
      }`,
      {
        inputs: deviceIds.map((deviceId) => ({
          deviceId,
          status: 'HEALTHY',
          appVersion,
          sequence: 1,
        })),
      },
    );
  const errors = () => errorEntries(log.lines, 'deploymentId');

  beforeAll(async () => {
    server = await startTestServer({ logger: log.logger });
    server.clock.set('2026-02-01T10:00:00.000Z');
    const tokens = await insertFleet(server, [
      { id: 'edge-qa-001' },
      { id: 'edge-qa-002' },
      { id: 'edge-qa-003' },
      { id: 'edge-qa-004' },
      { id: 'edge-qa-005' },
      { id: 'edge-qa-006' },
    ]);
    beat = heartbeats(server, tokens);
  });
  afterEach(() => repairWaves());
  afterAll(() => server.close());

  it('moves the other deployments on when one fails, logs it, and retries it on the next pass', async () => {
    const broken = await startOneWave('qa-broken', 'edge-qa-001');
    const healthy = await startOneWave('qa-healthy', 'edge-qa-002');
    await beat('edge-qa-001', '0.0.1');
    await beat('edge-qa-002', '0.0.1');
    server.clock.advance(10 * MINUTE);
    await breakWavesOf(broken);
    log.lines.length = 0;

    expect(await tick()).toBe(true);

    expect([broken, healthy]).toEqual([
      'deploy-20260201-001',
      'deploy-20260201-002',
    ]);
    expect(await states(broken)).toEqual(['RUNNING', 'SOAKING']);
    expect(await states(healthy)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(errors()).toEqual([
      [FAILED_ADVANCE, 'deploy-20260201-001', 'simulated fault'],
    ]);

    await repairWaves();
    log.lines.length = 0;
    expect(await tick()).toBe(true);

    expect(await states(broken)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(errors()).toEqual([]);
  });

  it('moves the other deployments on after a batch of heartbeats when one fails, and acknowledges every heartbeat', async () => {
    const broken = await startOneWave('qa-broken-beat', 'edge-qa-003', 0);
    const healthy = await startOneWave('qa-healthy-beat', 'edge-qa-004', 0);
    await breakWavesOf(broken);
    log.lines.length = 0;

    const batch = await beatTogether(['edge-qa-003', 'edge-qa-004'], '0.0.1');

    expect([broken, healthy]).toEqual([
      'deploy-20260201-003',
      'deploy-20260201-004',
    ]);
    expect(batch).toEqual({
      status: 200,
      data: {
        heartbeatBatch: [
          {
            deviceId: 'edge-qa-003',
            ack: { accepted: true, state: 'HEALTHY' },
            error: null,
          },
          {
            deviceId: 'edge-qa-004',
            ack: { accepted: true, state: 'HEALTHY' },
            error: null,
          },
        ],
      },
    });
    expect(await states(broken)).toEqual(['RUNNING', 'RUNNING']);
    expect(await states(healthy)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(errors()).toEqual([[FAILED_ADVANCE, broken, 'simulated fault']]);

    await repairWaves();
    log.lines.length = 0;
    expect(await tick()).toBe(true);

    expect(await states(broken)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(errors()).toEqual([]);
  });

  it("settles the batch's other devices when one device's part fails, and acknowledges every heartbeat", async () => {
    const broken = await startOneWave('qa-broken-part', 'edge-qa-005', 0);
    const healthy = await startOneWave('qa-healthy-part', 'edge-qa-006', 0);
    await breakPartOf('edge-qa-005');
    log.lines.length = 0;

    const batch = await beatTogether(['edge-qa-005', 'edge-qa-006'], '0.0.1');
    const parts = await server.database.pool.query<{
      device_id: string;
      state: string;
    }>(
      `SELECT device_id, state FROM deployment_devices
       WHERE deployment_id = ANY($1) ORDER BY device_id`,
      [[broken, healthy]],
    );

    expect({
      accepted: (
        batch.data?.heartbeatBatch as Array<{ ack: { accepted: boolean } }>
      ).map((entry) => entry.ack.accepted),
      parts: parts.rows.map((row) => [row.device_id, row.state]),
      healthy: await states(healthy),
      errors: errorEntries(log.lines, 'deviceId'),
    }).toEqual({
      accepted: [true, true],
      parts: [
        ['edge-qa-005', 'assigned'],
        ['edge-qa-006', 'succeeded'],
      ],
      healthy: ['COMPLETED', 'COMPLETED'],
      errors: [
        [
          "could not settle a device's deployment; its next heartbeat retries it",
          'edge-qa-005',
          'simulated fault',
        ],
      ],
    });
  });
});
