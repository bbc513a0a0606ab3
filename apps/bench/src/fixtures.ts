import { createHash } from 'node:crypto';
import type pg from 'pg';

/** The device token of fixture device `index` (1-based). */
export function fixtureToken(index: number): string {
  return `rc_dev_bench_${index}`;
}

/** The id of fixture device `index` (1-based), ordered like the index. */
export function fixtureDeviceId(index: number): string {
  return `bench-${String(index).padStart(7, '0')}`;
}

/** The operator key every benchmark server accepts as admin. */
export const BENCH_ADMIN_KEY = 'rc_key_bench_admin_0123456789abcdef';

/** The fixture index of a fixture device id. */
export function fixtureIndexOf(deviceId: string): number {
  return Number(deviceId.slice('bench-'.length));
}

/** sha256 hex, as Rollcall stores token and key hashes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Loads `size` devices with their status, tags and one device token each,
 * with set-based statements (generate_series), never row by row. All are
 * healthy or degraded and due a day after `now`, except every 25th, which
 * is offline; benchmarks that need stale devices make them so themselves.
 *
 * Tags: `environment` (70 % production), `region` (factory-a/b/c),
 * `gpu-capable` on GPU hardware, `maintenance` on 5 %, `canary-eligible`
 * on 10 %. Spreads use multiplicative hashes of the index so that the
 * tags are not correlated with each other or with id order.
 */
export async function loadFixture(
  pool: pg.Pool,
  size: number,
  now: Date,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO devices (id, hostname, serial_number, environment,
         hardware_type, architecture, cpu_cores, ram_mb, has_gpu, os,
         current_version, heartbeat_interval_seconds, registered_at,
         updated_at)
       SELECT 'bench-' || lpad(i::text, 7, '0'), 'bench-' || i || '.local',
              'SN-BENCH-' || i,
              CASE WHEN (i::bigint * 7919) % 10 < 7 THEN 'production' ELSE 'staging' END,
              (ARRAY['jetson-orin-nano', 'jetson-xavier-nx',
                     'x86-inference-server', 'raspberry-pi-5'])[1 + i % 4],
              CASE WHEN i % 4 = 2 THEN 'x86_64' ELSE 'aarch64' END,
              4 + (i % 3) * 2, 8192, i % 4 <> 3, 'Ubuntu 22.04',
              (ARRAY['2.3.0', '2.2.1', '2.4.0'])[(1 + (i::bigint * 31) % 3)::int], 60,
              $2, $2
       FROM generate_series(1, $1::int) AS i`,
      [size, now],
    );
    await client.query(
      `INSERT INTO device_status (device_id, state, state_since, connectivity,
         last_heartbeat_at, reported_status, app_version, due_at,
         offline_since, offline_tier, tier_since, last_known_state, version)
       SELECT 'bench-' || lpad(i::text, 7, '0'), x.state::device_state, $2,
              CASE WHEN x.state = 'offline' THEN 'offline' ELSE 'online' END,
              $2, CASE WHEN x.state = 'offline' THEN 'healthy' ELSE x.state END,
              '2.3.0', $2::timestamptz + interval '1 day',
              CASE WHEN x.state = 'offline' THEN $2::timestamptz END,
              CASE WHEN x.state = 'offline' THEN 'warning'::offline_tier END,
              CASE WHEN x.state = 'offline' THEN $2::timestamptz END,
              CASE WHEN x.state = 'offline' THEN 'healthy'::device_state END, 0
       FROM generate_series(1, $1::int) AS i,
       LATERAL (SELECT CASE WHEN i % 25 = 0 THEN 'offline'
                            WHEN (i::bigint * 13) % 10 = 0 THEN 'degraded'
                            ELSE 'healthy' END AS state) x`,
      [size, now],
    );
    await client.query(
      `INSERT INTO device_tags (device_id, key, value, created_at)
       SELECT 'bench-' || lpad(i::text, 7, '0'), tag.key, tag.value, $2::timestamptz
       FROM generate_series(1, $1::int) AS i,
       LATERAL (VALUES
         ('environment',
          CASE WHEN (i::bigint * 7919) % 10 < 7 THEN 'production' ELSE 'staging' END),
         ('region', 'factory-' || chr((97 + (i::bigint * 104729) % 3)::int))
       ) AS tag(key, value)
       UNION ALL
       SELECT 'bench-' || lpad(i::text, 7, '0'), 'gpu-capable', '', $2::timestamptz
       FROM generate_series(1, $1::int) AS i WHERE i % 4 <> 3
       UNION ALL
       SELECT 'bench-' || lpad(i::text, 7, '0'), 'maintenance', '', $2::timestamptz
       FROM generate_series(1, $1::int) AS i WHERE (i::bigint * 37) % 20 = 0
       UNION ALL
       SELECT 'bench-' || lpad(i::text, 7, '0'), 'canary-eligible', '', $2::timestamptz
       FROM generate_series(1, $1::int) AS i WHERE (i::bigint * 53) % 10 = 0`,
      [size, now],
    );
    await client.query(
      `INSERT INTO device_tokens (id, device_id, token_hash, created_at)
       SELECT gen_random_uuid(), 'bench-' || lpad(i::text, 7, '0'),
              encode(sha256(convert_to('rc_dev_bench_' || i, 'UTF8')), 'hex'),
              $2
       FROM generate_series(1, $1::int) AS i`,
      [size, now],
    );
    await client.query(
      `INSERT INTO api_keys (id, name, role, key_hash, prefix, created_by)
       VALUES (gen_random_uuid(), 'bench-admin', 'admin', $1, $2, 'bench')
       ON CONFLICT (key_hash) DO NOTHING`,
      [sha256Hex(BENCH_ADMIN_KEY), BENCH_ADMIN_KEY.slice(0, 10)],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  await pool.query('VACUUM ANALYZE');
}
