import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
  statusOf,
  transitionsOf,
} from './support/livenessFixtures.ts';

const HOUR = 3_600_000;

describe('heartbeat history, fleet health and registry sync', () => {
  let server: TestServer;
  let start: Date;

  beforeAll(async () => {
    server = await startTestServer({
      config: { history: { retention_days: 2 } },
    });
    start = server.clock.now();
    await insertLivenessDevices(
      server.database.pool,
      [
        { id: 'hi-1', tags: [['region', 'north']] },
        { id: 'hi-2', tags: [['region', 'north']] },
        { id: 'hi-3', tags: [['region', 'south']] },
      ],
      start,
    );
  });
  afterAll(() => server.close());

  it('pages a device heartbeat history newest first', async () => {
    for (let i = 1; i <= 3; i += 1) {
      server.clock.advance(1000);
      await sendHeartbeat(server, { deviceId: 'hi-1', sequence: i });
    }
    const query = `query ($after: String) { heartbeats(deviceId: "hi-1", first: 2, after: $after) {
      totalCount edges { node { sequence status } } pageInfo { hasNextPage endCursor } } }`;

    const first = await server.request<{
      heartbeats: { pageInfo: { endCursor: string } };
    }>(query);
    const second = await server.request(query, {
      after: first.data?.heartbeats.pageInfo.endCursor,
    });

    expect(first.data?.heartbeats).toMatchObject({
      totalCount: 3,
      edges: [
        { node: { sequence: 3, status: 'healthy' } },
        { node: { sequence: 2, status: 'healthy' } },
      ],
      pageInfo: { hasNextPage: true },
    });
    expect(second.data?.heartbeats).toMatchObject({
      edges: [{ node: { sequence: 1, status: 'healthy' } }],
      pageInfo: { hasNextPage: false },
    });
  });

  it('counts the fleet by state, or the devices a tag query selects', async () => {
    await server.database.pool.query(
      `UPDATE device_status SET state = 'degraded' WHERE device_id = 'hi-2'`,
    );

    const all = await server.request(
      '{ fleetHealth { total activeFleetSize byState { state count } } }',
    );
    const north = await server.request(
      '{ fleetHealth(where: "tag:region=north") { total byState { state count } } }',
    );

    const counts = (healthy: number, degraded: number) =>
      [
        'PROVISIONING',
        'HEALTHY',
        'DEGRADED',
        'FAILED',
        'OFFLINE',
        'MAINTENANCE',
        'DECOMMISSIONED',
      ].map((state) => ({
        state,
        count:
          state === 'HEALTHY' ? healthy : state === 'DEGRADED' ? degraded : 0,
      }));
    expect(all.data).toEqual({
      fleetHealth: { total: 3, activeFleetSize: 3, byState: counts(2, 1) },
    });
    expect(north.data).toEqual({
      fleetHealth: { total: 2, byState: counts(1, 1) },
    });
    await server.database.pool.query(
      `UPDATE device_status SET state = 'healthy' WHERE device_id = 'hi-2'`,
    );
  });

  it('refuses an invalid where with its query error code', async () => {
    const result = await server.request(
      '{ fleetHealth(where: "tag:region=") { total } }',
    );

    expect(result.errors?.map((e) => e.extensions?.code)).toEqual([
      'QUERY_SYNTAX_ERROR',
    ]);
  });

  it('rebuilds the state counts of past points from the recorded transitions', async () => {
    const now = server.clock.now();
    await server.database.pool.query(
      `INSERT INTO state_transitions (device_id, from_state, to_state, cause, actor, at)
       VALUES ('hi-3', 'healthy', 'offline', 'timeout', 'sweeper', $1),
              ('hi-3', 'offline', 'healthy', 'heartbeat', 'device', $2)`,
      [
        new Date(now.getTime() - 50 * 60_000),
        new Date(now.getTime() - 20 * 60_000),
      ],
    );

    const result = await server.request<{
      fleetHealthHistory: {
        stepMinutes: number;
        points: Array<{
          at: string;
          counts: Array<{ state: string; count: number }>;
        }>;
      };
    }>(
      '{ fleetHealthHistory(hours: 1) { stepMinutes points { at counts { state count } } } }',
    );

    const history = result.data!.fleetHealthHistory;
    const summary = history.points.map((p) => {
      const of = (state: string) =>
        p.counts.find((c) => c.state === state)!.count;
      return [
        (now.getTime() - new Date(p.at).getTime()) / 60_000,
        of('HEALTHY'),
        of('OFFLINE'),
      ];
    });
    expect(history.stepMinutes).toBe(10);
    expect(summary).toEqual([
      [60, 3, 0],
      [50, 2, 1],
      [40, 2, 1],
      [30, 2, 1],
      [20, 3, 0],
      [10, 3, 0],
      [0, 3, 0],
    ]);
  });

  it('prunes heartbeat history past the retention period', async () => {
    server.clock.set(new Date(start.getTime() + 2 * 24 * HOUR + 2000));

    const deleted = await server.server.services.liveness.pruneHistory();

    const { rows } = await server.database.pool.query(
      'SELECT sequence FROM heartbeats ORDER BY sequence',
    );
    expect([deleted, rows]).toEqual([1, [{ sequence: 2 }, { sequence: 3 }]]);
  });

  it('syncs reported inventory, marks non-responders offline and stores the report', async () => {
    await server.database.pool.query(
      `UPDATE devices SET os = 'ubuntu-20.04', ram_mb = 8192 WHERE id = 'hi-1'`,
    );
    await server.database.pool.query(
      `UPDATE device_status SET state = 'offline' WHERE device_id = 'hi-3'`,
    );
    await sendHeartbeat(server, { deviceId: 'hi-1', sequence: 9 });
    await sendHeartbeat(server, { deviceId: 'hi-2' });
    server.clock.advance(1000);
    const first = await server.request<{
      runRegistrySync: { id: string; newlyOffline: string[] };
    }>('mutation { runRegistrySync { id newlyOffline } }');
    expect(first.data?.runRegistrySync.newlyOffline).toEqual([]);
    server.clock.advance(HOUR);
    await sendHeartbeat(server, {
      deviceId: 'hi-1',
      sequence: 10,
      hardware: { ramMb: 16384, cpuCores: null },
      software: { os: 'ubuntu-22.04' },
    });
    await sendHeartbeat(server, { deviceId: 'hi-3', sequence: 1 });
    server.clock.advance(HOUR);

    const result = await server.request<{
      runRegistrySync: Record<string, unknown> & { id: string };
    }>(
      `mutation { runRegistrySync { id trigger devicesSynced discrepancyCount newlyOffline newlyOnline
        discrepancies { deviceId field registryValue reportedValue } } }`,
    );

    const report = result.data!.runRegistrySync;
    expect({ ...report, id: undefined }).toEqual({
      id: undefined,
      trigger: 'manual',
      devicesSynced: 2,
      discrepancyCount: 2,
      newlyOffline: ['hi-2'],
      newlyOnline: ['hi-3'],
      discrepancies: [
        {
          deviceId: 'hi-1',
          field: 'hardware.ram_mb',
          registryValue: 8192,
          reportedValue: 16384,
        },
        {
          deviceId: 'hi-1',
          field: 'software.os',
          registryValue: 'ubuntu-20.04',
          reportedValue: 'ubuntu-22.04',
        },
      ],
    });
    const device = await server.database.pool.query(
      `SELECT os, ram_mb FROM devices WHERE id = 'hi-1'`,
    );
    expect(device.rows).toEqual([{ os: 'ubuntu-22.04', ram_mb: 16384 }]);
    const audit = await server.database.pool.query(
      `SELECT actor, action, entity_id, before, after FROM audit_log WHERE actor = 'sync' ORDER BY id`,
    );
    expect(audit.rows).toEqual([
      {
        actor: 'sync',
        action: 'sync.update',
        entity_id: 'hi-1',
        before: { 'hardware.ram_mb': 8192 },
        after: { 'hardware.ram_mb': 16384 },
      },
      {
        actor: 'sync',
        action: 'sync.update',
        entity_id: 'hi-1',
        before: { 'software.os': 'ubuntu-20.04' },
        after: { 'software.os': 'ubuntu-22.04' },
      },
      {
        actor: 'sync',
        action: 'sync.update',
        entity_id: 'hi-1',
        before: null,
        after: {
          capabilityTags: { removed: ['memory-8gb'], added: ['memory-16gb'] },
        },
      },
    ]);
    expect((await statusOf(server.database.pool, 'hi-2')).state).toBe(
      'offline',
    );
    expect(await transitionsOf(server.database.pool, 'hi-2')).toEqual([
      'healthy>offline:sync',
    ]);

    const stored = await server.request(
      `query ($id: ID!) { syncReport(id: $id) { newlyOffline } syncReports { totalCount edges { node { id } } } }`,
      {
        id: report.id,
      },
    );
    expect(stored.data).toEqual({
      syncReport: { newlyOffline: ['hi-2'] },
      syncReports: {
        totalCount: 2,
        edges: [
          { node: { id: report.id } },
          { node: { id: first.data!.runRegistrySync.id } },
        ],
      },
    });
  });
});
