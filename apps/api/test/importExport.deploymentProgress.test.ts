import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

const DEMO_FLEET = join(import.meta.dirname, '..', 'demo-fleet');
const NOW = new Date('2025-01-16T16:00:00Z');
const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };
const DEVICE = 'edge-rpi-prod-007';
const DEPLOYMENT = 'deploy-20250116-001';

let database: TestDatabase;
const temporary: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-progress-'));
  temporary.push(dir);
  return dir;
}

function load(directory: string) {
  return importRegistry(database.pool, {
    directory,
    now: NOW,
    timing: TIMING,
  });
}

async function catchUpEntry() {
  const { rows } = await database.pool.query(
    `SELECT status, attempts, last_attempt_at, closed_at, close_reason
     FROM catch_up_queue WHERE device_id = $1 AND deployment_id = $2`,
    [DEVICE, DEPLOYMENT],
  );
  return rows;
}

async function deploymentFields() {
  const { rows } = await database.pool.query(
    `SELECT current_version, previous_version, last_deployed_at,
            deployment_slot, rollback_version
     FROM devices WHERE id = $1`,
    [DEVICE],
  );
  return rows;
}

async function logRows() {
  const { rows } = await database.pool.query<{ count: string }>(
    `SELECT count(*) FROM deployment_log WHERE deployment_id = $1`,
    [DEPLOYMENT],
  );
  const { rows: added } = await database.pool.query(
    `SELECT device_id, action, message, at FROM deployment_log
     WHERE deployment_id = $1 AND action = 'catch-up-completed'`,
    [DEPLOYMENT],
  );
  return { count: Number(rows[0]!.count), added };
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('importing an older export after deployment progress', () => {
  it('keeps the completed catch-up entry, the install and every log line, reporting them unchanged', async () => {
    await load(DEMO_FLEET);
    // The entry is being delivered when the snapshot is taken.
    await database.pool.query(
      `UPDATE catch_up_queue SET status = 'delivering', attempts = 1,
         last_attempt_at = '2025-01-16T15:50:00Z'
       WHERE device_id = $1 AND deployment_id = $2`,
      [DEVICE, DEPLOYMENT],
    );
    const snapshot = tempDir();
    await exportRegistry(database.pool, snapshot);
    const { count: logLines } = await logRows();

    // Since then: delivered, installed, logged.
    await database.pool.query(
      `UPDATE catch_up_queue SET status = 'completed',
         closed_at = '2025-01-16T15:51:00Z', close_reason = 'installed 2.3.1'
       WHERE device_id = $1 AND deployment_id = $2`,
      [DEVICE, DEPLOYMENT],
    );
    await database.pool.query(
      `UPDATE devices SET current_version = '2.3.1',
         previous_version = '2.3.0', last_deployed_at = '2025-01-16T15:51:00Z',
         deployment_slot = 'blue', rollback_version = '2.3.0'
       WHERE id = $1`,
      [DEVICE],
    );
    await database.pool.query(
      `INSERT INTO deployment_log (deployment_id, device_id, action, message, at)
       VALUES ($1, $2, 'catch-up-completed', 'catch-up-completed 2.3.1',
               '2025-01-16T15:51:00Z')`,
      [DEPLOYMENT, DEVICE],
    );

    const summary = await load(snapshot);

    expect({
      devices: summary.devices,
      deployments: summary.deployments,
      catchUpEntries: summary.catchUpEntries,
      entry: await catchUpEntry(),
      device: await deploymentFields(),
      log: await logRows(),
    }).toEqual({
      devices: { created: 0, updated: 0, unchanged: 300 },
      deployments: { created: 0, updated: 0, unchanged: 1 },
      catchUpEntries: { created: 0, updated: 0, unchanged: 4 },
      entry: [
        {
          status: 'completed',
          attempts: 1,
          last_attempt_at: new Date('2025-01-16T15:50:00Z'),
          closed_at: new Date('2025-01-16T15:51:00Z'),
          close_reason: 'installed 2.3.1',
        },
      ],
      device: [
        {
          current_version: '2.3.1',
          previous_version: '2.3.0',
          last_deployed_at: new Date('2025-01-16T15:51:00Z'),
          deployment_slot: 'blue',
          rollback_version: '2.3.0',
        },
      ],
      log: {
        count: logLines + 1,
        added: [
          {
            device_id: DEVICE,
            action: 'catch-up-completed',
            message: 'catch-up-completed 2.3.1',
            at: new Date('2025-01-16T15:51:00Z'),
          },
        ],
      },
    });
  });

  it('adds the log lines a file has and the registry lacks, keeping the others', async () => {
    const snapshot = tempDir();
    await exportRegistry(database.pool, snapshot);
    const before = await logRows();
    await database.pool.query(
      `DELETE FROM deployment_log
       WHERE deployment_id = $1 AND action = 'catch-up-completed'`,
      [DEPLOYMENT],
    );
    await database.pool.query(
      `INSERT INTO deployment_log (deployment_id, device_id, action, message, at)
       VALUES ($1, NULL, 'note', 'operator note', '2025-01-16T15:55:00Z')`,
      [DEPLOYMENT],
    );

    const summary = await load(snapshot);

    expect([summary.deployments, await logRows()]).toEqual([
      { created: 0, updated: 1, unchanged: 0 },
      { count: before.count + 1, added: before.added },
    ]);
  });

  it('keeps the newer deployment state, wave and device rows, reporting the deployment unchanged', async () => {
    await load(DEMO_FLEET);
    // The snapshot is taken while the main-fleet wave (2) is running.
    await database.pool.query(
      `UPDATE deployments SET state = 'running', current_wave = 2,
         finished_at = NULL WHERE id = $1`,
      [DEPLOYMENT],
    );
    await database.pool.query(
      `UPDATE deployment_waves SET state = 'running', soak_until = NULL,
         completed_at = NULL WHERE deployment_id = $1 AND index = 2`,
      [DEPLOYMENT],
    );
    await database.pool.query(
      `UPDATE deployment_devices SET state = 'assigned', finished_at = NULL
       WHERE deployment_id = $1 AND device_id = 'edge-jetson-prod-009'`,
      [DEPLOYMENT],
    );
    await database.pool.query(
      `DELETE FROM deployment_devices
       WHERE deployment_id = $1 AND device_id = 'edge-jetson-prod-010'`,
      [DEPLOYMENT],
    );
    const snapshot = tempDir();
    await exportRegistry(database.pool, snapshot);

    // Since then: a device assigned and one succeeded, the wave and the
    // deployment completed.
    await database.pool.query(
      `INSERT INTO deployment_devices (deployment_id, device_id, wave_index,
         state, target_version, from_version, assigned_at)
       VALUES ($1, 'edge-jetson-prod-010', 2, 'assigned', '2.3.1', '2.3.0',
               '2025-01-16T14:25:00Z')`,
      [DEPLOYMENT],
    );
    await database.pool.query(
      `UPDATE deployment_devices SET state = 'succeeded',
         finished_at = '2025-01-16T14:26:00Z'
       WHERE deployment_id = $1 AND device_id = 'edge-jetson-prod-009'`,
      [DEPLOYMENT],
    );
    await database.pool.query(
      `UPDATE deployment_waves SET state = 'completed',
         soak_until = '2025-01-16T14:30:00Z',
         completed_at = '2025-01-16T14:30:00Z'
       WHERE deployment_id = $1 AND index = 2`,
      [DEPLOYMENT],
    );
    await database.pool.query(
      `UPDATE deployments SET state = 'completed', current_wave = NULL,
         finished_at = '2025-01-16T14:30:00Z' WHERE id = $1`,
      [DEPLOYMENT],
    );

    const summary = await load(snapshot);

    const deployment = await database.pool.query(
      `SELECT state, current_wave, started_at, finished_at FROM deployments
       WHERE id = $1`,
      [DEPLOYMENT],
    );
    const wave = await database.pool.query(
      `SELECT state, started_at, soak_until, completed_at
       FROM deployment_waves WHERE deployment_id = $1 AND index = 2`,
      [DEPLOYMENT],
    );
    const devices = await database.pool.query(
      `SELECT device_id, wave_index, state, assigned_at, finished_at
       FROM deployment_devices WHERE deployment_id = $1
         AND device_id IN ('edge-jetson-prod-009', 'edge-jetson-prod-010')
       ORDER BY device_id`,
      [DEPLOYMENT],
    );
    expect({
      deployments: summary.deployments,
      deployment: deployment.rows,
      wave: wave.rows,
      devices: devices.rows,
    }).toEqual({
      deployments: { created: 0, updated: 0, unchanged: 1 },
      deployment: [
        {
          state: 'completed',
          current_wave: null,
          started_at: new Date('2025-01-16T13:00:00Z'),
          finished_at: new Date('2025-01-16T14:30:00Z'),
        },
      ],
      wave: [
        {
          state: 'completed',
          started_at: new Date('2025-01-16T14:10:00Z'),
          soak_until: new Date('2025-01-16T14:30:00Z'),
          completed_at: new Date('2025-01-16T14:30:00Z'),
        },
      ],
      devices: [
        {
          device_id: 'edge-jetson-prod-009',
          wave_index: 2,
          state: 'succeeded',
          assigned_at: new Date('2025-01-16T14:20:00Z'),
          finished_at: new Date('2025-01-16T14:26:00Z'),
        },
        {
          device_id: 'edge-jetson-prod-010',
          wave_index: 2,
          state: 'assigned',
          assigned_at: new Date('2025-01-16T14:25:00Z'),
          finished_at: null,
        },
      ],
    });
  });

  it('takes a file whose wave and device rows are ahead of the registry', async () => {
    await database.pool.query(
      `UPDATE deployment_waves SET state = 'completed',
         completed_at = '2025-01-16T14:30:00Z'
       WHERE deployment_id = $1 AND index = 2`,
      [DEPLOYMENT],
    );
    const ahead = tempDir();
    await exportRegistry(database.pool, ahead);
    await database.pool.query(
      `UPDATE deployment_waves SET state = 'running', completed_at = NULL
       WHERE deployment_id = $1 AND index = 2`,
      [DEPLOYMENT],
    );

    const summary = await load(ahead);

    const wave = await database.pool.query(
      `SELECT state, completed_at FROM deployment_waves
       WHERE deployment_id = $1 AND index = 2`,
      [DEPLOYMENT],
    );
    expect([summary.deployments, wave.rows]).toEqual([
      { created: 0, updated: 1, unchanged: 0 },
      [{ state: 'completed', completed_at: new Date('2025-01-16T14:30:00Z') }],
    ]);
  });
});
