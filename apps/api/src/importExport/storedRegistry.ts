import type { DeviceState } from '@rollcall/fleet';
import type pg from 'pg';
import { toSpecManifest } from '../deployments/specManifest.ts';
import { compareCatchUp, type CatchUpDocument } from './catchUpDocument.ts';
import type { StoredCatchUp } from './catchUpMatching.ts';
import {
  compare,
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  type DeviceDocument,
} from './deviceDocument.ts';
import type {
  DeploymentDocument,
  DeploymentLogLine,
  WaveStatus,
} from './deploymentDocument.ts';
import { formatTimestamp } from './fieldReader.ts';
import type { GroupDocument } from './groupDocument.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** The registry as stored, in the documents' canonical form. */
export interface StoredRegistry {
  devices: Map<string, DeviceDocument>;
  groups: Map<string, GroupDocument>;
  deployments: Map<string, DeploymentDocument>;
  /** Every entry, closed ones (the queue's history) included. */
  catchUp: StoredCatchUp;
}

type Row = Record<string, unknown>;

function time(value: unknown): string | null {
  return value instanceof Date ? formatTimestamp(value) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function sorted(values: unknown): string[] {
  return Array.isArray(values)
    ? (values as string[]).slice().sort(compare)
    : [];
}

function deviceDocument(row: Row): DeviceDocument {
  const tags: Record<string, string> = {};
  const labels: string[] = [];
  for (const [key, value] of (row.tag_pairs as Array<[string, string]>).sort(
    (a, b) => compare(a[0], b[0]) || compare(a[1], b[1]),
  )) {
    if (value === '') labels.push(key);
    else tags[key] = value;
  }
  const cameras = sorted(row.cameras);
  const sensors = sorted(row.sensors);
  const interval = Number(row.heartbeat_interval_seconds);
  const offlineSince = time(row.offline_since);
  const decommissioned = time(row.decommissioned_at);
  const state = (text(row.state) ?? 'provisioning') as DeviceState;

  return {
    id: row.id as string,
    hostname: row.hostname as string,
    serial_number: text(row.serial_number),
    mac_address: text(row.mac_address),
    ...(row.ip_address ? { ip_address: row.ip_address as string } : {}),
    hardware: {
      type: row.hardware_type as string,
      architecture: text(row.architecture),
      cpu_cores: (row.cpu_cores as number | null) ?? null,
      ram_mb: (row.ram_mb as number | null) ?? null,
      gpu: text(row.gpu),
      disk_total_mb: (row.disk_total_mb as number | null) ?? null,
      has_gpu: row.has_gpu === true,
      ...(row.storage_type ? { storage_type: row.storage_type as string } : {}),
      ...(cameras.length > 0 ? { cameras } : {}),
      ...(sensors.length > 0 ? { sensors } : {}),
    },
    software: {
      os: text(row.os),
      kernel: text(row.kernel),
      jetpack_version: text(row.jetpack_version),
      cuda_version: text(row.cuda_version),
      container_runtime: text(row.container_runtime),
      container_runtime_version: text(row.container_runtime_version),
    },
    deployment: {
      current_version: text(row.current_version),
      previous_version: text(row.previous_version),
      last_deployed: time(row.last_deployed_at),
      deployment_slot: text(row.deployment_slot),
      rollback_available: row.rollback_available === true,
      rollback_version: text(row.rollback_version),
    },
    status: {
      state,
      last_heartbeat: time(row.last_heartbeat_at),
      uptime_seconds: (row.uptime_seconds as number | null) ?? null,
      connectivity: text(row.connectivity) ?? 'offline',
      ...(offlineSince !== null && state === 'offline'
        ? { offline_since: offlineSince }
        : {}),
      ...(interval === DEFAULT_HEARTBEAT_INTERVAL_SECONDS
        ? {}
        : { heartbeat_interval_seconds: interval }),
    },
    tags,
    labels,
    groups: sorted(row.group_names),
    metadata: {
      registered: time(row.registered_at),
      last_updated: time(row.updated_at),
      notes: text(row.notes),
      physical_location: text(row.physical_location),
      ...(decommissioned === null ? {} : { decommissioned }),
    },
  };
}

async function loadDevices(
  client: Queryable,
): Promise<Map<string, DeviceDocument>> {
  const { rows } = await client.query<Row>(
    `SELECT d.*, s.state, s.last_heartbeat_at, s.uptime_seconds, s.connectivity,
            s.offline_since,
            coalesce((SELECT json_agg(json_build_array(t.key, t.value))
                      FROM device_tags t WHERE t.device_id = d.id), '[]') AS tag_pairs,
            coalesce((SELECT array_agg(g.name) FROM group_members m
                      JOIN groups g ON g.id = m.group_id
                      WHERE m.device_id = d.id AND g.membership = 'static'),
                     '{}') AS group_names
     FROM devices d LEFT JOIN device_status s ON s.device_id = d.id`,
  );
  const documents = rows
    .map(deviceDocument)
    .sort((a, b) => compare(a.id, b.id));
  return new Map(documents.map((document) => [document.id, document]));
}

async function loadGroups(
  client: Queryable,
): Promise<Map<string, GroupDocument>> {
  const { rows } = await client.query<Row>(
    `SELECT g.name, g.description, g.membership, g.query, g.deploy_policy,
            coalesce(array_agg(m.device_id) FILTER (WHERE m.device_id IS NOT NULL),
                     '{}') AS devices
     FROM groups g LEFT JOIN group_members m ON m.group_id = g.id
     GROUP BY g.id`,
  );
  const documents = rows
    .map((row): GroupDocument => {
      const membership = row.membership === 'dynamic' ? 'dynamic' : 'static';
      return {
        name: row.name as string,
        description: text(row.description),
        membership,
        ...(membership === 'dynamic'
          ? { query: text(row.query) ?? '' }
          : { devices: sorted(row.devices) }),
        ...(row.deploy_policy
          ? { deploy_policy: row.deploy_policy as string }
          : {}),
      };
    })
    .sort((a, b) => compare(a.name, b.name));
  return new Map(documents.map((document) => [document.name, document]));
}

/** The stored manifest, whichever shape it was stored in, as the spec's. */
function manifestPart(
  manifest: unknown,
): Pick<DeploymentDocument, 'target' | 'canary' | 'waves'> {
  const { target, canary, waves } = toSpecManifest(manifest);
  return { target, ...(canary ? { canary } : {}), waves };
}

async function loadDeployments(
  client: Queryable,
): Promise<Map<string, DeploymentDocument>> {
  const deployments = await client.query<Row>(`SELECT * FROM deployments`);
  const waves = await client.query<Row>(
    `SELECT * FROM deployment_waves ORDER BY deployment_id, index`,
  );
  const devices = await client.query<Row>(`SELECT * FROM deployment_devices`);
  const log = await client.query<Row>(
    `SELECT * FROM deployment_log WHERE deployment_id IS NOT NULL ORDER BY at, id`,
  );
  const byId = new Map<string, DeploymentDocument>();
  for (const row of deployments.rows) {
    byId.set(row.id as string, {
      id: row.id as string,
      artifact: row.artifact as string,
      target_version: row.target_version as string,
      ...manifestPart(row.manifest),
      status: {
        state: row.state as string,
        current_wave: (row.current_wave as number | null) ?? null,
        created_by: row.created_by as string,
        created_at: time(row.created_at),
        started_at: time(row.started_at),
        finished_at: time(row.finished_at),
        waves: [],
        devices: [],
        log: [],
      },
    });
  }
  for (const row of waves.rows) {
    byId.get(row.deployment_id as string)?.status.waves.push(waveStatus(row));
  }
  for (const row of devices.rows) {
    byId.get(row.deployment_id as string)?.status.devices.push({
      device_id: row.device_id as string,
      wave: row.wave_index as number,
      state: row.state as string,
      target_version: row.target_version as string,
      from_version: text(row.from_version),
      assigned_at: time(row.assigned_at),
      finished_at: time(row.finished_at),
      error: text(row.error),
    });
  }
  for (const row of log.rows) {
    const line: DeploymentLogLine = {
      at: time(row.at)!,
      device_id: text(row.device_id),
      action: row.action as string,
      message: row.message as string,
    };
    byId.get(row.deployment_id as string)?.status.log.push(line);
  }
  for (const document of byId.values()) {
    document.status.devices.sort((a, b) => compare(a.device_id, b.device_id));
  }
  return new Map([...byId].sort(([a], [b]) => compare(a, b)));
}

function waveStatus(row: Row): WaveStatus {
  return {
    index: row.index as number,
    is_canary: row.is_canary === true,
    name: row.name as string,
    groups: (row.groups as string[]) ?? [],
    exclude_groups: (row.exclude_groups as string[]) ?? [],
    percentage: row.percentage as number,
    soak_minutes: row.soak_minutes as number,
    require_approval: row.require_approval === true,
    state: row.state as string,
    started_at: time(row.started_at),
    soak_until: time(row.soak_until),
    approved_by: text(row.approved_by),
    approved_at: time(row.approved_at),
    completed_at: time(row.completed_at),
  };
}

async function loadCatchUp(client: Queryable): Promise<StoredCatchUp> {
  // Ties in `compareCatchUp` keep this order: the sort is stable.
  const { rows } = await client.query<Row>(
    `SELECT * FROM catch_up_queue
     ORDER BY queued_at, device_id, deployment_id, closed_at NULLS LAST, id`,
  );
  const ids = new Map<CatchUpDocument, string>();
  const entries = rows
    .map((row): CatchUpDocument => {
      const document: CatchUpDocument = {
        device_id: row.device_id as string,
        target_version: row.target_version as string,
        deployment_id: row.deployment_id as string,
        queued_at: time(row.queued_at),
        reason: row.reason as string,
        attempts: row.attempts as number,
        max_attempts: row.max_attempts as number,
        priority: row.priority as string,
      };
      if (row.last_attempt_at)
        document.last_attempt = time(row.last_attempt_at)!;
      if (row.last_failure) document.last_failure = row.last_failure as string;
      if (row.status !== 'pending') document.status = row.status as string;
      if (row.closed_at) document.closed_at = time(row.closed_at)!;
      if (row.close_reason) document.close_reason = row.close_reason as string;
      ids.set(document, row.id as string);
      return document;
    })
    .sort(compareCatchUp);
  return { entries, ids };
}

/**
 * Reads the whole registry in the file documents' canonical form: what
 * export writes and what import compares against. Timestamps are read at
 * millisecond precision, as stored.
 */
export async function loadStoredRegistry(
  client: Queryable,
): Promise<StoredRegistry> {
  return {
    devices: await loadDevices(client),
    groups: await loadGroups(client),
    deployments: await loadDeployments(client),
    catchUp: await loadCatchUp(client),
  };
}
