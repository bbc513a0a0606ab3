import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { matchingDeviceIds } from './support/deviceFixtures.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';

const HOUR = 3_600_000;

let server: TestServer;

async function runSync() {
  const result = await server.request<{
    runRegistrySync: { discrepancies: unknown[] };
  }>(
    `mutation { runRegistrySync {
       discrepancies { deviceId field registryValue reportedValue } } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.runRegistrySync.discrepancies;
}

async function tagsOf(id: string): Promise<string[]> {
  const { rows } = await server.database.pool.query<{ key: string }>(
    `SELECT key FROM device_tags WHERE device_id = $1 ORDER BY key`,
    [id],
  );
  return rows.map((row) => row.key);
}

beforeAll(async () => {
  server = await startTestServer();
  await insertLivenessDevices(
    server.database.pool,
    [{ id: 'sync-orin' }],
    server.clock.now(),
  );
  // As registration stores a 4 GB device: the fact and its tier tag.
  await server.database.pool.query(
    `UPDATE devices SET ram_mb = 4096, cpu_cores = 4 WHERE id = 'sync-orin'`,
  );
  await server.database.pool.query(
    `INSERT INTO device_tags (device_id, key) VALUES
       ('sync-orin', 'memory-4gb'), ('sync-orin', 'site-factory-a')`,
  );
});

afterAll(() => server.close());

describe('registry sync of reported hardware', () => {
  it('updates the facts, re-derives the capability tags and names fields as the record does', async () => {
    server.clock.advance(HOUR);
    const beat = await sendHeartbeat(server, {
      deviceId: 'sync-orin',
      sequence: 1,
      hardware: { ramMb: 16384, cpuCores: 8 },
    });
    expect(beat.errors).toBeUndefined();
    server.clock.advance(HOUR);

    const discrepancies = await runSync();

    expect(discrepancies).toEqual([
      {
        deviceId: 'sync-orin',
        field: 'hardware.cpu_cores',
        registryValue: 4,
        reportedValue: 8,
      },
      {
        deviceId: 'sync-orin',
        field: 'hardware.ram_mb',
        registryValue: 4096,
        reportedValue: 16384,
      },
    ]);
    expect(await tagsOf('sync-orin')).toEqual([
      'memory-16gb',
      'site-factory-a',
    ]);
  });

  it('leaves the device out of a query on its old memory tier', async () => {
    expect([
      await matchingDeviceIds(
        server,
        'tag:memory-4gb AND hardware.ram_mb > 8192',
      ),
      await matchingDeviceIds(server, 'tag:memory-16gb'),
    ]).toEqual([[], ['sync-orin']]);
  });
});
