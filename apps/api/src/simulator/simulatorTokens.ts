import type pg from 'pg';
import { generateSecret, hashSecret } from '../auth/secrets.ts';

/** Device tokens issued for a simulation, and how to take them back. */
export interface IssuedTokens {
  /** Device id to token; kept in memory only, never written or logged. */
  tokens: Map<string, string>;
  /** The issued tokens' row ids (not secrets). */
  ids: string[];
  /** Deletes the issued tokens (the devices' other tokens stay). */
  revoke(): Promise<void>;
}

/**
 * Issues one fresh device token per device, stored hashed like every
 * device token, so that simulated devices authenticate as themselves over
 * the real API. One set-based insert for the whole fleet.
 */
export async function issueDeviceTokens(
  pool: pg.Pool,
  deviceIds: string[],
): Promise<IssuedTokens> {
  const tokens = new Map(deviceIds.map((id) => [id, generateSecret('rc_dev')]));
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO device_tokens (id, device_id, token_hash)
     SELECT gen_random_uuid(), device_id, token_hash
     FROM unnest($1::text[], $2::text[]) AS t(device_id, token_hash)
     RETURNING id`,
    [[...tokens.keys()], [...tokens.values()].map(hashSecret)],
  );
  const ids = rows.map((row) => row.id);
  return {
    tokens,
    ids,
    revoke: async () => {
      await pool.query(`DELETE FROM device_tokens WHERE id = ANY($1::uuid[])`, [
        ids,
      ]);
    },
  };
}

/** A device the simulator can drive, as the registry has it. */
export interface RegistryDevice {
  deviceId: string;
  hardwareType: string;
  ramMb: number | null;
  intervalSeconds: number;
  appVersion: string | null;
  uptimeSeconds: number | null;
}

/**
 * Up to `limit` of the given devices that heartbeat (not decommissioned,
 * not still provisioning), in id order. Always an explicit set: a
 * simulator that picked any device would send fake heartbeats for an
 * operator's real one, whose own heartbeats it would then get refused
 * (their sequence is lower).
 */
export async function loadSimulatableDevices(
  pool: pg.Pool,
  ids: readonly string[],
  limit: number,
): Promise<RegistryDevice[]> {
  const { rows } = await pool.query<{
    id: string;
    hardware_type: string;
    ram_mb: number | null;
    heartbeat_interval_seconds: number;
    current_version: string | null;
    app_version: string | null;
    uptime_seconds: number | null;
  }>(
    `SELECT d.id, d.hardware_type, d.ram_mb, d.heartbeat_interval_seconds,
            d.current_version, s.app_version, s.uptime_seconds
     FROM devices d JOIN device_status s ON s.device_id = d.id
     WHERE d.id = ANY($1::text[])
       AND s.state NOT IN ('decommissioned', 'provisioning')
     ORDER BY d.id LIMIT $2`,
    [ids, limit],
  );
  return rows.map((row) => ({
    deviceId: row.id,
    hardwareType: row.hardware_type,
    ramMb: row.ram_mb,
    intervalSeconds: row.heartbeat_interval_seconds,
    appVersion: row.app_version ?? row.current_version,
    uptimeSeconds: row.uptime_seconds,
  }));
}
