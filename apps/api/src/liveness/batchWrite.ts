import type { DeviceState } from '@rollcall/fleet';
import type pg from 'pg';
import type { HeartbeatEntry, LivenessRow } from './heartbeatTypes.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

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
          metrics, degradation_reason)
       SELECT * FROM json_to_recordset($2::json) AS h(
         device_id text, received_at timestamptz, device_time timestamptz,
         sequence bigint, status text, app_version text, metrics jsonb,
         degradation_reason text)
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
          degradation_reason: entry.degradationReason,
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
