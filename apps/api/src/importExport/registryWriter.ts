import {
  offlineTierFor,
  timeoutMsFor,
  type DeviceState,
  type HeartbeatTiming,
} from '@rollcall/fleet';
import type pg from 'pg';
import type { CatchUpDocument } from './catchUpDocument.ts';
import {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  type DeviceDocument,
} from './deviceDocument.ts';
import type { DeploymentDocument } from './deploymentDocument.ts';
import type { GroupDocument } from './groupDocument.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A device to write, and the state it had before (null when new). */
export interface DeviceWrite {
  document: DeviceDocument;
  previousState: DeviceState | null;
  /** Whether the status block changed (liveness row rewritten). */
  isStatusChanged: boolean;
}

const ACTOR = 'import';

/** `jsonb_to_recordset` input: one JSON array parameter for a whole set. */
function json(rows: object[]): string {
  return JSON.stringify(rows);
}

/**
 * Writes devices with set-based statements (one per table, whatever the
 * count): the wide record, the liveness row for those whose status
 * changed, the tag set, and a transition for each new or changed state.
 */
export async function writeDevices(
  client: Queryable,
  writes: DeviceWrite[],
  now: Date,
  timing: HeartbeatTiming,
): Promise<void> {
  if (writes.length === 0) return;
  const records = writes.map(({ document: d }) => ({
    id: d.id,
    hostname: d.hostname,
    serial_number: d.serial_number,
    mac_address: d.mac_address,
    ip_address: d.ip_address ?? null,
    environment: d.tags.environment ?? null,
    hardware_type: d.hardware.type,
    architecture: d.hardware.architecture,
    cpu_cores: d.hardware.cpu_cores,
    ram_mb: d.hardware.ram_mb,
    gpu: d.hardware.gpu,
    disk_total_mb: d.hardware.disk_total_mb,
    has_gpu: d.hardware.has_gpu,
    storage_type: d.hardware.storage_type ?? null,
    cameras: d.hardware.cameras ?? [],
    sensors: d.hardware.sensors ?? [],
    ...d.software,
    current_version: d.deployment.current_version,
    previous_version: d.deployment.previous_version,
    last_deployed_at: d.deployment.last_deployed,
    deployment_slot: d.deployment.deployment_slot,
    rollback_available: d.deployment.rollback_available,
    rollback_version: d.deployment.rollback_version,
    notes: d.metadata.notes,
    physical_location: d.metadata.physical_location,
    registered_at: d.metadata.registered,
    updated_at: d.metadata.last_updated,
    decommissioned_at: d.metadata.decommissioned ?? null,
    heartbeat_interval_seconds:
      d.status.heartbeat_interval_seconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  }));
  const columns = Object.keys(records[0]!);
  await client.query(
    `INSERT INTO devices (${columns.join(', ')})
     SELECT ${columns.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(
       id text, hostname text, serial_number text, mac_address text,
       ip_address text, environment text, hardware_type text,
       architecture text, cpu_cores int, ram_mb int, gpu text,
       disk_total_mb int, has_gpu boolean, storage_type text,
       cameras text[], sensors text[], os text, kernel text,
       jetpack_version text, cuda_version text, container_runtime text,
       container_runtime_version text, current_version text,
       previous_version text, last_deployed_at timestamptz,
       deployment_slot text, rollback_available boolean,
       rollback_version text, notes text, physical_location text,
       registered_at timestamptz, updated_at timestamptz,
       decommissioned_at timestamptz, heartbeat_interval_seconds int)
     ON CONFLICT (id) DO UPDATE SET
       ${columns
         .filter((column) => column !== 'id')
         .map((column) => `${column} = EXCLUDED.${column}`)
         .join(', ')}`,
    [json(records)],
  );

  await writeStatus(
    client,
    writes.filter((write) => write.isStatusChanged),
    now,
    timing,
  );
  await writeTags(
    client,
    writes.map((write) => write.document),
    now,
  );
}

