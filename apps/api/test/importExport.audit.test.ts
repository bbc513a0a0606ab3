import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';

const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };
const IMPORTED_AT = '2026-06-01T08:00:00.000Z';

let server: TestServer;
let directory: string;

interface AuditNode {
  actor: string;
  action: string;
  before: unknown;
  after: Record<string, unknown> | null;
  at: string;
}

async function auditOf(entityType: string, entityId: string) {
  const result = await server.request<{
    auditLog: { totalCount: number; edges: Array<{ node: AuditNode }> };
  }>(
    `query ($type: String, $id: String) {
       auditLog(entityType: $type, entityId: $id) {
         totalCount edges { node { actor action before after at } }
       }
     }`,
    { type: entityType, id: entityId },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.auditLog;
}

function readDevice(id: string) {
  const file = join(directory, 'devices', `${id}.yaml`);
  return parse(readFileSync(file, 'utf8')) as {
    device: Record<string, Record<string, unknown> & { id?: string }>;
  };
}

function writeDevice(id: string, document: unknown) {
  writeFileSync(join(directory, 'devices', `${id}.yaml`), stringify(document));
}

async function importDirectory(dryRun = false) {
  return importRegistry(server.database.pool, {
    directory,
    now: new Date(IMPORTED_AT),
    timing: TIMING,
    dryRun,
    events: server.server.services.events,
  });
}

async function catchUpAudit() {
  const result = await server.request<{
    auditLog: { edges: Array<{ node: AuditNode & { entityId: string } }> };
  }>(
    `{ auditLog(entityType: "catch_up_entry") {
         edges { node { entityId actor action before after at } } } }`,
  );
  expect(result.errors).toBeUndefined();
  return result
    .data!.auditLog.edges.map(({ node }) => node)
    .sort((a, b) => a.action.localeCompare(b.action));
}

async function catchUpIds() {
  const { rows } = await server.database.pool.query<{
    id: string;
    device_id: string;
  }>('SELECT id, device_id FROM catch_up_queue');
  return new Map(rows.map((row) => [row.device_id, row.id]));
}

function catchUpEntry(deviceId: string, priority: string) {
  return {
    device_id: deviceId,
    target_version: '2.3.1',
    deployment_id: 'deploy-20260501-001',
    queued_at: '2026-05-01T00:00:00Z',
    reason: 'device offline during deployment',
    attempts: 0,
    max_attempts: 3,
    priority,
  };
}

beforeAll(async () => {
  server = await startTestServer();
  // Straight into the tables, so that the only audit entries are the
  // import's.
  await insertDevices(server.database.pool, [
    { id: 'audit-edited', tags: ['environment=production', 'production'] },
    { id: 'audit-kept', tags: ['environment=production', 'production'] },
  ]);
  await server.database.pool.query(
    `UPDATE devices SET environment = 'production'`,
  );
  await server.database.pool.query(
    `INSERT INTO groups (id, name, membership)
     VALUES (gen_random_uuid(), 'line-7', 'static')`,
  );
  const parent = mkdtempSync(join(tmpdir(), 'rollcall-audit-'));
  directory = join(parent, 'fleet-registry');
  mkdirSync(directory);
  await exportRegistry(server.database.pool, directory);

  // A group only in the registry: the device file decides its membership.
  rmSync(join(directory, 'groups', 'line-7.yaml'));
  const edited = readDevice('audit-edited');
  edited.device.metadata!.notes = 'moved to line 7';
  edited.device.tags = { ...edited.device.tags, site: 'factory-b' };
  edited.device.groups = ['line-7'] as never;
  writeDevice('audit-edited', edited);
  const created = readDevice('audit-kept');
  created.device.id = 'audit-created' as never;
  created.device.hostname = 'audit-created' as never;
  writeDevice('audit-created', created);

  // A queued entry the file updates (its priority) and one it adds.
  await server.database.pool.query(
    `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id,
       queued_at, reason, attempts, max_attempts, priority, status)
     VALUES (gen_random_uuid(), 'audit-kept', '2.3.1', 'deploy-20260501-001',
             '2026-05-01T00:00:00Z', 'device offline during deployment', 0, 3,
             'normal', 'pending')`,
  );
  writeFileSync(
    join(directory, 'deployments', 'deploy-20260501-001.yaml'),
    stringify({
      deployment: {
        id: 'deploy-20260501-001',
        artifact: 'inference-app:v2.3.1',
        status: { state: 'completed', created_by: 'operator:alice' },
      },
    }),
  );
  writeFileSync(
    join(directory, 'catch-up-queue.yaml'),
    stringify({
      catch_up_queue: [
        catchUpEntry('audit-kept', 'high'),
        catchUpEntry('audit-edited', 'normal'),
      ],
    }),
  );
});

afterAll(async () => {
  await server.close();
  rmSync(join(directory, '..'), { recursive: true, force: true });
});

describe('rollcall import audit trail', () => {
  it('writes nothing to the audit log on a dry run', async () => {
    await importDirectory(true);

    expect((await auditOf('device', 'audit-edited')).totalCount).toBe(0);
  });

  it("records a changed device's changed fields, before and after, as the import", async () => {
    await importDirectory();

    expect(await auditOf('device', 'audit-edited')).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            actor: `import:${basename(directory)}`,
            action: 'device.updated',
            before: {
              groups: [],
              'metadata.notes': null,
              tags: { environment: 'production' },
            },
            after: {
              groups: ['line-7'],
              'metadata.notes': 'moved to line 7',
              tags: { environment: 'production', site: 'factory-b' },
            },
            at: IMPORTED_AT,
          },
        },
      ],
    });
  });

  it('records a created device with the whole record', async () => {
    const audit = await auditOf('device', 'audit-created');

    expect([
      audit.totalCount,
      audit.edges[0]!.node.action,
      audit.edges[0]!.node.before,
      audit.edges[0]!.node.after!.hostname,
    ]).toEqual([1, 'device.imported', null, 'audit-created']);
  });

  it("records the group's membership change and nothing for an unchanged device", async () => {
    const group = await auditOf('group', 'line-7');

    expect([
      group.totalCount,
      group.edges[0]!.node.action,
      group.edges[0]!.node.before,
      group.edges[0]!.node.after,
      (await auditOf('device', 'audit-kept')).totalCount,
    ]).toEqual([
      1,
      'group.updated',
      { devices: [] },
      { devices: ['audit-edited'] },
      0,
    ]);
  });

  it('records catch-up entries under their ids, as the API does', async () => {
    const ids = await catchUpIds();
    const audit = await catchUpAudit();

    expect(
      audit.map((node) => [
        node.entityId,
        node.actor,
        node.action,
        node.action.endsWith('.updated') ? [node.before, node.after] : null,
      ]),
    ).toEqual([
      [
        ids.get('audit-edited'),
        'import:fleet-registry',
        'catch_up_entry.imported',
        null,
      ],
      [
        ids.get('audit-kept'),
        'import:fleet-registry',
        'catch_up_entry.updated',
        [{ priority: 'normal' }, { priority: 'high' }],
      ],
    ]);
  });

  it('names the import as the same actor in its state changes as in its audit entries', async () => {
    const { stateTransitions } = (
      await server.request<{
        stateTransitions: {
          edges: Array<{ node: { actor: string; cause: string } }>;
        };
      }>(
        `{ stateTransitions(deviceId: "audit-created") {
             edges { node { actor cause } } } }`,
      )
    ).data!;
    const { rows: events } = await server.database.pool.query<{
      actor: string;
    }>(
      `SELECT payload->>'actor' AS actor FROM device_events
       WHERE device_id = 'audit-created' AND kind = 'stateChanged'`,
    );

    expect([
      stateTransitions.edges.map(({ node }) => node),
      events,
      (await auditOf('device', 'audit-created')).edges[0]!.node.actor,
    ]).toEqual([
      [{ actor: 'import:fleet-registry', cause: 'REGISTRATION' }],
      [{ actor: 'import:fleet-registry' }],
      'import:fleet-registry',
    ]);
  });
});
