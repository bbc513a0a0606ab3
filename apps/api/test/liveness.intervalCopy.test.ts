import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';

const REGISTER = `mutation ($input: RegisterDeviceInput!) {
  registerDevice(input: $input) { device { id } }
}`;
const UPDATE = `mutation ($id: ID!, $input: UpdateDeviceInput!) {
  updateDevice(id: $id, input: $input) { id }
}`;

function deviceFile(id: string, intervalSeconds: number): string {
  return `device:
  id: ${id}
  hostname: ${id}.local
  hardware:
    type: raspberry-pi-5
  status:
    state: healthy
    heartbeat_interval_seconds: ${intervalSeconds}
  tags:
    environment: production
`;
}

// The sweeper and the heartbeat path read device_status' copy of the
// interval; every way the device's interval is written must reach it.
describe("device_status' copy of the heartbeat interval", () => {
  let server: TestServer;
  const directories: string[] = [];
  const copies = async (ids: string[]) => {
    const { rows } = await server.database.pool.query<{
      device_id: string;
      record: number;
      copy: number;
    }>(
      `SELECT s.device_id, d.heartbeat_interval_seconds AS record,
              s.heartbeat_interval_seconds AS copy
       FROM device_status s JOIN devices d ON d.id = s.device_id
       WHERE s.device_id = ANY($1::text[]) ORDER BY s.device_id`,
      [ids],
    );
    return rows.map((r) => [r.device_id, r.record, r.copy]);
  };
  const importFile = async (id: string, intervalSeconds: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-interval-'));
    directories.push(dir);
    mkdirSync(join(dir, 'devices'));
    writeFileSync(
      join(dir, 'devices', `${id}.yaml`),
      deviceFile(id, intervalSeconds),
    );
    await importRegistry(server.database.pool, {
      directory: dir,
      now: server.clock.now(),
      timing: { intervalSeconds: 60, timeoutSeconds: 180 },
      dryRun: false,
    });
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const dir of directories) rmSync(dir, { recursive: true });
    await server.close();
  });

  it('follows registration and every later updateDevice', async () => {
    const registered = await server.request<{
      registerDevice: { device: { id: string } };
    }>(REGISTER, {
      input: {
        hostname: 'copy-1.local',
        environment: 'production',
        hardware: { type: 'jetson-orin-nano' },
        heartbeatIntervalSeconds: 30,
      },
    });
    const id = registered.data!.registerDevice.device.id;
    const atRegistration = await copies([id]);

    await server.request(UPDATE, {
      id,
      input: { heartbeatIntervalSeconds: 90 },
    });
    const afterUpdate = await copies([id]);
    await server.request(UPDATE, { id, input: { notes: 'rack 7' } });

    expect({
      atRegistration,
      afterUpdate,
      afterNotes: await copies([id]),
    }).toEqual({
      atRegistration: [[id, 30, 30]],
      afterUpdate: [[id, 90, 90]],
      afterNotes: [[id, 90, 90]],
    });
  });

  it('follows an import that creates the device and one that changes it', async () => {
    await importFile('edge-copy-001', 15);
    const created = await copies(['edge-copy-001']);
    await importFile('edge-copy-001', 45);

    expect({ created, changed: await copies(['edge-copy-001']) }).toEqual({
      created: [['edge-copy-001', 15, 15]],
      changed: [['edge-copy-001', 45, 45]],
    });
  });
});
