import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';

const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };
const NOW = '2026-12-05T08:00:00.000Z';

let server: TestServer;
const temporary: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-decommissioned-'));
  temporary.push(dir);
  mkdirSync(join(dir, 'devices'), { recursive: true });
  return dir;
}

async function load(directory: string) {
  const summary = await importRegistry(server.database.pool, {
    directory,
    now: server.clock.now(),
    timing: TIMING,
  });
  return {
    devices: summary.devices,
    failures: summary.failures.map((failure) => failure.toJSON()),
  };
}

/** The parts of an exported device file that the cases edit. */
interface DeviceFile {
  device: {
    status: { state: string; last_heartbeat: string | null };
    tags: Record<string, string>;
  };
}

/** Exports the registry and returns `id`'s file as data, to edit. */
async function exportedDevice(id: string) {
  const directory = tempDir();
  await exportRegistry(server.database.pool, directory);
  const file = join(directory, 'devices', `${id}.yaml`);
  return { directory, file, data: parse(readFileSync(file, 'utf8')) };
}

function writeDevice(directory: string, device: Record<string, unknown>) {
  writeFileSync(
    join(directory, 'devices', `${device.id as string}.yaml`),
    stringify({ device }),
  );
}

async function decommissionedTags(id: string) {
  const { rows } = await server.database.pool.query(
    `SELECT t.key, t.value, s.state, d.decommissioned_at
     FROM devices d JOIN device_status s ON s.device_id = d.id
     LEFT JOIN device_tags t ON t.device_id = d.id AND t.key = 'decommissioned'
     WHERE d.id = $1`,
    [id],
  );
  return rows;
}

async function notTagged(): Promise<string[]> {
  const result = await server.request<{
    devices: { edges: Array<{ node: { id: string } }> };
  }>(
    `{ devices(where: "NOT tag:decommissioned", includeDecommissioned: true) {
         edges { node { id } } } }`,
  );
  return result.data!.devices.edges.map((edge) => edge.node.id);
}

beforeAll(async () => {
  server = await startTestServer();
  const registered = await server.request(
    `mutation {
       registerDevice(input: {
         id: "retired", hostname: "retired.local", environment: "production",
         hardware: { type: "raspberry-pi-4", hasGpu: false }
       }) { device { id } }
     }`,
  );
  server.clock.set('2026-12-04T17:09:05.894Z');
  const decommissioned = await server.request(
    'mutation { decommissionDevice(id: "retired") { device { id } } }',
  );
  expect([registered.errors, decommissioned.errors]).toEqual([
    undefined,
    undefined,
  ]);
  server.clock.set(NOW);
});

afterAll(async () => {
  await server.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('importRegistry with decommissioned devices', () => {
  it('keeps the tag and the state when a file drops the tag and says healthy', async () => {
    const { directory, file, data } = await exportedDevice('retired');
    const { device } = data as DeviceFile;
    device.status.state = 'healthy';
    device.status.last_heartbeat = NOW;
    delete device.tags.decommissioned;
    writeFileSync(file, stringify({ device }));

    expect([
      await load(directory),
      await decommissionedTags('retired'),
      await notTagged(),
    ]).toEqual([
      {
        devices: { created: 0, updated: 0, unchanged: 1 },
        failures: [],
      },
      [
        {
          key: 'decommissioned',
          value: '20261204t170905z',
          state: 'decommissioned',
          decommissioned_at: new Date('2026-12-04T17:09:05.894Z'),
        },
      ],
      [],
    ]);
  });

  it('keeps a plain decommissioned label that a later file drops', async () => {
    const directory = tempDir();
    const device = {
      id: 'retired-plain',
      hostname: 'retired-plain.local',
      hardware: { type: 'raspberry-pi-4' },
      status: { state: 'decommissioned' },
      labels: ['decommissioned', 'gpu-none'],
      metadata: { decommissioned: '2025-01-14T16:00:00Z' },
    };
    writeDevice(directory, device);
    await load(directory);
    writeDevice(directory, { ...device, labels: ['gpu-none'] });

    expect([
      await load(directory),
      await decommissionedTags('retired-plain'),
    ]).toEqual([
      { devices: { created: 0, updated: 0, unchanged: 1 }, failures: [] },
      [
        {
          key: 'decommissioned',
          value: '',
          state: 'decommissioned',
          decommissioned_at: new Date('2025-01-14T16:00:00Z'),
        },
      ],
    ]);
  });

  it('adds the tag to a new decommissioned device, at its time or the import time', async () => {
    const directory = tempDir();
    const device = (id: string, metadata: Record<string, string>) => ({
      id,
      hostname: `${id}.local`,
      hardware: { type: 'raspberry-pi-4' },
      status: { state: 'decommissioned' },
      labels: ['gpu-none'],
      metadata,
    });
    writeDevice(
      directory,
      device('new-retired', { decommissioned: '2025-01-14T16:00:00Z' }),
    );
    writeDevice(directory, device('new-retired-untimed', {}));

    expect([
      await load(directory),
      await decommissionedTags('new-retired'),
      await decommissionedTags('new-retired-untimed'),
      await notTagged(),
      await load(directory),
    ]).toEqual([
      { devices: { created: 2, updated: 0, unchanged: 0 }, failures: [] },
      [
        {
          key: 'decommissioned',
          value: '20250114t160000z',
          state: 'decommissioned',
          decommissioned_at: new Date('2025-01-14T16:00:00Z'),
        },
      ],
      [
        {
          key: 'decommissioned',
          value: '20261205t080000z',
          state: 'decommissioned',
          decommissioned_at: new Date(NOW),
        },
      ],
      [],
      { devices: { created: 0, updated: 0, unchanged: 2 }, failures: [] },
    ]);
  });
});