function statusRow(write: DeviceWrite, now: Date, timing: HeartbeatTiming) {
  const { document: d, previousState } = write;
  const state = d.status.state;
  const lastHeartbeat = d.status.last_heartbeat
    ? new Date(d.status.last_heartbeat)
    : null;
  const isLive = state === 'healthy' || state === 'degraded';
  const timeoutMs = timeoutMsFor(d.status.heartbeat_interval_seconds, timing);
  // A live device is due one timeout after its last heartbeat, or after the
  // import when it never sent one: the sweeper then judges it as usual.
  const dueAt = isLive
    ? new Date((lastHeartbeat ?? now).getTime() + timeoutMs)
    : null;
  const offlineSince =
    state === 'offline' ? new Date(d.status.offline_since ?? now) : null;
  const tier = offlineSince
    ? offlineTierFor(Math.max(0, now.getTime() - offlineSince.getTime()))
    : null;
  return {
    device_id: d.id,
    state,
    state_since: previousState === state ? null : now.toISOString(),
    connectivity: d.status.connectivity,
    last_heartbeat_at: d.status.last_heartbeat,
    uptime_seconds: d.status.uptime_seconds,
    due_at: dueAt?.toISOString() ?? null,
    offline_since: offlineSince?.toISOString() ?? null,
    offline_tier: tier,
    tier_since: tier ? now.toISOString() : null,
    last_known_state: state === 'offline' ? 'healthy' : null,
  };
}

async function writeStatus(
  client: Queryable,
  writes: DeviceWrite[],
  now: Date,
  timing: HeartbeatTiming,
): Promise<void> {
  if (writes.length === 0) return;
  const rows = writes.map((write) => statusRow(write, now, timing));
  await client.query(
    `INSERT INTO device_status (device_id, state, state_since, connectivity,
       last_heartbeat_at, uptime_seconds, due_at, offline_since, offline_tier,
       tier_since, last_known_state)
     SELECT device_id, state::device_state, coalesce(state_since, $2), connectivity,
            last_heartbeat_at, uptime_seconds, due_at, offline_since,
            offline_tier::offline_tier, tier_since, last_known_state::device_state
     FROM jsonb_to_recordset($1::jsonb) AS r(device_id text, state text,
       state_since timestamptz, connectivity text, last_heartbeat_at timestamptz,
       uptime_seconds bigint, due_at timestamptz, offline_since timestamptz,
       offline_tier text, tier_since timestamptz, last_known_state text)
     ON CONFLICT (device_id) DO UPDATE SET
       state = EXCLUDED.state,
       state_since = CASE WHEN device_status.state = EXCLUDED.state
                          THEN device_status.state_since ELSE EXCLUDED.state_since END,
       connectivity = EXCLUDED.connectivity,
       last_heartbeat_at = EXCLUDED.last_heartbeat_at,
       uptime_seconds = EXCLUDED.uptime_seconds,
       due_at = EXCLUDED.due_at,
       offline_since = EXCLUDED.offline_since,
       offline_tier = EXCLUDED.offline_tier,
       tier_since = EXCLUDED.tier_since,
       last_known_state = EXCLUDED.last_known_state`,
    [json(rows), now],
  );

  const changed = writes.filter(
    (write) => write.previousState !== write.document.status.state,
  );
  if (changed.length === 0) return;
  await client.query(
    `INSERT INTO state_transitions (device_id, from_state, to_state, cause, actor, reason, at)
     SELECT device_id, from_state::device_state, to_state::device_state,
            cause::transition_cause, $2, $3, $4
     FROM jsonb_to_recordset($1::jsonb) AS r(device_id text, from_state text,
       to_state text, cause text)`,
    [
      json(
        changed.map((write) => ({
          device_id: write.document.id,
          from_state: write.previousState,
          to_state: write.document.status.state,
          cause: write.previousState === null ? 'registration' : 'sync',
        })),
      ),
      ACTOR,
      'rollcall import',
      now,
    ],
  );
}

