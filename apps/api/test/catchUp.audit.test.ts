import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertFleet, ok } from './support/deploymentFixtures.ts';

const NOW = '2026-03-10T12:00:00.000Z';
const ACTOR = 'operator:bootstrap-admin';

describe('catch-up queue audit trail', () => {
  let server: TestServer;

  const queue = async (deviceId: string, deploymentId: string) => {
    await insertFleet(server, [
      {
        id: deviceId,
        state: 'offline',
        lastHeartbeatAt: '2026-03-10T09:00:00.000Z',
      },
    ]);
    await server.database.pool.query(
      `INSERT INTO deployments (id, artifact, target_version, manifest, state, created_by)
       VALUES ($1, 'inference-app:v2.3.1', '2.3.1', '{}', 'completed', 'test')`,
      [deploymentId],
    );
    const { rows } = await server.database.pool.query<{ id: string }>(
      `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id,
         queued_at, reason, attempts, max_attempts, priority, status)
       VALUES (gen_random_uuid(), $1, '2.3.1', $2, '2026-03-01T00:00:00Z',
               'device offline during deployment', 0, 3, 'normal', 'pending')
       RETURNING id`,
      [deviceId, deploymentId],
    );
    return rows[0]!.id;
  };
  const auditOf = async (entityId: string) => {
    const { auditLog } = await ok<{
      auditLog: { edges: Array<{ node: Record<string, unknown> }> };
    }>(
      server,
      `query ($id: String) {
        auditLog(entityType: "catch_up_entry", entityId: $id) {
          edges { node { actor action entityId before after at } }
        }
      }`,
      { id: entityId },
    );
    return auditLog.edges.map((edge) => edge.node);
  };

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set(NOW);
  });
  afterAll(() => server.close());

  it('records a skipped entry under its id with the operator and the reason', async () => {
    const id = await queue('edge-a-001', 'deploy-20260301-001');

    await ok(
      server,
      `mutation ($id: ID!) { skipCatchUp(id: $id, reason: "known bad build") { id } }`,
      { id },
    );

    expect(await auditOf(id)).toEqual([
      {
        actor: ACTOR,
        action: 'catch_up_entry.skipped',
        entityId: id,
        before: { status: 'pending', closedAt: null, closeReason: null },
        after: {
          status: 'skipped',
          closedAt: NOW,
          closeReason: 'known bad build',
        },
        at: NOW,
      },
    ]);
  });

  it('records a removed entry under its id with the operator', async () => {
    const id = await queue('edge-a-002', 'deploy-20260301-002');

    await ok(server, `mutation ($id: ID!) { removeCatchUp(id: $id) { id } }`, {
      id,
    });

    expect(await auditOf(id)).toEqual([
      {
        actor: ACTOR,
        action: 'catch_up_entry.removed',
        entityId: id,
        before: { status: 'pending', closedAt: null, closeReason: null },
        after: {
          status: 'removed',
          closedAt: NOW,
          closeReason: `removed by ${ACTOR}`,
        },
        at: NOW,
      },
    ]);
  });

  it('records a retried entry under its id with the failed attempt', async () => {
    const id = await queue('edge-a-003', 'deploy-20260301-003');

    await ok(server, `mutation ($id: ID!) { retryCatchUp(id: $id) { id } }`, {
      id,
    });

    expect(await auditOf(id)).toEqual([
      {
        actor: ACTOR,
        action: 'catch_up_entry.retried',
        entityId: id,
        before: { attempts: 0, lastAttemptAt: null, lastFailure: null },
        after: {
          attempts: 1,
          lastAttemptAt: NOW,
          lastFailure: 'device still offline',
        },
        at: NOW,
      },
    ]);
  });
});
