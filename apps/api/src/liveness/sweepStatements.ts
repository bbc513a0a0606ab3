import type {
  DeviceState,
  HeartbeatTiming,
  OfflineTier,
} from '@rollcall/fleet';
import type pg from 'pg';
import { RECORDED_ITEM } from '../events/eventWire.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** The channel and payload shape of events/eventBus.ts. */
const EVENT_CHANNEL = 'rollcall_events';
// Id ranges per NOTIFY: a range is at most 30 bytes, the limit 8,000.
const RANGES_PER_NOTIFY = 200;

/** A device the sweeper marked OFFLINE. */
export interface TimedOut {
  deviceId: string;
  from: DeviceState;
  /** When its timeout expired: its offline_since. */
  at: Date;
  version: number;
}

/**
 * The per-device timeout in SQL, the twin of fleet's `timeoutMsFor`: the
 * configured timeout scaled by the device's interval over the configured
 * interval (parameters $2 = timeout ms, $3 = configured interval s),
 * rounded as Math.round does. In float8: numeric arithmetic here was a
 * tenth of a sweep.
 */
const TIMEOUT_MS = `(CASE WHEN s.heartbeat_interval_seconds > 0 AND $3::int > 0
  THEN floor($2::float8 * s.heartbeat_interval_seconds / $3::int + 0.5)
  ELSE $2::float8 END)`;

/**
 * Locks up to $6 HEALTHY or DEGRADED devices matching `due` and computes
 * their deadlines from the locked rows. `due` is either `due_at IS NULL`
 * or `due_at < now` (in due_at order), each served by the due_at index;
 * the two were one OR, which made every chunk scan the whole table. The
 * interval is device_status' own copy of the device's (migration
 * 20261212000000): a probe of devices per candidate was a twelfth of a
 * sweep.
 */
function lockCandidates(due: string, order: string): string {
  return `SELECT s.device_id, s.state, t.ms,
              greatest(coalesce(s.due_at, s.last_heartbeat_at + t.span,
                                s.state_since + t.span),
                       s.state_since + t.span,
                       coalesce($4::timestamptz + t.span, '-infinity')) AS deadline
       FROM device_status s
       CROSS JOIN LATERAL (SELECT ${TIMEOUT_MS} AS ms) m
       CROSS JOIN LATERAL (SELECT m.ms, m.ms * interval '1 millisecond' AS span) t
       WHERE s.state IN ('healthy', 'degraded') AND ${due}
       ${order}
       LIMIT $6
       FOR UPDATE OF s SKIP LOCKED`;
}

/**
 * Marks every HEALTHY or DEGRADED device past its deadline OFFLINE, in one
 * statement: the liveness rows (last known state, offline_since, the next
 * look at the warning tier), the TIMEOUT transitions, the device_events
 * rows and their NOTIFY, in the event bus's format. Done in SQL, not
 * through `EventBus.publish`, because a sweep can move tens of thousands
 * of devices at once: the NOTIFY names the device_events id ranges (an
 * `@recorded` item, see events/eventWire.ts), and each listening process
 * reads the rows and delivers the same per-device stateChanged events,
 * instead of every process parsing megabytes of payload at commit. The
 * rows share one payload per (from, reason): the kind, device and time
 * are the row's own columns, which readers merge in (events/eventRows.ts),
 * so a chunk builds a handful of JSON values instead of one per device.
 *
 * The deadline is the latest of due_at, one timeout after entering the
 * state (an operator's return to HEALTHY gets a full timeout), and one
 * timeout after `graceStart` (the restart grace). Rows locked by a
 * heartbeat are skipped, never waited for: that heartbeat moves due_at,
 * and a sweeper that waits could deadlock with a batch. A row whose
 * deadline is still ahead gets its due_at moved there.
 *
 * At most `limit` candidates are handled, so that the caller can sweep in
 * chunks, one transaction each; fewer `candidates` than `limit` means no
 * more are due. The moved devices come back in device id order.
 */
