import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';

const REGISTER = `mutation ($input: RegisterDeviceInput!) {
  registerDevice(input: $input) { deviceToken device { id } }
}`;

const DECOMMISSION = `mutation ($id: ID!, $force: Boolean, $reason: String) {
  decommissionDevice(id: $id, force: $force, reason: $reason) {
    revokedTokens removedFromGroups cancelledCatchUps
    device {
      id status { state stateSince } groups allowedActions
      metadata { decommissioned lastUpdated }
      tags { key value }
    }
  }
}`;

const AT = '2026-03-01T09:30:00.000Z';

const TAG_FORMAT_MIGRATION = join(
  import.meta.dirname,
  '../../../prisma/migrations',
  '20261207000300_decommissioned_tag_basic_format/migration.sql',
);

describe('decommissionDevice', () => {
  let server: TestServer;
  const tokens = new Map<string, string>();

  async function register(id: string, extra: Record<string, unknown> = {}) {
    const result = await server.request<{
      registerDevice: { deviceToken: string; device: { id: string } };
    }>(REGISTER, {
      input: {
        id,
        hostname: `${id}.local`,
        environment: 'production',
        hardware: { type: 'raspberry-pi-4', hasGpu: false },
        ...extra,
      },
    });
    tokens.set(id, result.data!.registerDevice.deviceToken);
  }

  const codes = (result: {
    errors?: Array<{ extensions?: Record<string, unknown> }>;
  }) => result.errors?.map((e) => e.extensions);

  beforeAll(async () => {
    server = await startTestServer();
    await server.database.pool.query(
      `INSERT INTO groups (id, name, membership) VALUES
         (gen_random_uuid(), 'critical-devices', 'static'),
         (gen_random_uuid(), 'line-3', 'static')`,
    );
    await register('retire-me', { groups: ['critical-devices', 'line-3'] });
    await register('spof', { tags: [{ key: 'single-point-failure' }] });
    await register('in-maintenance');
    for (const id of ['retire-me', 'in-maintenance']) {
      await server.request(
        'mutation ($id: ID!) { activateDevice(id: $id) { id } }',
        { id },
      );
    }
    await server.request(
      'mutation { enterMaintenance(id: "in-maintenance") { id } }',
    );
    await server.database.pool.query(
      `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id, reason, status)
       VALUES (gen_random_uuid(), 'retire-me', '2.3.1', 'deploy-1', 'offline', 'pending'),
              (gen_random_uuid(), 'retire-me', '2.3.0', 'deploy-0', 'offline', 'completed')`,
    );
    server.clock.set(AT);
  });
  afterAll(() => server.close());

  it('passes through MAINTENANCE, revokes tokens, leaves groups and tags the time', async () => {
    const result = await server.request(DECOMMISSION, {
      id: 'retire-me',
      reason: 'hardware end of life',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      decommissionDevice: {
        revokedTokens: 1,
        removedFromGroups: ['critical-devices', 'line-3'],
        cancelledCatchUps: 1,
        device: {
          id: 'retire-me',
          status: { state: 'DECOMMISSIONED', stateSince: AT },
          groups: [],
          allowedActions: [],
          metadata: { decommissioned: AT, lastUpdated: AT },
          tags: [
            { key: 'decommissioned', value: '20260301t093000z' },
            { key: 'environment', value: 'production' },
            { key: 'gpu-none', value: '' },
            { key: 'production', value: '' },
          ],
        },
      },
    });
  });

  it('records two operator transitions with the reason', async () => {
    const result = await server.request(
      `{ stateTransitions(deviceId: "retire-me", first: 2) {
           edges { node { from to cause actor reason at } } } }`,
    );
    const step = (from: string, to: string) => ({
      from,
      to,
      cause: 'OPERATOR',
      actor: 'operator:bootstrap-admin',
      reason: 'hardware end of life',
      at: AT,
    });
    expect(result.data).toEqual({
      stateTransitions: {
        edges: [
          { node: step('MAINTENANCE', 'DECOMMISSIONED') },
          { node: step('HEALTHY', 'MAINTENANCE') },
        ],
      },
    });
  });

  it('makes the device token fail at once', async () => {
    const result = await server.request(
      '{ me { kind } }',
      {},
      tokens.get('retire-me'),
    );
    expect(codes(result)).toEqual([{ code: 'UNAUTHENTICATED' }]);
  });

  it('cancels only the open catch-up entries', async () => {
    const { rows } = await server.database.pool.query(
      `SELECT target_version, status, closed_at, close_reason FROM catch_up_queue
       WHERE device_id = 'retire-me' ORDER BY target_version`,
    );
    expect(rows).toEqual([
      {
        target_version: '2.3.0',
        status: 'completed',
        closed_at: null,
        close_reason: null,
      },
      {
        target_version: '2.3.1',
        status: 'cancelled',
        closed_at: new Date(AT),
        close_reason: 'device decommissioned',
      },
    ]);
  });

  it('keeps the record, out of lists unless asked for, and matched by tag:decommissioned', async () => {
    const ids = async (args: string) => {
      const result = await server.request<{
        devices: { edges: Array<{ node: { id: string } }> };
      }>(`{ devices${args} { edges { node { id } } } }`);
      return result.data!.devices.edges.map((edge) => edge.node.id);
    };
    expect([
      await ids(''),
      await ids('(includeDecommissioned: true)'),
      await ids('(where: "tag:decommissioned")'),
    ]).toEqual([
      ['in-maintenance', 'spof'],
      ['in-maintenance', 'retire-me', 'spof'],
      ['retire-me'],
    ]);
  });

  it('never targets a decommissioned device again', async () => {
    const again = await server.request(DECOMMISSION, {
      id: 'retire-me',
      force: true,
    });
    const transition = await server.request(
      'mutation { transitionDevice(id: "retire-me", action: ENTER_MAINTENANCE) { id } }',
    );
    const update = await server.request(
      'mutation { updateDevice(id: "retire-me", input: { notes: "x" }) { id } }',
    );
    const tag = await server.request(
      'mutation { tagDevices(ids: ["retire-me"], tags: [{ key: "x" }]) { affectedCount } }',
    );
    expect([
      codes(again),
      codes(transition),
      codes(update),
      codes(tag),
    ]).toEqual([
      [
        {
          code: 'DEVICE_DECOMMISSIONED',
          deviceId: 'retire-me',
          allowedActions: [],
        },
      ],
      [
        {
          code: 'INVALID_TRANSITION',
          deviceId: 'retire-me',
          action: 'ENTER_MAINTENANCE',
          state: 'DECOMMISSIONED',
          allowedActions: [],
        },
      ],
      [{ code: 'DEVICE_DECOMMISSIONED', deviceId: 'retire-me' }],
      [{ code: 'DEVICE_DECOMMISSIONED', deviceId: 'retire-me' }],
    ]);
  });

  it('refuses a single-point-failure device unless forced, writing nothing', async () => {
    const refused = await server.request(DECOMMISSION, { id: 'spof' });
    const status = await server.database.pool.query(
      `SELECT s.state, d.decommissioned_at,
              (SELECT count(*)::int FROM state_transitions WHERE device_id = 'spof') AS transitions
       FROM device_status s JOIN devices d ON d.id = s.device_id WHERE d.id = 'spof'`,
    );
    const forced = await server.request<{
      decommissionDevice: { device: { status: { state: string } } };
    }>(DECOMMISSION, { id: 'spof', force: true });
    expect([
      codes(refused),
      status.rows,
      forced.data?.decommissionDevice.device.status,
    ]).toEqual([
      [{ code: 'SINGLE_POINT_OF_FAILURE', deviceId: 'spof' }],
      [{ state: 'provisioning', decommissioned_at: null, transitions: 1 }],
      { state: 'DECOMMISSIONED', stateSince: AT },
    ]);
  });

  it('records one transition for a device already in maintenance', async () => {
    await server.request(DECOMMISSION, { id: 'in-maintenance' });
    const { rows } = await server.database.pool.query(
      `SELECT from_state, to_state FROM state_transitions
       WHERE device_id = 'in-maintenance' AND at = $1 ORDER BY id`,
      [AT],
    );
    expect(rows).toEqual([
      { from_state: 'maintenance', to_state: 'decommissioned' },
    ]);
  });

  it('needs the admin role', async () => {
    const key = await server.request<{ createApiKey: { key: string } }>(
      'mutation { createApiKey(name: "ops", role: OPERATOR) { key } }',
    );
    const result = await server.request(
      DECOMMISSION,
      { id: 'in-maintenance' },
      key.data!.createApiKey.key,
    );
    expect(codes(result)).toEqual([
      { code: 'FORBIDDEN', requiredRole: 'admin' },
    ]);
  });

  it('writes an audit entry with the reason and what was removed', async () => {
    const result = await server.request(
      `{ auditLog(entityType: "device", entityId: "retire-me", first: 1) {
           edges { node { action before after at } } } }`,
    );
    expect(result.data).toEqual({
      auditLog: {
        edges: [
          {
            node: {
              action: 'device.decommissioned',
              before: {
                state: 'healthy',
                groups: ['critical-devices', 'line-3'],
              },
              after: {
                state: 'decommissioned',
                reason: 'hardware end of life',
                forced: false,
                revokedTokens: 1,
                cancelledCatchUps: 1,
              },
              at: AT,
            },
          },
        ],
      },
    });
  });

  it('rewrites tags stored in the old extended format, keeping other values', async () => {
    await register('old-format');
    await register('plain-tag');
    await server.database.pool.query(
      `INSERT INTO device_tags (device_id, key, value) VALUES
         ('old-format', 'decommissioned', '2026-12-04T17:09:05.894Z'),
         ('plain-tag', 'decommissioned', '')`,
    );
    await server.database.pool.query(
      readFileSync(TAG_FORMAT_MIGRATION, 'utf8'),
    );
    const { rows } = await server.database.pool.query(
      `SELECT device_id, value FROM device_tags
       WHERE key = 'decommissioned' ORDER BY device_id`,
    );
    expect(rows).toEqual([
      { device_id: 'in-maintenance', value: '20260301t093000z' },
      { device_id: 'old-format', value: '20261204t170905z' },
      { device_id: 'plain-tag', value: '' },
      { device_id: 'retire-me', value: '20260301t093000z' },
      { device_id: 'spof', value: '20260301t093000z' },
    ]);
  });
});
