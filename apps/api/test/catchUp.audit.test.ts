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
  // An entry sent to investigation, as the sweeper leaves it after 7 days.
  const investigate = async (deviceId: string, deploymentId: string) => {
    const entryId = await queue(deviceId, deploymentId);
    await server.database.pool.query(
      `UPDATE catch_up_queue SET status = 'investigation',
         closed_at = '2026-03-08T00:00:00Z', close_reason = 'offline 7 days'
       WHERE id = $1`,
      [entryId],
    );
    const { rows } = await server.database.pool.query<{ id: string }>(
      `INSERT INTO investigation_queue (id, device_id, catch_up_entry_id,
         reason, opened_at)
       VALUES (gen_random_uuid(), $1, $2, 'offline 7 days',
               '2026-03-08T00:00:00Z')
       RETURNING id`,
      [deviceId, entryId],
    );
    return { entryId, investigationId: rows[0]!.id };
  };
  const auditOf = async (entityId: string, entityType = 'catch_up_entry') => {
    const { auditLog } = await ok<{
      auditLog: { edges: Array<{ node: Record<string, unknown> }> };
    }>(
      server,
      `query ($type: String, $id: String) {
        auditLog(entityType: $type, entityId: $id) {
          edges { node { actor action entityId before after at } }
        }
      }`,
      { type: entityType, id: entityId },
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

  it('records a resolved investigation under its id with the operator and the resolution', async () => {
    const { investigationId } = await investigate(
      'edge-a-004',
      'deploy-20260301-004',
    );

    await ok(
      server,
      `mutation ($id: ID!) {
        resolveInvestigation(id: $id, resolution: "power supply replaced") {
          id
        }
      }`,
      { id: investigationId },
    );

    expect(await auditOf(investigationId, 'investigation')).toEqual([
      {
        actor: ACTOR,
        action: 'investigation.resolved',
        entityId: investigationId,
        before: { resolvedAt: null, resolution: null },
        after: { resolvedAt: NOW, resolution: 'power supply replaced' },
        at: NOW,
      },
    ]);
  });

  it('records nothing more when an investigation resolved already is resolved again', async () => {
    const { investigationId } = await investigate(
      'edge-a-005',
      'deploy-20260301-005',
    );
    const resolve = (resolution: string) =>
      server.request<{ resolveInvestigation: { resolution: string } }>(
        `mutation ($id: ID!, $resolution: String!) {
          resolveInvestigation(id: $id, resolution: $resolution) { resolution }
        }`,
        { id: investigationId, resolution },
      );
    const outcome = (result: Awaited<ReturnType<typeof resolve>>) =>
      result.data ?? result.errors?.map((error) => error.extensions);

    const blank = await resolve('   ');
    await resolve(' cable reseated ');
    const repeated = await resolve('cable reseated');
    const other = await resolve('something else');

    expect({
      blank: outcome(blank),
      repeated: outcome(repeated),
      other: outcome(other),
      audit: (await auditOf(investigationId, 'investigation')).map(
        (entry) => entry.after,
      ),
    }).toEqual({
      blank: [{ code: 'BAD_USER_INPUT', argument: 'resolution' }],
      repeated: { resolveInvestigation: { resolution: 'cable reseated' } },
      other: [
        { code: 'CONFLICT', resolvedAt: NOW, resolution: 'cable reseated' },
      ],
      audit: [{ resolvedAt: NOW, resolution: 'cable reseated' }],
    });
  });

  it('records the investigation a retry resolves under its id with the operator', async () => {
    const { entryId, investigationId } = await investigate(
      'edge-a-006',
      'deploy-20260301-006',
    );

    await ok(server, `mutation ($id: ID!) { retryCatchUp(id: $id) { id } }`, {
      id: entryId,
    });

    expect(await auditOf(investigationId, 'investigation')).toEqual([
      {
        actor: ACTOR,
        action: 'investigation.resolved',
        entityId: investigationId,
        before: { resolvedAt: null, resolution: null },
        after: { resolvedAt: NOW, resolution: `retried by ${ACTOR}` },
        at: NOW,
      },
    ]);
  });
});
