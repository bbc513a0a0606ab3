import type {
  DeviceState,
  HeartbeatMetrics,
  OfflineTier,
} from '@rollcall/fleet';
import type pg from 'pg';
import type { DeviceInstruction } from './heartbeatObserver.ts';
import type { HeartbeatEntry, LivenessRow } from './heartbeatTypes.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A locked liveness row with what the batch needs beside it. */
export interface LockedDevice {
  row: LivenessRow;
  intervalSeconds: number;
  /** Live (unrevoked) token ids of the device. */
  liveTokens: string[];
  /** Values of the device's `gateway` tags: who may report for it. */
  gateways: string[];
  instruction: DeviceInstruction | null;
  desiredVersion: string | null;
}

interface LockedRecord {
  device_id: string;
  state: DeviceState;
  state_since: Date;
  connectivity: string;
  last_heartbeat_at: Date | null;
  last_device_time: Date | null;
  last_sequence: number | null;
  reported_status: string | null;
  app_version: string | null;
  uptime_seconds: number | null;
  metrics: HeartbeatMetrics | null;
  due_at: Date | null;
  offline_since: Date | null;
  offline_tier: OfflineTier | null;
  tier_since: Date | null;
  last_known_state: DeviceState | null;
  desired_version: string | null;
  heartbeat_interval_seconds: number;
  live_tokens: string[];
  gateways: string[];
  deployment_id: string | null;
  artifact: string | null;
}

// The deployment behind a desired version, for the instruction's ids; one
// indexed probe, only for devices that have a desired version.
const INSTRUCTION_JOIN = `
  LEFT JOIN LATERAL (
    SELECT dd.deployment_id, dp.artifact
    FROM deployment_devices dd JOIN deployments dp ON dp.id = dd.deployment_id
    WHERE s.desired_version IS NOT NULL AND dd.device_id = s.device_id
      AND dd.target_version = s.desired_version
    ORDER BY dd.assigned_at DESC NULLS LAST LIMIT 1
  ) inst ON true`;

function instructionOf(record: {
  desired_version: string | null;
  deployment_id: string | null;
  artifact: string | null;
}): DeviceInstruction | null {
  if (!record.desired_version) return null;

  return {
    deploymentId: record.deployment_id,
    targetVersion: record.desired_version,
    artifact: record.artifact,
  };
}

/**
 * Locks the liveness rows of a batch's devices in device id order (so
 * that concurrent batches never deadlock) and reads them with the
 * device's interval, live tokens, gateway rights and instruction.
 */
export async function lockDevices(
  client: Queryable,
  deviceIds: string[],
): Promise<Map<string, LockedDevice>> {
  const { rows } = await client.query<LockedRecord>(
    `SELECT s.device_id, s.state, s.state_since, s.connectivity,
            s.last_heartbeat_at, s.last_device_time, s.last_sequence,
            s.reported_status, s.app_version, s.uptime_seconds, s.metrics,
            s.due_at, s.offline_since, s.offline_tier, s.tier_since,
            s.last_known_state, s.desired_version,
            d.heartbeat_interval_seconds,
            ARRAY(SELECT t.id::text FROM device_tokens t
                  WHERE t.device_id = s.device_id AND t.revoked_at IS NULL
                 ) AS live_tokens,
            ARRAY(SELECT g.value FROM device_tags g
                  WHERE g.device_id = s.device_id AND g.key = 'gateway'
                 ) AS gateways,
            inst.deployment_id, inst.artifact
     FROM device_status s
     JOIN devices d ON d.id = s.device_id
     ${INSTRUCTION_JOIN}
     WHERE s.device_id = ANY($1::text[])
     ORDER BY s.device_id
     FOR UPDATE OF s`,
    [deviceIds],
  );
  const locked = new Map<string, LockedDevice>();
  for (const r of rows) {
    locked.set(r.device_id, {
      row: {
        deviceId: r.device_id,
        state: r.state,
        stateSince: r.state_since,
        connectivity: r.connectivity,
        lastHeartbeatAt: r.last_heartbeat_at,
        lastDeviceTime: r.last_device_time,
        lastSequence: r.last_sequence,
        reportedStatus: r.reported_status,
        appVersion: r.app_version,
        uptimeSeconds: r.uptime_seconds,
        metrics: r.metrics,
        dueAt: r.due_at,
        offlineSince: r.offline_since,
        offlineTier: r.offline_tier,
        tierSince: r.tier_since,
        lastKnownState: r.last_known_state,
      },
      intervalSeconds: r.heartbeat_interval_seconds,
      liveTokens: r.live_tokens,
      gateways: r.gateways,
      instruction: instructionOf(r),
      desiredVersion: r.desired_version,
    });
  }
  return locked;
}

/** Token ids (of gateways) that are still live. */
export async function liveTokenIds(
  client: Queryable,
  tokenIds: string[],
): Promise<Set<string>> {
  if (tokenIds.length === 0) return new Set();

  const { rows } = await client.query<{ id: string }>(
    `SELECT id::text AS id FROM device_tokens
     WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL`,
    [tokenIds],
  );
  return new Set(rows.map((r) => r.id));
}

