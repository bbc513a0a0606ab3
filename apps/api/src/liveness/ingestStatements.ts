import type { DeviceState, OfflineTier } from '@rollcall/fleet';
import type pg from 'pg';
import type { DeviceInstruction } from './heartbeatObserver.ts';
import type { LivenessRow } from './heartbeatTypes.ts';

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
 * The interval is device_status' copy of the device's, kept by triggers.
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
            s.heartbeat_interval_seconds,
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

/**
 * The device ids behind each gateway tag value that more than one id
 * folds to. Tags are stored ASCII-lowercased while ids keep their case,
 * so gateway=GW-1 is stored as gw-1 and cannot tell GW-1 from gw-1: such
 * a value names no gateway. Ids are ASCII, hence lower() in the C
 * collation, which folds A-Z only, as tags do.
 */
export async function caseTwinIds(
  client: Queryable,
  foldedIds: string[],
): Promise<Map<string, string[]>> {
  if (foldedIds.length === 0) return new Map();

  const { rows } = await client.query<{ folded: string; ids: string[] }>(
    `SELECT lower(id COLLATE "C") AS folded,
            array_agg(id ORDER BY id COLLATE "C") AS ids
     FROM devices
     WHERE lower(id COLLATE "C") = ANY($1::text[])
     GROUP BY 1 HAVING count(*) > 1`,
    [foldedIds],
  );
  return new Map(rows.map((r) => [r.folded, r.ids]));
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
