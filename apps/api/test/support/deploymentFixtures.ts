import type { TestServer } from '../../src/testing/index.ts';
import { deviceToken, insertDevices } from './deviceFixtures.ts';

/** A fleet device for deployment tests. */
export interface FleetFixture {
  id: string;
  state?: string;
  type?: string;
  tags?: string[];
  /** Reported and registry version; default 2.3.0. */
  version?: string;
  lastHeartbeatAt?: string;
}

/**
 * Inserts devices running `version` (default 2.3.0) on the blue slot,
 * with device tokens, and returns the tokens by device id.
 */
export async function insertFleet(
  server: TestServer,
  devices: FleetFixture[],
): Promise<Map<string, string>> {
  const pool = server.database.pool;
  await insertDevices(
    pool,
    devices.map((device) => ({
      id: device.id,
      state: device.state ?? 'healthy',
      tags: device.tags ?? [],
      hardwareType: device.type ?? 'jetson-orin-nano',
    })),
  );
  const tokens = new Map<string, string>();
  for (const device of devices) {
    const version = device.version ?? '2.3.0';
    const at = device.lastHeartbeatAt ?? '2026-01-01T00:00:00.000Z';
    await pool.query(
      `UPDATE devices SET current_version = $2, previous_version = '2.2.1',
              deployment_slot = 'blue', rollback_version = '2.2.1',
              rollback_available = true
       WHERE id = $1`,
      [device.id, version],
    );
    await pool.query(
      `UPDATE device_status SET app_version = $2, last_heartbeat_at = $3,
              connectivity = CASE WHEN state = 'offline' THEN 'offline' ELSE 'online' END,
              offline_since = CASE WHEN state = 'offline' THEN $3::timestamptz END
       WHERE device_id = $1`,
      [device.id, version, at],
    );
    tokens.set(device.id, await deviceToken(pool, device.id));
  }
  return tokens;
}

/** Creates a static group through the API. */
export async function staticGroup(
  server: TestServer,
  name: string,
  devices: string[],
): Promise<void> {
  const result = await server.request(
    `mutation ($input: CreateGroupInput!) { createGroup(input: $input) { name } }`,
    { input: { name, membership: 'STATIC', devices } },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
}

/** Creates a dynamic group through the API. */
export async function dynamicGroup(
  server: TestServer,
  name: string,
  query: string,
): Promise<void> {
  const result = await server.request(
    `mutation ($input: CreateGroupInput!) { createGroup(input: $input) { name } }`,
    { input: { name, membership: 'DYNAMIC', query } },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
}

/** A simulated device: sends heartbeats through the real mutation. */
export function heartbeats(server: TestServer, tokens: Map<string, string>) {
  const sequences = new Map<string, number>();
  return async function beat(
    deviceId: string,
    appVersion: string,
    status: 'HEALTHY' | 'DEGRADED' | 'FAILED' = 'HEALTHY',
  ): Promise<{ state: string; instruction: { targetVersion: string } | null }> {
    const sequence = (sequences.get(deviceId) ?? 0) + 1;
    sequences.set(deviceId, sequence);
    const result = await server.request<{
      heartbeat: {
        state: string;
        instruction: { targetVersion: string } | null;
      };
    }>(
      `mutation ($input: HeartbeatInput!) {
        heartbeat(input: $input) { state instruction { targetVersion } }
      }`,
      { input: { deviceId, status, appVersion, sequence } },
      tokens.get(deviceId) ?? null,
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!.heartbeat;
  };
}

/** Sends one GraphQL operation and fails loudly on errors. */
export async function ok<T>(
  server: TestServer,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const result = await server.request<T>(query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
}

/** Creates a deployment through the API and returns its id. */
export async function createDeployment(
  server: TestServer,
  manifest: Record<string, unknown>,
): Promise<string> {
  const data = await ok<{ createDeployment: { id: string } }>(
    server,
    `mutation ($m: DeploymentManifestInput) { createDeployment(manifest: $m) { id } }`,
    { m: manifest },
  );
  return data.createDeployment.id;
}

export const DEPLOYMENT_FIELDS = `
  id state currentWave
  waves { index name isCanary state devices { deviceId state }
          succeeded failed skipped pending }`;

/** The log messages of a deployment, oldest first. */
export async function logMessages(
  server: TestServer,
  deploymentId: string,
): Promise<string[]> {
  const { rows } = await server.database.pool.query<{ message: string }>(
    `SELECT message FROM deployment_log WHERE deployment_id = $1 ORDER BY id`,
    [deploymentId],
  );
  return rows.map((row) => row.message);
}