/** Instructions re-read after observers ran (they may set versions). */
export async function readInstructions(
  client: Queryable,
  deviceIds: string[],
): Promise<Map<string, DeviceInstruction | null>> {
  const { rows } = await client.query<{
    device_id: string;
    desired_version: string | null;
    deployment_id: string | null;
    artifact: string | null;
  }>(
    `SELECT s.device_id, s.desired_version, inst.deployment_id, inst.artifact
     FROM device_status s ${INSTRUCTION_JOIN}
     WHERE s.device_id = ANY($1::text[])`,
    [deviceIds],
  );
  return new Map(rows.map((r) => [r.device_id, instructionOf(r)]));
}

/** A transition the batch records. */
export interface TransitionRow {
  deviceId: string;
  from: DeviceState;
  to: DeviceState;
  actor: string;
  reason: string | null;
  at: Date;
}

/** Everything one batch writes, in one statement. */
export interface BatchWrite {
  rows: LivenessRow[];
  history: Array<{ entry: HeartbeatEntry; status: string }>;
  transitions: TransitionRow[];
  inventory: HeartbeatEntry[];
}

const json = (value: unknown) =>
  value === null || value === undefined ? null : JSON.stringify(value);

/**
 * Writes a batch with one statement: the final liveness rows (UPDATE from
 * unnest), the history rows, the transitions and the reported inventory.
 */
export async function writeBatch(
  client: Queryable,
  write: BatchWrite,
): Promise<void> {
  const { rows, history, transitions, inventory } = write;
  if (rows.length + history.length + inventory.length === 0) return;

  await client.query(
    `WITH status AS (
       UPDATE device_status s SET
         state = u.state, state_since = u.state_since,
         connectivity = u.connectivity, last_heartbeat_at = u.last_heartbeat_at,
         last_device_time = u.last_device_time,
         last_sequence = u.last_sequence, reported_status = u.reported_status,
         app_version = u.app_version, uptime_seconds = u.uptime_seconds,
         metrics = u.metrics, due_at = u.due_at,
         offline_since = u.offline_since, offline_tier = u.offline_tier,
         tier_since = u.tier_since, last_known_state = u.last_known_state
       FROM unnest($1::text[], $2::device_state[], $3::timestamptz[],
                   $4::text[], $5::timestamptz[], $6::timestamptz[],
                   $7::bigint[], $8::text[], $9::text[], $10::bigint[],
                   $11::jsonb[], $12::timestamptz[], $13::timestamptz[],
                   $14::offline_tier[], $15::timestamptz[], $16::device_state[])
         AS u(device_id, state, state_since, connectivity, last_heartbeat_at,
              last_device_time, last_sequence, reported_status, app_version,
              uptime_seconds, metrics, due_at, offline_since, offline_tier,
              tier_since, last_known_state)
       WHERE s.device_id = u.device_id
     ), history AS (
       INSERT INTO heartbeats
         (device_id, received_at, device_time, sequence, status, app_version,
          metrics)
       SELECT * FROM unnest($17::text[], $18::timestamptz[],
                            $19::timestamptz[], $20::bigint[], $21::text[],
                            $22::text[], $23::jsonb[])
     ), transitions AS (
       INSERT INTO state_transitions
         (device_id, from_state, to_state, cause, actor, reason, at)
       SELECT device_id, from_state, to_state, 'heartbeat', actor, reason, at
       FROM unnest($24::text[], $25::device_state[], $26::device_state[],
                   $27::text[], $28::text[], $29::timestamptz[])
         AS t(device_id, from_state, to_state, actor, reason, at)
     )
     INSERT INTO device_reported_inventory
       (device_id, hardware, software, reported_at)
     SELECT * FROM unnest($30::text[], $31::jsonb[], $32::jsonb[],
                          $33::timestamptz[])
     ON CONFLICT (device_id) DO UPDATE SET
       hardware = coalesce(excluded.hardware,
                           device_reported_inventory.hardware),
       software = coalesce(excluded.software,
                           device_reported_inventory.software),
       reported_at = excluded.reported_at
     WHERE device_reported_inventory.reported_at <= excluded.reported_at`,
    [
      rows.map((r) => r.deviceId),
      rows.map((r) => r.state),
      rows.map((r) => r.stateSince),
      rows.map((r) => r.connectivity),
      rows.map((r) => r.lastHeartbeatAt),
      rows.map((r) => r.lastDeviceTime),
      rows.map((r) => r.lastSequence),
      rows.map((r) => r.reportedStatus),
      rows.map((r) => r.appVersion),
      rows.map((r) =>
        r.uptimeSeconds === null ? null : Math.floor(r.uptimeSeconds),
      ),
      rows.map((r) => json(r.metrics)),
      rows.map((r) => r.dueAt),
      rows.map((r) => r.offlineSince),
      rows.map((r) => r.offlineTier),
      rows.map((r) => r.tierSince),
      rows.map((r) => r.lastKnownState),
      history.map((h) => h.entry.deviceId),
      history.map((h) => h.entry.receivedAt),
      history.map((h) => h.entry.deviceTime),
      history.map((h) => h.entry.sequence),
      history.map((h) => h.status),
      history.map((h) => h.entry.appVersion),
      history.map((h) => json(h.entry.metrics)),
      transitions.map((t) => t.deviceId),
      transitions.map((t) => t.from),
      transitions.map((t) => t.to),
      transitions.map((t) => t.actor),
      transitions.map((t) => t.reason),
      transitions.map((t) => t.at),
      inventory.map((e) => e.deviceId),
      inventory.map((e) => json(e.hardware)),
      inventory.map((e) => json(e.software)),
      inventory.map((e) => e.receivedAt),
    ],
  );
}