export async function markTimedOut(
  client: Queryable,
  now: Date,
  timing: HeartbeatTiming,
  warningMs: number,
  graceStart: Date | null,
  limit: number,
): Promise<{ timedOut: TimedOut[]; candidates: number }> {
  // One row per moved device (plain columns: a JSON aggregate of them was
  // a fifth of a sweep), or one row of nulls besides the counts. The
  // notifications are selected so that the planner keeps (runs) them.
  const { rows } = await client.query<{
    candidates: number;
    device_id: string | null;
    from_state: DeviceState;
    version: number;
    deadline_ms: number;
  }>(
    `WITH unscheduled AS (
       ${lockCandidates('s.due_at IS NULL', '')}
     ), overdue AS (
       ${lockCandidates('s.due_at < $1', 'ORDER BY s.due_at')}
     ), candidates AS (
       SELECT * FROM unscheduled UNION ALL SELECT * FROM overdue
     ), moved AS (
       UPDATE device_status s SET
         state = 'offline', last_known_state = c.state,
         state_since = c.deadline, offline_since = c.deadline,
         connectivity = 'offline', offline_tier = NULL, tier_since = NULL,
         due_at = c.deadline + $5::bigint * interval '1 millisecond',
         version = nextval('device_events_id_seq'::regclass)
       FROM candidates c
       WHERE s.device_id = c.device_id AND c.deadline < $1
       RETURNING s.device_id, c.state AS from_state, s.version, c.deadline,
                 format('no heartbeat within %s s', c.ms / 1000) AS reason
     ), extended AS (
       UPDATE device_status s SET due_at = c.deadline
       FROM candidates c
       WHERE s.device_id = c.device_id AND c.deadline >= $1
     ), transitions AS (
       INSERT INTO state_transitions
         (device_id, from_state, to_state, cause, actor, reason, at)
       SELECT device_id, from_state, 'offline', 'timeout', 'sweeper', reason,
              deadline
       FROM moved
     ), payloads AS (
       SELECT from_state, reason,
              jsonb_build_object('from', from_state, 'to', 'offline',
                                 'cause', 'timeout', 'actor', 'sweeper',
                                 'reason', reason) AS payload
       FROM moved GROUP BY from_state, reason
     ), recorded AS (
       INSERT INTO device_events (id, device_id, kind, payload, at)
       SELECT m.version, m.device_id, 'stateChanged', p.payload, m.deadline
       FROM moved m JOIN payloads p USING (from_state, reason)
       RETURNING id
     ), notified AS (
       SELECT pg_notify('${EVENT_CHANNEL}', json_build_array(json_build_object(
                'kind', '${RECORDED_ITEM}', 'kinds', json_build_array('stateChanged'),
                'to', json_build_array('offline'),
                'ranges', json_agg(json_build_array(lo, hi) ORDER BY lo)))::text)
       FROM (SELECT min(id) AS lo, max(id) AS hi,
                    (row_number() OVER (ORDER BY min(id)) - 1) / ${RANGES_PER_NOTIFY}
                      AS chunk
             FROM (SELECT id, id - row_number() OVER (ORDER BY id) AS island
                   FROM recorded) ids
             GROUP BY island) r
       GROUP BY chunk
     )
     SELECT n.candidates, n.notifications, m.device_id, m.from_state,
            m.version,
            (extract(epoch FROM m.deadline) * 1000)::bigint AS deadline_ms
     FROM (SELECT (SELECT count(*)::int FROM candidates) AS candidates,
                  (SELECT count(*) FROM notified) AS notifications) n
     LEFT JOIN moved m ON TRUE
     ORDER BY m.device_id`,
    [
      now,
      timing.timeoutSeconds * 1000,
      timing.intervalSeconds,
      graceStart,
      warningMs,
      limit,
    ],
  );
  return {
    candidates: rows[0]?.candidates ?? 0,
    timedOut: rows
      .filter((r) => r.device_id !== null)
      .map((r) => ({
        deviceId: r.device_id!,
        from: r.from_state,
        at: new Date(r.deadline_ms),
        version: r.version,
      })),
  };
}

