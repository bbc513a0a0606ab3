import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueCatchUp } from '../src/catchUp/catchUpEntries.ts';
import { migrate, readMigrations } from '../src/db/migrator.ts';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import {
  createTestDatabase,
  startTestServer,
  type TestServer,
} from '../src/testing/index.ts';
import { insertFleet } from './support/deploymentFixtures.ts';
import { insertLivenessDevices } from './support/livenessFixtures.ts';

const NOW = '2026-03-10T12:00:00.000Z';
const INDEX = 'catch_up_queue_open_entry_key';
const MIGRATION = '20261213000000_catch_up_one_open_entry';

/** Inserts a catch-up entry straight into the table; returns its id. */
async function insertEntry(
  pool: pg.Pool,
  entry: {
    deviceId: string;
    deploymentId: string;
    status: string;
    queuedAt: string;
  },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id,
       queued_at, reason, status)
     VALUES (gen_random_uuid(), $1, '2.3.1', $2, $3,
             'device offline during deployment', $4)
     RETURNING id`,
    [entry.deviceId, entry.deploymentId, entry.queuedAt, entry.status],
  );
  return rows[0]!.id;
}

/** A device's entries, oldest queued first. */
async function entriesOf(pool: pg.Pool, deviceId: string) {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT id, deployment_id, status, priority, close_reason
     FROM catch_up_queue WHERE device_id = $1 ORDER BY queued_at`,
    [deviceId],
  );
  return rows;
}

