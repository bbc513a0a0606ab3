import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
  statusOf,
} from './support/livenessFixtures.ts';

const MINUTE = 60_000;

// [minutes offline, tier reached]
const LADDER: Array<[number, string]> = [
  [5, 'warning'],
  [15, 'alert'],
  [60, 'critical'],
  [120, 'monitor'],
  [24 * 60, 'escalate'],
  [7 * 24 * 60, 'investigate'],
  [30 * 24 * 60, 'decommission_review'],
];

describe('offline escalation tiers', () => {
  let server: TestServer;
  let since: Date;
  const sweep = () => server.server.services.liveness.sweeper.runOnce();

  beforeAll(async () => {
    server = await startTestServer();
    since = server.clock.now();
    await insertLivenessDevices(
      server.database.pool,
      [
        {
          id: 'silent',
          state: 'offline',
          lastKnownState: 'healthy',
          offlineSince: since,
          dueAt: new Date(since.getTime() + 5 * MINUTE),
        },
      ],
      since,
    );
    await server.database.pool.query(
      `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id, reason)
       VALUES (gen_random_uuid(), 'silent', '2.4.0', 'dep-1', 'device offline during deployment')`,
    );
  });
  afterAll(() => server.close());

  it('enters each tier exactly at its threshold, with its entry time, event and alert', async () => {
    const seen: Array<[number, string | null, string | null]> = [];
    for (const [minutes] of LADDER) {
      server.clock.set(new Date(since.getTime() + minutes * MINUTE - 1));
      await sweep();
      const before = (await statusOf(server.database.pool, 'silent'))
        .offlineTier;
      server.clock.set(new Date(since.getTime() + minutes * MINUTE));
      await sweep();
      const status = await statusOf(server.database.pool, 'silent');
      seen.push([minutes, before, status.offlineTier]);
      expect(status.tierSince).toBe(
        new Date(since.getTime() + minutes * MINUTE).toISOString(),
      );
    }

    expect(seen).toEqual([
      [5, null, 'warning'],
      [15, 'warning', 'alert'],
      [60, 'alert', 'critical'],
      [120, 'critical', 'monitor'],
      [1440, 'monitor', 'escalate'],
      [10080, 'escalate', 'investigate'],
      [43200, 'investigate', 'decommission_review'],
    ]);
    const events = await server.database.pool.query(
      `SELECT coalesce(payload->>'from', 'null') AS "from", payload->>'to' AS "to"
       FROM device_events
       WHERE device_id = 'silent' AND kind = 'tierChanged' ORDER BY id`,
    );
    expect(events.rows.map((r) => `${r.from}>${r.to}`)).toEqual([
      'null>warning',
      'warning>alert',
      'alert>critical',
      'critical>monitor',
      'monitor>escalate',
      'escalate>investigate',
      'investigate>decommission_review',
    ]);
    const alerts = await server.database.pool.query(
      `SELECT kind, raised_at FROM alerts WHERE device_id = 'silent' ORDER BY raised_at`,
    );
    expect(alerts.rows).toEqual(
      LADDER.map(([minutes, tier]) => ({
        kind: `offline_${tier}`,
        raised_at: new Date(since.getTime() + minutes * MINUTE),
      })),
    );
  });

  it('moved the catch-up entry to the investigation queue at 7 days', async () => {
    const queue = await server.database.pool.query(
      `SELECT status FROM catch_up_queue WHERE device_id = 'silent'`,
    );
    const investigation = await server.database.pool.query(
      `SELECT device_id, opened_at FROM investigation_queue WHERE device_id = 'silent'`,
    );
    expect(queue.rows).toEqual([{ status: 'investigation' }]);
    expect(investigation.rows).toEqual([
      {
        device_id: 'silent',
        opened_at: new Date(since.getTime() + 7 * 24 * 60 * MINUTE),
      },
    ]);
  });

  it('tags a device offline-extended past 30 days and leaves it out of the active fleet', async () => {
    const tags = await server.database.pool.query(
      `SELECT key FROM device_tags WHERE device_id = 'silent'`,
    );
    const health = await server.request(
      '{ fleetHealth { total activeFleetSize byTier { tier count } } }',
    );

    expect(tags.rows).toEqual([{ key: 'offline-extended' }]);
    expect(health.data).toEqual({
      fleetHealth: {
        total: 1,
        activeFleetSize: 0,
        byTier: [
          { tier: 'WARNING', count: 0 },
          { tier: 'ALERT', count: 0 },
          { tier: 'CRITICAL', count: 0 },
          { tier: 'MONITOR', count: 0 },
          { tier: 'ESCALATE', count: 0 },
          { tier: 'INVESTIGATE', count: 0 },
          { tier: 'DECOMMISSION_REVIEW', count: 1 },
        ],
      },
    });
  });

  it('clears the tier, its alerts and the tag when the device returns', async () => {
    server.clock.advance(MINUTE);

    const ack = await sendHeartbeat(server, { deviceId: 'silent' });

    expect(ack.data?.heartbeat).toMatchObject({
      state: 'HEALTHY',
      offlineTier: null,
    });
    const status = await statusOf(server.database.pool, 'silent');
    expect([status.offlineTier, status.tierSince, status.offlineSince]).toEqual(
      [null, null, null],
    );
    const open = await server.database.pool.query(
      `SELECT count(*)::int AS n FROM alerts WHERE device_id = 'silent' AND cleared_at IS NULL`,
    );
    const tags = await server.database.pool.query(
      `SELECT key FROM device_tags WHERE device_id = 'silent'`,
    );
    const last = await server.database.pool.query(
      `SELECT payload->>'from' AS "from", payload->'to' AS "to" FROM device_events
       WHERE device_id = 'silent' AND kind = 'tierChanged' ORDER BY id DESC LIMIT 1`,
    );
    expect([open.rows, tags.rows, last.rows]).toEqual([
      [{ n: 0 }],
      [],
      [{ from: 'decommission_review', to: null }],
    ]);
  });
});
