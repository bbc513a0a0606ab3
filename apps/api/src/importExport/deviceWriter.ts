import {
  offlineTierFor,
  timeoutMsFor,
  type DeviceState,
  type HeartbeatTiming,
} from '@rollcall/fleet';
import type pg from 'pg';
import {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  type DeviceDocument,
} from './deviceDocument.ts';
import { json } from './registryWriter.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A device to write, and the state it had before (null when new). */
export interface DeviceWrite {
  document: DeviceDocument;
  previousState: DeviceState | null;
  /** Whether the status block changed (liveness row rewritten). */
  isStatusChanged: boolean;
}

/**
 * When and by whom: the import's time, the heartbeat timing that sets
 * deadlines, and the actor its transitions name (`importActor`).
 */
export interface WriteContext {
  now: Date;
  timing: HeartbeatTiming;
  actor: string;
}

/** `devices.environment` as import writes it: the tags map's entry. */
export function recordEnvironment(document: DeviceDocument): string | null {
  return document.tags.environment ?? null;
}

/**
 * Every stored device's `devices.environment`, which its document does not
 * carry: import compares it with `recordEnvironment` so that a dry run
 * reports the device whose write would change it.
 */
export async function loadEnvironments(
  client: Queryable,
): Promise<Map<string, string | null>> {
  const { rows } = await client.query<{
    id: string;
    environment: string | null;
  }>('SELECT id, environment FROM devices');
  return new Map(rows.map((row) => [row.id, row.environment]));
}

/**
 * Writes devices with set-based statements (one per table, whatever the
 * count): the wide record, the liveness row for those whose status
 * changed, the tag set, and a transition for each new or changed state.
 *
 * The liveness rows of stored devices are locked first, in device id
 * order, as every registry writer takes them: a heartbeat holds its
 * device's row while its tag changes lock the device record (a device
 * back from `offline-extended`), so an import that locked the records
 * first could deadlock with it.
 */
export async function writeDevices(
  client: Queryable,
  writes: DeviceWrite[],
  context: WriteContext,
): Promise<void> {
  if (writes.length === 0) return;
  await client.query(
    `SELECT 1 FROM device_status WHERE device_id = ANY($1::text[])
     ORDER BY device_id FOR UPDATE`,
    [writes.map((write) => write.document.id)],
  );
  const records = writes.map(({ document: d }) => ({
    id: d.id,
    hostname: d.hostname,
    serial_number: d.serial_number,
    mac_address: d.mac_address,
    ip_address: d.ip_address ?? null,
    environment: recordEnvironment(d),
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
    context,
  );
  await writeTags(
    client,
    writes.map((write) => write.document),
    context.now,
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
  { now, timing, actor }: WriteContext,
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
      actor,
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