/** An OFFLINE device whose next tier may be due. */
export interface TierCandidate {
  deviceId: string;
  offlineSince: Date;
  tier: OfflineTier | null;
}

/** Locks OFFLINE devices whose next tier is due (due_at <= now). */
export async function lockTierCandidates(
  client: Queryable,
  now: Date,
  limit: number,
): Promise<TierCandidate[]> {
  const { rows } = await client.query<{
    device_id: string;
    offline_since: Date;
    offline_tier: OfflineTier | null;
  }>(
    `SELECT s.device_id,
            coalesce(s.offline_since, s.state_since) AS offline_since,
            s.offline_tier
     FROM device_status s
     WHERE s.state = 'offline' AND s.due_at <= $1
     ORDER BY s.device_id
     LIMIT $2
     FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows.map((r) => ({
    deviceId: r.device_id,
    offlineSince: r.offline_since,
    tier: r.offline_tier,
  }));
}

/** New tier facts of offline devices. */
export interface TierWrite {
  deviceId: string;
  offlineSince: Date;
  tier: OfflineTier | null;
  tierSince: Date | null;
  dueAt: Date | null;
}

/** Writes tiers, entry times and next looks with one statement. */
export async function writeTiers(
  client: Queryable,
  writes: TierWrite[],
): Promise<void> {
  if (writes.length === 0) return;

  await client.query(
    `UPDATE device_status s SET
       offline_since = u.offline_since, offline_tier = u.tier,
       tier_since = u.tier_since, due_at = u.due_at
     FROM unnest($1::text[], $2::timestamptz[], $3::offline_tier[],
                 $4::timestamptz[], $5::timestamptz[])
       AS u(device_id, offline_since, tier, tier_since, due_at)
     WHERE s.device_id = u.device_id`,
    [
      writes.map((w) => w.deviceId),
      writes.map((w) => w.offlineSince),
      writes.map((w) => w.tier),
      writes.map((w) => w.tierSince),
      writes.map((w) => w.dueAt),
    ],
  );
}

/**
 * Tags devices `offline-extended`; returns the ones newly tagged. Even a
 * device at the tag limit gets it: a status tag is not counted in the
 * limit (tags/tagInput.ts, `STATUS_TAG_KEYS`), so the sweeper never
 * fails on tags and the device's export still imports.
 */
export async function tagOfflineExtended(
  client: Queryable,
  deviceIds: string[],
  at: Date,
): Promise<string[]> {
  if (deviceIds.length === 0) return [];

  const { rows } = await client.query<{ device_id: string }>(
    `INSERT INTO device_tags (device_id, key, value, created_at)
     SELECT id, 'offline-extended', '', $2 FROM unnest($1::text[]) AS id
     ON CONFLICT DO NOTHING
     RETURNING device_id`,
    [deviceIds, at],
  );
  return rows.map((r) => r.device_id);
}

/**
 * Moves the open catch-up entries of devices entering the investigate
 * tier to the investigation queue; returns the moved entries.
 */
export async function moveToInvestigation(
  client: Queryable,
  deviceIds: string[],
  at: Date,
): Promise<Array<{ id: string; deviceId: string }>> {
  if (deviceIds.length === 0) return [];

  const { rows } = await client.query<{ id: string; device_id: string }>(
    `WITH moved AS (
       UPDATE catch_up_queue SET status = 'investigation'
       WHERE device_id = ANY($1::text[])
         AND status IN ('pending', 'delivering')
       RETURNING id, device_id
     ), opened AS (
       INSERT INTO investigation_queue
         (id, device_id, catch_up_entry_id, reason, opened_at)
       SELECT gen_random_uuid(), device_id, id,
              'offline 7 days or more with a queued deployment', $2
       FROM moved
     )
     SELECT id::text AS id, device_id FROM moved ORDER BY device_id`,
    [deviceIds, at],
  );
  return rows.map((r) => ({ id: r.id, deviceId: r.device_id }));
}
