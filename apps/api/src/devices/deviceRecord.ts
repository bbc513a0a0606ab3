import type { DeviceState, OfflineTier } from '@rollcall/fleet';

/**
 * The columns every device read selects, over `d` (devices) and `s`
 * (device_status). One list, so the page query, `device(id)` and the
 * mutations' answers all return the same record.
 */
export const DEVICE_COLUMNS = `
  d.id, d.hostname, d.serial_number, d.mac_address, d.ip_address,
  d.environment, d.hardware_type, d.architecture, d.cpu_cores, d.ram_mb,
  d.gpu, d.disk_total_mb, d.has_gpu, d.storage_type, d.cameras, d.sensors,
  d.os, d.kernel, d.jetpack_version, d.cuda_version, d.container_runtime,
  d.container_runtime_version, d.current_version, d.previous_version,
  d.last_deployed_at, d.deployment_slot, d.rollback_available,
  d.rollback_version, d.notes, d.physical_location, d.registered_at,
  d.updated_at, d.decommissioned_at, d.heartbeat_interval_seconds,
  s.state, s.state_since, s.last_heartbeat_at, s.uptime_seconds,
  s.connectivity, s.offline_tier, s.tier_since, s.offline_since,
  s.last_known_state, s.app_version, s.metrics, s.reported_status,
  s.version`;

/** The FROM clause that goes with `DEVICE_COLUMNS`. */
export const DEVICE_FROM = `devices d JOIN device_status s ON s.device_id = d.id`;

/** One row of `DEVICE_COLUMNS`, as pg returns it. */
export interface DeviceRow {
  id: string;
  hostname: string;
  serial_number: string | null;
  mac_address: string | null;
  ip_address: string | null;
  environment: string | null;
  hardware_type: string;
  architecture: string | null;
  cpu_cores: number | null;
  ram_mb: number | null;
  gpu: string | null;
  disk_total_mb: number | null;
  has_gpu: boolean;
  storage_type: string | null;
  cameras: string[] | null;
  sensors: string[] | null;
  os: string | null;
  kernel: string | null;
  jetpack_version: string | null;
  cuda_version: string | null;
  container_runtime: string | null;
  container_runtime_version: string | null;
  current_version: string | null;
  previous_version: string | null;
  last_deployed_at: Date | null;
  deployment_slot: string | null;
  rollback_available: boolean;
  rollback_version: string | null;
  notes: string | null;
  physical_location: string | null;
  registered_at: Date;
  updated_at: Date;
  decommissioned_at: Date | null;
  heartbeat_interval_seconds: number;
  state: DeviceState;
  state_since: Date;
  last_heartbeat_at: Date | null;
  uptime_seconds: number | null;
  connectivity: string;
  offline_tier: OfflineTier | null;
  tier_since: Date | null;
  offline_since: Date | null;
  last_known_state: DeviceState | null;
  app_version: string | null;
  metrics: unknown;
  reported_status: string | null;
  version: number;
}

/** The device record in the spec's shape, as the GraphQL `Device` type. */
export interface DeviceRecord {
  id: string;
  hostname: string;
  serialNumber: string | null;
  macAddress: string | null;
  ipAddress: string | null;
  environment: string | null;
  heartbeatIntervalSeconds: number;
  version: number;
  hardware: {
    type: string;
    architecture: string | null;
    cpuCores: number | null;
    ramMb: number | null;
    gpu: string | null;
    diskTotalMb: number | null;
    hasGpu: boolean;
    storageType: string | null;
    cameras: string[];
    sensors: string[];
  };
  software: {
    os: string | null;
    kernel: string | null;
    jetpackVersion: string | null;
    cudaVersion: string | null;
    containerRuntime: string | null;
    containerRuntimeVersion: string | null;
  };
  deployment: {
    currentVersion: string | null;
    previousVersion: string | null;
    lastDeployed: Date | null;
    deploymentSlot: string | null;
    rollbackAvailable: boolean;
    rollbackVersion: string | null;
  };
  status: {
    state: DeviceState;
    stateSince: Date;
    lastHeartbeat: Date | null;
    uptimeSeconds: number | null;
    connectivity: string;
    offlineTier: OfflineTier | null;
    tierSince: Date | null;
    offlineSince: Date | null;
    lastKnownState: DeviceState | null;
    appVersion: string | null;
    metrics: unknown;
    reportedStatus: string | null;
  };
  metadata: {
    registered: Date;
    lastUpdated: Date;
    decommissioned: Date | null;
    notes: string | null;
    physicalLocation: string | null;
  };
}

/** Maps a `DEVICE_COLUMNS` row to the record's nested shape. */
export function toDeviceRecord(row: DeviceRow): DeviceRecord {
  return {
    id: row.id,
    hostname: row.hostname,
    serialNumber: row.serial_number,
    macAddress: row.mac_address,
    ipAddress: row.ip_address,
    environment: row.environment,
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds,
    version: row.version,
    hardware: {
      type: row.hardware_type,
      architecture: row.architecture,
      cpuCores: row.cpu_cores,
      ramMb: row.ram_mb,
      gpu: row.gpu,
      diskTotalMb: row.disk_total_mb,
      hasGpu: row.has_gpu,
      storageType: row.storage_type,
      cameras: row.cameras ?? [],
      sensors: row.sensors ?? [],
    },
    software: {
      os: row.os,
      kernel: row.kernel,
      jetpackVersion: row.jetpack_version,
      cudaVersion: row.cuda_version,
      containerRuntime: row.container_runtime,
      containerRuntimeVersion: row.container_runtime_version,
    },
    deployment: {
      currentVersion: row.current_version,
      previousVersion: row.previous_version,
      lastDeployed: row.last_deployed_at,
      deploymentSlot: row.deployment_slot,
      rollbackAvailable: row.rollback_available,
      rollbackVersion: row.rollback_version,
    },
    status: {
      state: row.state,
      stateSince: row.state_since,
      lastHeartbeat: row.last_heartbeat_at,
      uptimeSeconds: row.uptime_seconds,
      connectivity: row.connectivity,
      offlineTier: row.offline_tier,
      tierSince: row.tier_since,
      offlineSince: row.offline_since,
      lastKnownState: row.last_known_state,
      appVersion: row.app_version,
      metrics: row.metrics,
      reportedStatus: row.reported_status,
    },
    metadata: {
      registered: row.registered_at,
      lastUpdated: row.updated_at,
      decommissioned: row.decommissioned_at,
      notes: row.notes,
      physicalLocation: row.physical_location,
    },
  };
}