describe('one open catch-up entry per device and deployment', () => {
  let server: TestServer;
  let pool: pg.Pool;

  /** True once `pid` waits for a lock (polled, never slept on). */
  const waitsForLock = async (pid: number) => {
    for (let look = 0; look < 500; look += 1) {
      const { rows } = await pool.query<{ wait_event_type: string | null }>(
        'SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1',
        [pid],
      );
      if (rows[0]?.wait_event_type === 'Lock') return true;
    }
    return false;
  };

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set(NOW);
    pool = server.database.pool;
    await insertFleet(
      server,
      ['edge-o-001', 'edge-o-002', 'edge-o-003', 'edge-o-004'].map((id) => ({
        id,
        state: 'offline',
        lastHeartbeatAt: '2026-02-28T09:00:00.000Z',
      })),
    );
    for (const n of [1, 2, 3, 4]) {
      await pool.query(
        `INSERT INTO deployments (id, artifact, target_version, manifest,
           state, created_by)
         VALUES ($1, 'inference-app:v2.3.1', '2.3.1', '{}', 'completed', 'test')`,
        [`deploy-20260301-00${n}`],
      );
    }
  });
  afterAll(() => server.close());

  it('refuses a second open entry of a device for one deployment, and keeps any number of closed ones', async () => {
    const entry = (status: string, queuedAt: string) =>
      insertEntry(pool, {
        deviceId: 'edge-o-001',
        deploymentId: 'deploy-20260301-001',
        status,
        queuedAt,
      });
    await entry('superseded', '2026-03-01T00:00:00Z');
    await entry('cancelled', '2026-03-02T00:00:00Z');
    await entry('pending', '2026-03-03T00:00:00Z');

    const refused = await entry('delivering', '2026-03-04T00:00:00Z').catch(
      (error: { code: string; constraint: string }) => [
        error.code,
        error.constraint,
      ],
    );

    expect([
      refused,
      (await entriesOf(pool, 'edge-o-001')).map((row) => row.status),
    ]).toEqual([
      ['23505', INDEX],
      ['superseded', 'cancelled', 'pending'],
    ]);
  });

  it('keeps the entry another transaction queued first when two queue the device for one deployment at once', async () => {
    const events = server.server.services.events;
    const queued = {
      deviceId: 'edge-o-002',
      targetVersion: '2.3.1',
      deploymentId: 'deploy-20260301-002',
      priority: 'normal',
      at: new Date(NOW),
    };
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      const pid = (
        await second.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
      ).rows[0]!.pid;
      await first.query('BEGIN');
      await second.query('BEGIN');
      const firstId = await enqueueCatchUp(first, events, queued);
      const secondId = enqueueCatchUp(second, events, queued);
      const waited = await waitsForLock(pid);
      await first.query('COMMIT');
      const answered = await secondId;
      await second.query('COMMIT');

      expect({
        waited,
        answered,
        entries: await entriesOf(pool, 'edge-o-002'),
      }).toEqual({
        waited: true,
        answered: firstId,
        entries: [
          {
            id: firstId,
            deployment_id: 'deploy-20260301-002',
            status: 'pending',
            priority: 'normal',
            close_reason: null,
          },
        ],
      });
    } finally {
      await first.query('ROLLBACK').catch(() => undefined);
      await second.query('ROLLBACK').catch(() => undefined);
      first.release();
      second.release();
    }
  });

  it('refuses retrying an investigated entry while the device has another open entry for the deployment, changing nothing', async () => {
    const investigated = await insertEntry(pool, {
      deviceId: 'edge-o-003',
      deploymentId: 'deploy-20260301-003',
      status: 'investigation',
      queuedAt: '2026-03-01T00:00:00Z',
    });
    await pool.query(
      `INSERT INTO investigation_queue (id, device_id, catch_up_entry_id,
         reason, opened_at)
       VALUES (gen_random_uuid(), 'edge-o-003', $1, 'offline 7 days',
               '2026-03-08T00:00:00Z')`,
      [investigated],
    );
    const open = await insertEntry(pool, {
      deviceId: 'edge-o-003',
      deploymentId: 'deploy-20260301-003',
      status: 'pending',
      queuedAt: '2026-03-09T00:00:00Z',
    });

    const result = await server.request(
      'mutation ($id: ID!) { retryCatchUp(id: $id) { id } }',
      { id: investigated },
    );
    const resolved = await pool.query(
      `SELECT resolved_at FROM investigation_queue
       WHERE catch_up_entry_id = $1`,
      [investigated],
    );

    expect([
      result.errors?.map((error) => ({
        message: error.message,
        code: error.extensions?.code,
        openEntryId: error.extensions?.openEntryId,
      })),
      (await entriesOf(pool, 'edge-o-003')).map((row) => row.status),
      resolved.rows,
    ]).toEqual([
      [
        {
          message:
            `catch-up entry ${investigated} cannot be retried: device ` +
            'edge-o-003 has another open entry for deployment ' +
            'deploy-20260301-003',
          code: 'CONFLICT',
          openEntryId: open,
        },
      ],
      ['investigation', 'pending'],
      [{ resolved_at: null }],
    ]);
  });

  it('imports a queue file for a device with a closed and an open entry of one deployment by updating the open one', async () => {
    const closed = await insertEntry(pool, {
      deviceId: 'edge-o-004',
      deploymentId: 'deploy-20260301-004',
      status: 'superseded',
      queuedAt: '2026-03-01T00:00:00Z',
    });
    const open = await insertEntry(pool, {
      deviceId: 'edge-o-004',
      deploymentId: 'deploy-20260301-004',
      status: 'pending',
      queuedAt: '2026-03-02T00:00:00Z',
    });
    const directory = mkdtempSync(join(tmpdir(), 'rollcall-open-entry-'));
    writeFileSync(
      join(directory, 'catch-up-queue.yaml'),
      [
        'catch_up_queue:',
        '  - device_id: edge-o-004',
        '    target_version: 2.3.1',
        '    deployment_id: deploy-20260301-004',
        '    queued_at: 2026-03-02T00:00:00Z',
        '    reason: device offline during deployment',
        '    priority: high',
        '',
      ].join('\n'),
    );

    try {
      const summary = await importRegistry(pool, {
        directory,
        now: new Date(NOW),
        timing: { intervalSeconds: 60, timeoutSeconds: 180 },
      });

      expect([
        summary.catchUpEntries,
        summary.failures,
        await entriesOf(pool, 'edge-o-004'),
      ]).toEqual([
        { created: 0, updated: 1, unchanged: 0 },
        [],
        [
          {
            id: closed,
            deployment_id: 'deploy-20260301-004',
            status: 'superseded',
            priority: 'normal',
            close_reason: null,
          },
          {
            id: open,
            deployment_id: 'deploy-20260301-004',
            status: 'pending',
            priority: 'high',
            close_reason: null,
          },
        ],
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe(`migration ${MIGRATION}`, () => {
  it('closes the open duplicates already stored, keeping the one delivering, else the latest queued', async () => {
    const database = await createTestDatabase();
    try {
      const { pool } = database;
      await pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      await migrate(
        pool,
        readMigrations().filter((migration) => migration.name < MIGRATION),
      );
      await insertLivenessDevices(
        pool,
        [{ id: 'dup-1' }, { id: 'dup-2' }],
        new Date(NOW),
      );
      const entry = (deviceId: string, status: string, queuedAt: string) =>
        insertEntry(pool, {
          deviceId,
          deploymentId: 'deploy-20260301-001',
          status,
          queuedAt,
        });
      const delivering = await entry(
        'dup-1',
        'delivering',
        '2026-03-01T00:00:00Z',
      );
      await entry('dup-1', 'pending', '2026-03-03T00:00:00Z');
      await entry('dup-1', 'completed', '2026-02-01T00:00:00Z');
      await entry('dup-2', 'pending', '2026-03-01T00:00:00Z');
      const latest = await entry('dup-2', 'pending', '2026-03-02T00:00:00Z');

      const applied = await migrate(pool);
      const rows = async (deviceId: string) =>
        (await entriesOf(pool, deviceId)).map((row) => [
          row.status,
          row.close_reason,
        ]);

      // Later migrations follow it; this one is the first applied.
      expect([applied[0], await rows('dup-1'), await rows('dup-2')]).toEqual([
        MIGRATION,
        [
          ['completed', null],
          ['delivering', null],
          ['superseded', `duplicate of catch-up entry ${delivering}`],
        ],
        [
          ['superseded', `duplicate of catch-up entry ${latest}`],
          ['pending', null],
        ],
      ]);
    } finally {
      await database.close();
    }
  });
});