async function writeTags(
  client: Queryable,
  documents: DeviceDocument[],
  now: Date,
) {
  const ids = documents.map((d) => d.id);
  const rows = documents.flatMap((d) => [
    ...Object.entries(d.tags).map(([key, value]) => [d.id, key, value]),
    ...d.labels.map((label) => [d.id, label, '']),
  ]);
  await client.query(
    `DELETE FROM device_tags WHERE device_id = ANY($1::text[])`,
    [ids],
  );
  await client.query(
    `INSERT INTO device_tags (device_id, key, value, created_at)
     SELECT device_id, key, value, $4
     FROM unnest($1::text[], $2::text[], $3::text[]) AS t(device_id, key, value)`,
    [
      rows.map((row) => row[0]),
      rows.map((row) => row[1]),
      rows.map((row) => row[2]),
      now,
    ],
  );
}

/** Writes groups (upsert by name) and replaces their static members. */
export async function writeGroups(
  client: Queryable,
  groups: GroupDocument[],
  now: Date,
): Promise<void> {
  if (groups.length === 0) return;
  await client.query(
    `INSERT INTO groups (id, name, description, membership, query, deploy_policy,
                         created_at, updated_at)
     SELECT gen_random_uuid(), name, description, membership::group_membership,
            query, deploy_policy, $2, $2
     FROM jsonb_to_recordset($1::jsonb) AS r(name text, description text,
       membership text, query text, deploy_policy text)
     ON CONFLICT (name) DO UPDATE SET
       description = EXCLUDED.description, membership = EXCLUDED.membership,
       query = EXCLUDED.query, deploy_policy = EXCLUDED.deploy_policy,
       updated_at = EXCLUDED.updated_at`,
    [
      json(
        groups.map((g) => ({
          name: g.name,
          description: g.description,
          membership: g.membership,
          query: g.query ?? null,
          deploy_policy: g.deploy_policy ?? null,
        })),
      ),
      now,
    ],
  );
  const names = groups.map((g) => g.name);
  await client.query(
    `DELETE FROM group_members m USING groups g
     WHERE m.group_id = g.id AND g.name = ANY($1::text[])`,
    [names],
  );
  const members = groups.flatMap((g) =>
    (g.devices ?? []).map((id) => [g.name, id]),
  );
  await client.query(
    `INSERT INTO group_members (group_id, device_id, added_at)
     SELECT g.id, m.device_id, $3
     FROM unnest($1::text[], $2::text[]) AS m(name, device_id)
     JOIN groups g ON g.name = m.name`,
    [members.map((m) => m[0]), members.map((m) => m[1]), now],
  );
}

