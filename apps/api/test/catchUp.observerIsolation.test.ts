import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { capturedLogger, errorEntries } from './support/capturedLog.ts';
import { insertFleet } from './support/deploymentFixtures.ts';

const FAILED_MOVE =
  "could not move a device's catch-up; its next heartbeat retries it";

describe('catch-up after a batch of heartbeats', () => {
  let server: TestServer;
  const log = capturedLogger('info');
  const devices = ['edge-ci-001', 'edge-ci-002'];

  const statuses = async () => {
    const { rows } = await server.database.pool.query<{
      device_id: string;
      status: string;
    }>(
      `SELECT device_id, status FROM catch_up_queue
       WHERE device_id = ANY($1) ORDER BY device_id`,
      [devices],
    );
    return rows.map((row) => [row.device_id, row.status]);
  };
  const errors = () => errorEntries(log.lines, 'deviceId');

  beforeAll(async () => {
    server = await startTestServer({ logger: log.logger });
    server.clock.set('2026-03-10T12:00:00.000Z');
    await insertFleet(
      server,
      devices.map((id) => ({
        id,
        state: 'offline' as const,
        lastHeartbeatAt: '2026-03-10T09:00:00.000Z',
      })),
    );
    await server.database.pool.query(
      `INSERT INTO deployments (id, artifact, target_version, manifest, state, created_by)
       VALUES ('deploy-20260301-001', 'inference-app:v2.3.1', '2.3.1', '{}',
               'completed', 'test');
       INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id,
         queued_at, reason, attempts, max_attempts, priority, status)
       SELECT gen_random_uuid(), d, '2.3.1', 'deploy-20260301-001',
              '2026-03-01T00:00:00Z', 'device offline during deployment', 0, 3,
              'normal', 'pending'
       FROM unnest(ARRAY['edge-ci-001', 'edge-ci-002']) AS d;
       -- A fault no rule expects (a full disk, a bug): every write to the
       -- first device's entries fails.
       CREATE FUNCTION qa_catch_up_fault() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.device_id = 'edge-ci-001' THEN
           RAISE EXCEPTION 'simulated fault';
         END IF;
         RETURN NEW;
       END $$;
       CREATE TRIGGER qa_catch_up_fault BEFORE UPDATE ON catch_up_queue
         FOR EACH ROW EXECUTE FUNCTION qa_catch_up_fault();`,
    );
  });
  afterAll(() => server.close());

  it("moves the other devices' catch-up on when one device's fails, and logs it", async () => {
    log.lines.length = 0;
    const batch = await server.request<{ heartbeatBatch: unknown[] }>(
      `mutation ($inputs: [HeartbeatInput!]!) {
        heartbeatBatch(inputs: $inputs) { deviceId ack { accepted state } }
      }`,
      {
        inputs: devices.map((deviceId) => ({
          deviceId,
          status: 'HEALTHY',
          appVersion: '2.3.0',
          sequence: 1,
        })),
      },
    );

    expect({
      acks: batch.data?.heartbeatBatch,
      statuses: await statuses(),
      errors: errors(),
    }).toEqual({
      acks: devices.map((deviceId) => ({
        deviceId,
        ack: { accepted: true, state: 'HEALTHY' },
      })),
      statuses: [
        ['edge-ci-001', 'pending'],
        ['edge-ci-002', 'delivering'],
      ],
      errors: [[FAILED_MOVE, 'edge-ci-001', 'simulated fault']],
    });
  });
});
