import type { DeviceState, OfflineTier } from '@rollcall/fleet';
import type pg from 'pg';
import type { DeviceInstruction } from './heartbeatObserver.ts';
import type { HeartbeatEntry, LivenessRow } from './heartbeatTypes.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A locked liveness row with what the batch needs beside it. */
export interface LockedDevice {
  row: LivenessRow;
  intervalSeconds: number;
  /** Live (unrevoked) token ids of the device; read for device reporters. */
  liveTokens: string[];
  /** Values of the device's `gateway` tags; read for gateway reporters. */
  gateways: string[];
  instruction: DeviceInstruction | null;
  desiredVersion: string | null;
  /**
   * True when an observer may change this device's instruction after the
   * batch: it has a desired version, an assigned deployment part or open
   * catch-up entries. Without any, the instructions are not re-read.
   */
  hasPendingWork: boolean;
}

interface LockedRecord {
  device_id: string;
  state: DeviceState;
  state_since: Date;
  connectivity: string;
  last_heartbeat_at: Date | null;
  last_sequence: number | null;
  app_version: string | null;
  due_at: Date | null;
  offline_since: Date | null;
  offline_tier: OfflineTier | null;
  tier_since: Date | null;
  last_known_state: DeviceState | null;
  desired_version: string | null;
  heartbeat_interval_seconds: number;
  live_tokens: string[] | null;
  gateways: string[] | null;
  deployment_id: string | null;
  artifact: string | null;
  pending_work: boolean;
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

/** Which rights facts a batch needs, by the kinds of its reporters. */
export interface LockNeeds {
  tokens: boolean;
  gateways: boolean;
}

/**
 * Locks the liveness rows of a batch's devices in device id order (so
 * that concurrent batches never deadlock) and reads them with the
 * device's interval, instruction and, when `needs` says so, live tokens
 * and gateway rights (CASE keeps the other subqueries from running).
 * The interval is a subquery, not a join, so that the planner probes
 * devices by key instead of hashing the whole table for 1,000 rows.
 *
 * The columns an applied heartbeat overwrites from its entry (metrics,
 * uptime, reported status, device time) are not read: only applied rows
 * are written, so their old values are never used, and parsing every
 * row's metrics JSON was a large part of the batch's cost.
 */
export async function lockDevices(
  client: Queryable,
  deviceIds: string[],
  needs: LockNeeds,
): Promise<Map<string, LockedDevice>> {
  const { rows } = await client.query<LockedRecord>(
    `SELECT s.device_id, s.state, s.state_since, s.connectivity,
            s.last_heartbeat_at, s.last_sequence, s.app_version,
            s.due_at, s.offline_since, s.offline_tier, s.tier_since,
            s.last_known_state, s.desired_version,
            (SELECT d.heartbeat_interval_seconds FROM devices d
             WHERE d.id = s.device_id) AS heartbeat_interval_seconds,
            CASE WHEN $2::boolean THEN
              ARRAY(SELECT t.id::text FROM device_tokens t
                    WHERE t.device_id = s.device_id AND t.revoked_at IS NULL)
            END AS live_tokens,
            CASE WHEN $3::boolean THEN
              ARRAY(SELECT g.value FROM device_tags g
                    WHERE g.device_id = s.device_id AND g.key = 'gateway')
            END AS gateways,
            inst.deployment_id, inst.artifact,
            (s.desired_version IS NOT NULL
             OR EXISTS (SELECT 1 FROM deployment_devices dd
                        WHERE dd.device_id = s.device_id
                          AND dd.state = 'assigned')
             OR EXISTS (SELECT 1 FROM catch_up_queue q
                        WHERE q.device_id = s.device_id
                          AND q.status IN ('pending', 'delivering'))
            ) AS pending_work
     FROM device_status s
     ${INSTRUCTION_JOIN}
     WHERE s.device_id = ANY($1::text[])
     ORDER BY s.device_id
     FOR UPDATE OF s`,
    [deviceIds, needs.tokens, needs.gateways],
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
        lastDeviceTime: null,
        lastSequence: r.last_sequence,
        reportedStatus: null,
        appVersion: r.app_version,
        uptimeSeconds: null,
        metrics: null,
        dueAt: r.due_at,
        offlineSince: r.offline_since,
        offlineTier: r.offline_tier,
        tierSince: r.tier_since,
        lastKnownState: r.last_known_state,
      },
      intervalSeconds: r.heartbeat_interval_seconds,
      liveTokens: r.live_tokens ?? [],
      gateways: r.gateways ?? [],
      instruction: instructionOf(r),
      desiredVersion: r.desired_version,
      hasPendingWork: r.pending_work,
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

/**
 * A device's own timestamp as PostgreSQL reads it inside JSON. It may be
 * any instant JavaScript represents; toISOString writes years past 9999
 * and before year 0 in an extended form ("+010000-", "-000001-") that
 * PostgreSQL does not parse, so those are spelled out (BC for year <= 0).
 */
function deviceTimeText(time: Date | null): string | null {
  if (time === null) return null;
  const iso = time.toISOString();
  if (iso[0] !== '+' && iso[0] !== '-') return iso;

  const year = time.getUTCFullYear();
  const rest = iso.slice(iso.indexOf('-', 1) + 1, -1).replace('T', ' ');
  return year > 0 ? `${year}-${rest}+00` : `${1 - year}-${rest}+00 BC`;
}

/**
 * Writes a batch with one statement: the final liveness rows, the history
 * rows, the transitions and the reported inventory. Each set travels as
 * one JSON document (json_to_recordset) rather than as a dozen arrays:
 * JSON.stringify is native and PostgreSQL parses a document once, where
 * pg's array literals were escaped element by element in JavaScript and
 * every jsonb element parsed again on the server.
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
       FROM json_to_recordset($1::json) AS u(
         device_id text, state device_state, state_since timestamptz,
         connectivity text, last_heartbeat_at timestamptz,
         last_device_time timestamptz, last_sequence bigint,
         reported_status text, app_version text, uptime_seconds bigint,
         metrics jsonb, due_at timestamptz, offline_since timestamptz,
         offline_tier offline_tier, tier_since timestamptz,
         last_known_state device_state)
       WHERE s.device_id = u.device_id
     ), history AS (
       INSERT INTO heartbeats
         (device_id, received_at, device_time, sequence, status, app_version,
          metrics)
       SELECT * FROM json_to_recordset($2::json) AS h(
         device_id text, received_at timestamptz, device_time timestamptz,
         sequence bigint, status text, app_version text, metrics jsonb)
     ), transitions AS (
       INSERT INTO state_transitions
         (device_id, from_state, to_state, cause, actor, reason, at)
       SELECT device_id, from_state, to_state, 'heartbeat', actor, reason, at
       FROM json_to_recordset($3::json) AS t(
         device_id text, from_state device_state, to_state device_state,
         actor text, reason text, at timestamptz)
     )
     INSERT INTO device_reported_inventory
       (device_id, hardware, software, reported_at)
     SELECT * FROM json_to_recordset($4::json) AS i(
       device_id text, hardware jsonb, software jsonb, reported_at timestamptz)
     ON CONFLICT (device_id) DO UPDATE SET
       hardware = coalesce(excluded.hardware,
                           device_reported_inventory.hardware),
       software = coalesce(excluded.software,
                           device_reported_inventory.software),
       reported_at = excluded.reported_at
     WHERE device_reported_inventory.reported_at <= excluded.reported_at`,
    [
      JSON.stringify(
        rows.map((r) => ({
          device_id: r.deviceId,
          state: r.state,
          state_since: r.stateSince,
          connectivity: r.connectivity,
          last_heartbeat_at: r.lastHeartbeatAt,
          last_device_time: deviceTimeText(r.lastDeviceTime),
          last_sequence: r.lastSequence,
          reported_status: r.reportedStatus,
          app_version: r.appVersion,
          uptime_seconds:
            r.uptimeSeconds === null ? null : Math.floor(r.uptimeSeconds),
          metrics: r.metrics,
          due_at: r.dueAt,
          offline_since: r.offlineSince,
          offline_tier: r.offlineTier,
          tier_since: r.tierSince,
          last_known_state: r.lastKnownState,
        })),
      ),
      JSON.stringify(
        history.map(({ entry, status }) => ({
          device_id: entry.deviceId,
          received_at: entry.receivedAt,
          device_time: deviceTimeText(entry.deviceTime),
          sequence: entry.sequence,
          status,
          app_version: entry.appVersion,
          metrics: entry.metrics,
        })),
      ),
      JSON.stringify(
        transitions.map((t) => ({
          device_id: t.deviceId,
          from_state: t.from,
          to_state: t.to,
          actor: t.actor,
          reason: t.reason,
          at: t.at,
        })),
      ),
      JSON.stringify(
        inventory.map((e) => ({
          device_id: e.deviceId,
          hardware: e.hardware,
          software: e.software,
          reported_at: e.receivedAt,
        })),
      ),
    ],
  );
}
