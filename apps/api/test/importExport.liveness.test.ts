import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import { issueDeviceTokens } from '../src/simulator/simulatorTokens.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { sendHeartbeat } from './support/livenessFixtures.ts';

const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };
const ID = 'edge-rpi-prod-001';

let server: TestServer;
const temporary: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-liveness-'));
  temporary.push(dir);
  return dir;
}

function deviceFile(lastHeartbeat: string, uptime: number): string {
  return `device:
  id: ${ID}
  hostname: ${ID}.local
  serial_number: SN-LIVE-1
  hardware:
    type: raspberry-pi-5
    ram_mb: 8192
  status:
    state: healthy
    last_heartbeat: ${lastHeartbeat}
    uptime_seconds: ${uptime}
    connectivity: online
  tags:
    environment: production
`;
}

function registryWith(file: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'devices'));
  writeFileSync(join(dir, 'devices', `${ID}.yaml`), file);
  return dir;
}

function load(directory: string, dryRun = false) {
  return importRegistry(server.database.pool, {
    directory,
    now: server.clock.now(),
    timing: TIMING,
    dryRun,
  });
}

async function status() {
  const { rows } = await server.database.pool.query(
    `SELECT state, connectivity, last_heartbeat_at, uptime_seconds, due_at
     FROM device_status WHERE device_id = $1`,
    [ID],
  );
  return rows.map((row) => ({
    ...row,
    last_heartbeat_at: (row.last_heartbeat_at as Date).toISOString(),
    due_at: (row.due_at as Date).toISOString(),
  }));
}

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('importRegistry and live device status', () => {
  let snapshot: string;
  let afterHeartbeat: Awaited<ReturnType<typeof status>>;

  it('keeps a newer heartbeat when an older export is imported, reporting it unchanged', async () => {
    // 2026-01-01T00:00:00Z is the test clock's start.
    await load(registryWith(deviceFile('2025-12-31T23:59:30Z', 1000)));
    snapshot = tempDir();
    await exportRegistry(server.database.pool, snapshot);

    server.clock.advance(60_000);
    const { tokens } = await issueDeviceTokens(server.database.pool, [ID]);
    const ack = await sendHeartbeat(
      server,
      { deviceId: ID, sequence: 1, metrics: { uptimeSeconds: 1090 } },
      tokens.get(ID)!,
    );
    afterHeartbeat = await status();

    const dryRun = await load(snapshot, true);
    const summary = await load(snapshot);
    expect([
      ack.data?.heartbeat.accepted,
      afterHeartbeat,
      dryRun.devices,
      summary.devices,
      summary.changed.devices,
      await status(),
    ]).toEqual([
      true,
      [
        {
          state: 'healthy',
          connectivity: 'online',
          last_heartbeat_at: '2026-01-01T00:01:00.000Z',
          uptime_seconds: 1090,
          due_at: '2026-01-01T00:04:00.000Z',
        },
      ],
      { created: 0, updated: 0, unchanged: 1 },
      { created: 0, updated: 0, unchanged: 1 },
      [],
      afterHeartbeat,
    ]);
  });

  it('still applies a file whose last heartbeat is newer than the stored one', async () => {
    const summary = await load(
      registryWith(deviceFile('2026-01-01T00:01:30Z', 1120)),
    );

    expect([summary.devices, await status()]).toEqual([
      { created: 0, updated: 1, unchanged: 0 },
      [
        {
          state: 'healthy',
          connectivity: 'online',
          last_heartbeat_at: '2026-01-01T00:01:30.000Z',
          uptime_seconds: 1120,
          due_at: '2026-01-01T00:04:30.000Z',
        },
      ],
    ]);
  });

  it('reads a last heartbeat written with a space and an offset, as PyYAML writes it', async () => {
    const summary = await load(
      registryWith(deviceFile('2026-01-01 02:02:00.500000+02:00', 1150)),
    );

    expect([summary.devices, await status()]).toEqual([
      { created: 0, updated: 1, unchanged: 0 },
      [
        {
          state: 'healthy',
          connectivity: 'online',
          last_heartbeat_at: '2026-01-01T00:02:00.500Z',
          uptime_seconds: 1150,
          due_at: '2026-01-01T00:05:00.500Z',
        },
      ],
    ]);
  });

  it('keeps the stored state when an older file names another one', async () => {
    const summary = await load(
      registryWith(
        deviceFile('2025-12-31T23:59:30Z', 1000).replace(
          'state: healthy',
          'state: offline',
        ),
      ),
    );

    expect([summary.devices, (await status())[0]?.state]).toEqual([
      { created: 0, updated: 0, unchanged: 1 },
      'healthy',
    ]);
  });
});
