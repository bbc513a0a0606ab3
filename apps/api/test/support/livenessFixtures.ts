import type pg from 'pg';
import { hashSecret } from '../../src/auth/secrets.ts';
import type { ManualClock } from '../../src/clock.ts';
import type { SweepResult } from '../../src/liveness/offlineSweeper.ts';
import type { TestServer } from '../../src/testing/index.ts';

/** A fixture device for the liveness tests. */
export interface LivenessDevice {
  id: string;
  state?: string;
  intervalSeconds?: number;
  lastHeartbeatAt?: Date | null;
  dueAt?: Date | null;
  lastSequence?: number | null;
  lastKnownState?: string | null;
  offlineSince?: Date | null;
  offlineTier?: string | null;
  desiredVersion?: string | null;
  appVersion?: string | null;
  tags?: Array<[string, string]>;
  stateSince?: Date;
}

/** Token of fixture device `id`: a predictable secret, hashed in the table. */
export function tokenOf(id: string): string {
  return `rc_dev_test_${id}`;
}

/**
 * Inserts devices with their liveness rows and one live token each,
 * straight into the tables (no registration mutation needed).
 */
export async function insertLivenessDevices(
  pool: pg.Pool,
  devices: LivenessDevice[],
  now: Date,
): Promise<void> {
  for (const d of devices) {
    await pool.query(
      `INSERT INTO devices (id, hostname, hardware_type, heartbeat_interval_seconds,
                            registered_at, updated_at)
       VALUES ($1, $1, 'jetson-orin-nano', $2, $3, $3)`,
      [d.id, d.intervalSeconds ?? 60, now],
    );
    await pool.query(
      `INSERT INTO device_status
         (device_id, state, state_since, last_heartbeat_at, due_at, last_sequence,
          last_known_state, offline_since, offline_tier, desired_version,
          app_version, connectivity)
       VALUES ($1, $2::device_state, $3, $4, $5, $6, $7, $8, $9, $10, $11,
               CASE WHEN $2::text = 'offline' THEN 'offline' ELSE 'online' END)`,
      [
        d.id,
        d.state ?? 'healthy',
        d.stateSince ?? now,
        d.lastHeartbeatAt ?? null,
        d.dueAt === undefined ? new Date(now.getTime() + 180_000) : d.dueAt,
        d.lastSequence ?? null,
        d.lastKnownState ?? null,
        d.offlineSince ?? null,
        d.offlineTier ?? null,
        d.desiredVersion ?? null,
        d.appVersion ?? null,
      ],
    );
    await pool.query(
      `INSERT INTO device_tokens (id, device_id, token_hash, created_at)
       VALUES (gen_random_uuid(), $1, $2, $3)`,
      [d.id, hashSecret(tokenOf(d.id)), now],
    );
    for (const [key, value] of d.tags ?? []) {
      await pool.query(
        'INSERT INTO device_tags (device_id, key, value) VALUES ($1, $2, $3)',
        [d.id, key, value],
      );
    }
  }
}

/** The liveness columns tests assert on. */
export interface StatusView {
  state: string;
  lastHeartbeatAt: string | null;
  lastSequence: number | null;
  dueAt: string | null;
  offlineSince: string | null;
  offlineTier: string | null;
  tierSince: string | null;
  lastKnownState: string | null;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export async function statusOf(pool: pg.Pool, id: string): Promise<StatusView> {
  const { rows } = await pool.query(
    `SELECT state, last_heartbeat_at, last_sequence, due_at, offline_since,
            offline_tier, tier_since, last_known_state
     FROM device_status WHERE device_id = $1`,
    [id],
  );
  const r = rows[0];
  return {
    state: r.state,
    lastHeartbeatAt: iso(r.last_heartbeat_at),
    lastSequence: r.last_sequence,
    dueAt: iso(r.due_at),
    offlineSince: iso(r.offline_since),
    offlineTier: r.offline_tier,
    tierSince: iso(r.tier_since),
    lastKnownState: r.last_known_state,
  };
}

/** The transitions of a device, oldest first, as `from>to:cause`. */
export async function transitionsOf(
  pool: pg.Pool,
  id: string,
): Promise<string[]> {
  const { rows } = await pool.query<{
    from_state: string | null;
    to_state: string;
    cause: string;
  }>(
    `SELECT from_state, to_state, cause FROM state_transitions
     WHERE device_id = $1 ORDER BY id`,
    [id],
  );
  return rows.map((r) => `${r.from_state ?? '-'}>${r.to_state}:${r.cause}`);
}

export const HEARTBEAT = `mutation ($input: HeartbeatInput!) {
  heartbeat(input: $input) {
    deviceId accepted duplicate notAppliedReason state offlineTier
    nextHeartbeatSeconds
    instruction { deploymentId targetVersion artifact }
  }
}`;

export const HEARTBEAT_BATCH = `mutation ($inputs: [HeartbeatInput!]!) {
  heartbeatBatch(inputs: $inputs) {
    deviceId
    ack { accepted duplicate state }
    error { code message }
  }
}`;

/** Sends one heartbeat over HTTP with the device's own token. */
export function sendHeartbeat(
  server: TestServer,
  input: Record<string, unknown> & { deviceId: string },
  token: string | null = tokenOf(input.deviceId),
) {
  return server.request<{ heartbeat: Record<string, unknown> }>(
    HEARTBEAT,
    { input: { status: 'HEALTHY', ...input } },
    token,
  );
}

/**
 * Sweeps `afterStartMs` after `startedAt`, then at the end of the 180 s
 * restart grace that started then, then 1 ms past it: the three moments a
 * grace test looks at.
 */
export async function sweepAcrossGrace(
  sweeper: { runOnce(): Promise<SweepResult> },
  clock: ManualClock,
  startedAt: Date,
  afterStartMs: number,
): Promise<{ first: SweepResult; atGraceEnd: SweepResult; past: SweepResult }> {
  clock.set(new Date(startedAt.getTime() + afterStartMs));
  const first = await sweeper.runOnce();
  clock.set(new Date(startedAt.getTime() + 180_000));
  const atGraceEnd = await sweeper.runOnce();
  clock.advance(1);
  const past = await sweeper.runOnce();
  return { first, atGraceEnd, past };
}
