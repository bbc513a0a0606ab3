import type pg from 'pg';
import { expect } from 'vitest';
import { issueDeviceToken } from '../../src/auth/deviceTokens.ts';
import type { TestServer } from '../../src/testing/index.ts';

/** A fixture device: id, state and plain or key=value tags. */
export interface FixtureDevice {
  id: string;
  state?: string;
  tags?: string[];
  hardwareType?: string;
}

/**
 * Inserts devices straight into the tables (bypassing registration) so
 * that these tests do not depend on the devices module's mutations.
 */
export async function insertDevices(
  pool: pg.Pool,
  devices: FixtureDevice[],
): Promise<void> {
  for (const device of devices) {
    await pool.query(
      `INSERT INTO devices (id, hostname, hardware_type, registered_at, updated_at)
       VALUES ($1, $1, $2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
      [device.id, device.hardwareType ?? 'jetson-orin-nano'],
    );
    await pool.query(
      `INSERT INTO device_status (device_id, state, state_since)
       VALUES ($1, $2, '2026-01-01T00:00:00Z')`,
      [device.id, device.state ?? 'healthy'],
    );
    await setTags(pool, device.id, device.tags ?? []);
  }
}

/** Replaces a device's tags (`name` or `key=value`). */
export async function setTags(
  pool: pg.Pool,
  deviceId: string,
  tags: string[],
): Promise<void> {
  await pool.query('DELETE FROM device_tags WHERE device_id = $1', [deviceId]);
  for (const tag of tags) {
    const [key, value = ''] = tag.split('=');
    await pool.query(
      `INSERT INTO device_tags (device_id, key, value) VALUES ($1, $2, $3)`,
      [deviceId, key, value],
    );
  }
}

/** Issues a device token for a fixture device and returns it. */
export async function deviceToken(
  pool: pg.Pool,
  deviceId: string,
): Promise<string> {
  const { token } = await issueDeviceToken(pool, deviceId, new Date());
  return token;
}

/**
 * The ids of the devices `devices(where:)` selects, as the API answers
 * them; a query error fails the calling test.
 */
export async function matchingDeviceIds(
  server: TestServer,
  where: string,
): Promise<string[]> {
  const result = await server.request<{
    devices: { edges: Array<{ node: { id: string } }> };
  }>(
    'query ($where: String) { devices(where: $where) { edges { node { id } } } }',
    { where },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.devices.edges.map((edge) => edge.node.id);
}

/**
 * Registers a Raspberry Pi through the API's registerDevice, as an
 * operator would; an error fails the calling test.
 */
export async function registerThroughApi(
  server: TestServer,
  id: string,
  environment = 'production',
): Promise<void> {
  const result = await server.request(
    `mutation ($input: RegisterDeviceInput!) {
       registerDevice(input: $input) { device { id } }
     }`,
    {
      input: {
        id,
        hostname: `${id}.local`,
        environment,
        hardware: { type: 'raspberry-pi-4', hasGpu: false },
      },
    },
  );
  expect(result.errors).toBeUndefined();
}