/** Writes deployments with their waves, devices and log, replaced whole. */
export async function writeDeployments(
  client: Queryable,
  deployments: DeploymentDocument[],
): Promise<void> {
  if (deployments.length === 0) return;
  await client.query(
    `INSERT INTO deployments (id, artifact, target_version, manifest, state,
       current_wave, created_by, created_at, started_at, finished_at)
     SELECT id, artifact, target_version, manifest, state, current_wave,
            created_by, created_at, started_at, finished_at
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, artifact text,
       target_version text, manifest jsonb, state text, current_wave int,
       created_by text, created_at timestamptz, started_at timestamptz,
       finished_at timestamptz)
     ON CONFLICT (id) DO UPDATE SET
       artifact = EXCLUDED.artifact, target_version = EXCLUDED.target_version,
       manifest = EXCLUDED.manifest, state = EXCLUDED.state,
       current_wave = EXCLUDED.current_wave, created_by = EXCLUDED.created_by,
       created_at = EXCLUDED.created_at, started_at = EXCLUDED.started_at,
       finished_at = EXCLUDED.finished_at`,
    [
      json(
        deployments.map((d) => ({
          id: d.id,
          artifact: d.artifact,
          target_version: d.target_version,
          manifest: {
            artifact: d.artifact,
            target_version: d.target_version,
            target: d.target,
            ...(d.canary ? { canary: d.canary } : {}),
            waves: d.waves,
          },
          ...d.status,
          waves: undefined,
          devices: undefined,
          log: undefined,
        })),
      ),
    ],
  );

  const ids = deployments.map((d) => d.id);
  for (const table of [
    'deployment_waves',
    'deployment_devices',
    'deployment_log',
  ]) {
    await client.query(
      `DELETE FROM ${table} WHERE deployment_id = ANY($1::text[])`,
      [ids],
    );
  }
  await client.query(
    `INSERT INTO deployment_waves (id, deployment_id, index, name, is_canary, groups,
       exclude_groups, percentage, soak_minutes, require_approval, state,
       started_at, soak_until, approved_by, approved_at, completed_at)
     SELECT gen_random_uuid(), deployment_id, index, name, is_canary, groups,
            exclude_groups, percentage, soak_minutes, require_approval, state,
            started_at, soak_until, approved_by, approved_at, completed_at
     FROM jsonb_to_recordset($1::jsonb) AS r(deployment_id text, index int,
       name text, is_canary boolean, groups text[], exclude_groups text[],
       percentage int, soak_minutes int, require_approval boolean, state text,
       started_at timestamptz, soak_until timestamptz, approved_by text,
       approved_at timestamptz, completed_at timestamptz)`,
    [
      json(
        deployments.flatMap((d) =>
          d.status.waves.map((w) => ({ deployment_id: d.id, ...w })),
        ),
      ),
    ],
  );
  await client.query(
    `INSERT INTO deployment_devices (deployment_id, device_id, wave_index, state,
       target_version, from_version, assigned_at, finished_at, error)
     SELECT deployment_id, device_id, wave, state, target_version, from_version,
            assigned_at, finished_at, error
     FROM jsonb_to_recordset($1::jsonb) AS r(deployment_id text, device_id text,
       wave int, state text, target_version text, from_version text,
       assigned_at timestamptz, finished_at timestamptz, error text)`,
    [
      json(
        deployments.flatMap((d) =>
          d.status.devices.map((x) => ({ deployment_id: d.id, ...x })),
        ),
      ),
    ],
  );
  await client.query(
    `INSERT INTO deployment_log (deployment_id, device_id, action, message, at)
     SELECT deployment_id, device_id, action, message, at
     FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (deployment_id text,
       device_id text, action text, message text, at timestamptz))
       WITH ORDINALITY AS r(deployment_id, device_id, action, message, at, n)
     ORDER BY n`,
    [
      json(
        deployments.flatMap((d) =>
          d.status.log.map((l) => ({ deployment_id: d.id, ...l })),
        ),
      ),
    ],
  );
}

/**
 * Writes catch-up entries: existing ones (same device and deployment)
 * are updated in place, keeping their id; new ones are inserted.
 */
export async function writeCatchUp(
  client: Queryable,
  entries: CatchUpDocument[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    device_id: e.device_id,
    target_version: e.target_version,
    deployment_id: e.deployment_id,
    queued_at: e.queued_at,
    reason: e.reason,
    attempts: e.attempts,
    max_attempts: e.max_attempts,
    priority: e.priority,
    last_attempt_at: e.last_attempt ?? null,
    last_failure: e.last_failure ?? null,
    status: e.status ?? 'pending',
    closed_at: e.closed_at ?? null,
    close_reason: e.close_reason ?? null,
  }));
  const shape = `AS r(device_id text, target_version text, deployment_id text,
       queued_at timestamptz, reason text, attempts int, max_attempts int,
       priority text, last_attempt_at timestamptz, last_failure text,
       status text, closed_at timestamptz, close_reason text)`;
  await client.query(
    `UPDATE catch_up_queue q SET target_version = r.target_version,
       queued_at = r.queued_at, reason = r.reason, attempts = r.attempts,
       max_attempts = r.max_attempts, priority = r.priority,
       last_attempt_at = r.last_attempt_at, last_failure = r.last_failure,
       status = r.status, closed_at = r.closed_at, close_reason = r.close_reason
     FROM jsonb_to_recordset($1::jsonb) ${shape}
     WHERE q.device_id = r.device_id AND q.deployment_id = r.deployment_id`,
    [json(rows)],
  );
  await client.query(
    `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id,
       queued_at, reason, attempts, max_attempts, priority, last_attempt_at,
       last_failure, status, closed_at, close_reason)
     SELECT gen_random_uuid(), r.* FROM jsonb_to_recordset($1::jsonb) ${shape}
     WHERE NOT EXISTS (SELECT 1 FROM catch_up_queue q
       WHERE q.device_id = r.device_id AND q.deployment_id = r.deployment_id)`,
    [json(rows)],
  );
}
