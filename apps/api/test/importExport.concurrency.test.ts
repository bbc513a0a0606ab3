import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertLivenessDevices } from './support/livenessFixtures.ts';

const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };
const GATEWAY = 'ic-gw';
const FLEET = Array.from({ length: 12 }, (_, i) => `ic-${i + 1}`);

/**
 * A registry directory holding the fleet, each device up `uptime` s and
 * last heard from at `heartbeat` (newer than the stored liveness, which
 * the import then rewrites).
 */
function registry(uptime: number, heartbeat: Date): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-import-concurrency-'));
  mkdirSync(join(dir, 'devices'));
  for (const id of FLEET) {
    writeFileSync(
      join(dir, 'devices', `${id}.yaml`),
      `device:
  id: ${id}
  hostname: ${id}
  hardware:
    type: jetson-orin-nano
  status:
    state: healthy
    last_heartbeat: ${heartbeat.toISOString()}
    uptime_seconds: ${uptime}
    connectivity: online
  tags:
    gateway: ${GATEWAY}
`,
    );
  }
  return dir;
}

describe('import alongside heartbeats', () => {
  let server: TestServer;
  const directories: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    await insertLivenessDevices(
      server.database.pool,
      [{ id: GATEWAY }, ...FLEET.map((id) => ({ id }))],
      server.clock.now(),
    );
  });
  afterAll(async () => {
    for (const dir of directories) rmSync(dir, { recursive: true });
    await server.close();
  });

  it('waits for a writer holding a liveness row without holding the device record it needs next', async () => {
    const directory = registry(2000, server.clock.now());
    directories.push(directory);
    const id = FLEET[0]!;
    // A writer in the heartbeat's lock order: the liveness row, then (as a
    // returning device's tag change does) the device record.
    const writer = await server.database.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(
        'SELECT 1 FROM device_status WHERE device_id = $1 FOR UPDATE',
        [id],
      );
      let settled = false;
      const importing = importRegistry(server.database.pool, {
        directory,
        now: server.clock.now(),
        timing: TIMING,
        dryRun: false,
      })
        .then(
          (summary) => ({ ok: true, summary }),
          (error: unknown) => ({ ok: false, error: String(error) }),
        )
        .finally(() => {
          settled = true;
        });
      await untilSomeoneWaitsOnALock(() => settled);

      const recordLock = await writer
        .query('SELECT 1 FROM devices WHERE id = $1 FOR NO KEY UPDATE', [id])
        .then(
          () => 'locked',
          (error: unknown) => String(error),
        );
      await writer.query(recordLock === 'locked' ? 'COMMIT' : 'ROLLBACK');
      const outcome = await importing;
      const { rows } = await server.database.pool.query<{ uptime: number }>(
        'SELECT uptime_seconds AS uptime FROM device_status WHERE device_id = $1',
        [id],
      );

      expect({ recordLock, outcome, uptime: rows[0]!.uptime }).toEqual({
        recordLock: 'locked',
        outcome: { ok: true, summary: expect.anything() },
        uptime: 2000,
      });
    } finally {
      writer.release();
    }
  });

  /** Resolves once a session of this database waits for a lock, or `done`. */
  async function untilSomeoneWaitsOnALock(done: () => boolean) {
    while (!done()) {
      const { rows } = await server.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (rows[0]!.n > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
});
