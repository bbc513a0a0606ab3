import { DEVICE_STATES, type DeviceState } from '@rollcall/fleet';
import { normalizeTag } from '@rollcall/tag-query';
import { FieldReader } from './fieldReader.ts';

/**
 * One device file, `devices/<id>.yaml`: the spec's record ("Core Device
 * Record", every field) under `device:`, plus Rollcall's documented
 * extensions (FORMAT.md): `ip_address`, `hardware.storage_type`,
 * `hardware.cameras`, `hardware.sensors`, `status.offline_since`,
 * `status.heartbeat_interval_seconds`, `labels` (plain tags) and
 * `metadata.decommissioned`. This object is also the canonical form that
 * import compares and export writes, so keys are in file order and lists
 * sorted.
 */
export interface DeviceDocument {
  id: string;
  hostname: string;
  serial_number: string | null;
  mac_address: string | null;
  ip_address?: string;
  hardware: {
    type: string;
    architecture: string | null;
    cpu_cores: number | null;
    ram_mb: number | null;
    gpu: string | null;
    disk_total_mb: number | null;
    has_gpu: boolean;
    storage_type?: string;
    cameras?: string[];
    sensors?: string[];
  };
  software: {
    os: string | null;
    kernel: string | null;
    jetpack_version: string | null;
    cuda_version: string | null;
    container_runtime: string | null;
    container_runtime_version: string | null;
  };
  deployment: {
    current_version: string | null;
    previous_version: string | null;
    last_deployed: string | null;
    deployment_slot: string | null;
    rollback_available: boolean;
    rollback_version: string | null;
  };
  status: {
    state: DeviceState;
    last_heartbeat: string | null;
    uptime_seconds: number | null;
    connectivity: string;
    offline_since?: string;
    heartbeat_interval_seconds?: number;
  };
  /** The spec's tags map: key/value tags, normalised. */
  tags: Record<string, string>;
  /** Plain tags (`gpu-capable`, `canary-eligible`), normalised, sorted. */
  labels: string[];
  /** Static groups the device belongs to, sorted. */
  groups: string[];
  metadata: {
    registered: string | null;
    last_updated: string | null;
    notes: string | null;
    physical_location: string | null;
    decommissioned?: string;
  };
}

/** What a device file said beyond its document. */
export interface ParsedDevice {
  document: DeviceDocument;
  /** False when the file has no `labels`: capability tags are derived. */
  hasLabels: boolean;
}

export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 60;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const CONNECTIVITY = ['online', 'offline', 'intermittent'] as const;

function normalizedTag(reader: FieldReader, key: string, text: string): string {
  try {
    return normalizeTag(text);
  } catch (error) {
    throw reader.fail(key, (error as Error).message);
  }
}

function readTags(device: FieldReader): Record<string, string> {
  const raw = device.stringMap('tags') ?? {};
  const tags: Record<string, string> = {};
  const reader = device.requiredObject('tags');
  for (const key of Object.keys(raw).sort()) {
    const name = normalizedTag(reader, key, key);
    if (Object.hasOwn(tags, name)) {
      throw reader.fail(key, `repeats the tag key "${name}"`);
    }
    tags[name] = normalizedTag(reader, key, raw[key] ?? '');
  }
  return Object.fromEntries(
    Object.entries(tags).sort(([a], [b]) => compare(a, b)),
  );
}

function readLabels(device: FieldReader): string[] | null {
  const raw = device.stringList('labels', { maxItems: 500 });
  if (raw === null) return null;
  const labels = raw.map((label, index) =>
    normalizedTag(device, `labels[${index}]`, label),
  );
  return [...new Set(labels)].sort(compare);
}

/** Code-point order, the same in every locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Parses and checks one device file. `fileId` is the file name without
 * `.yaml`, which must equal the device id.
 *
 * @throws RegistryFileError naming the field and the reason
 */
export function parseDeviceDocument(
  file: string,
  fileId: string,
  root: unknown,
): ParsedDevice {
  const top = FieldReader.of(file, '', root);
  const device = top.requiredObject('device');
  top.done();

  const id = device.requiredString('id', { maxLength: 128 });
  if (!ID_PATTERN.test(id)) {
    throw device.fail('id', `"${id}" must be letters, digits, ".", "_" or "-"`);
  }
  if (id !== fileId) {
    throw device.fail(
      'id',
      `"${id}" does not match the file name ${fileId}.yaml`,
    );
  }

  const hardware = device.requiredObject('hardware');
  const software = device.object('software');
  const deployment = device.object('deployment');
  const status = device.object('status');
  const metadata = device.object('metadata');
  const ip = device.string('ip_address', { maxLength: 64 });

  const document: DeviceDocument = {
    id,
    hostname: device.requiredString('hostname', { maxLength: 253 }),
    serial_number: device.string('serial_number', { maxLength: 128 }),
    mac_address: readMac(device),
    ...(ip === null ? {} : { ip_address: ip }),
    hardware: readHardware(hardware),
    software: {
      os: software?.string('os') ?? null,
      kernel: software?.string('kernel') ?? null,
      jetpack_version:
        software?.string('jetpack_version', { maxLength: 64 }) ?? null,
      cuda_version: software?.string('cuda_version', { maxLength: 64 }) ?? null,
      container_runtime: software?.string('container_runtime') ?? null,
      container_runtime_version:
        software?.string('container_runtime_version', { maxLength: 64 }) ??
        null,
    },
    deployment: {
      current_version:
        deployment?.string('current_version', { maxLength: 64 }) ?? null,
      previous_version:
        deployment?.string('previous_version', { maxLength: 64 }) ?? null,
      last_deployed: deployment?.timestamp('last_deployed') ?? null,
      deployment_slot:
        deployment?.string('deployment_slot', { maxLength: 64 }) ?? null,
      rollback_available: deployment?.boolean('rollback_available') ?? false,
      rollback_version:
        deployment?.string('rollback_version', { maxLength: 64 }) ?? null,
    },
    status: readStatus(status),
    tags: device.has('tags') ? readTags(device) : {},
    labels: [],
    groups: [],
    metadata: readMetadata(metadata),
  };
  const labels = readLabels(device);
  document.labels = labels ?? [];
  const groups = device.stringList('groups', { maxItems: 1000 }) ?? [];
  document.groups = [...new Set(groups)].sort(compare);

  for (const reader of [hardware, software, deployment, status, metadata]) {
    reader?.done();
  }
  device.done();
  return { document, hasLabels: labels !== null };
}

function readMac(device: FieldReader): string | null {
  const mac = device.string('mac_address', { maxLength: 17 });
  if (mac === null) return null;
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac)) {
    throw device.fail(
      'mac_address',
      `"${mac}" is not a MAC address such as 00:04:4b:e6:a3:12`,
    );
  }
  return mac.toLowerCase();
}

function readHardware(hardware: FieldReader): DeviceDocument['hardware'] {
  const storage = hardware.string('storage_type', { maxLength: 32 });
  const cameras = hardware.stringList('cameras', { maxItems: 32 });
  const sensors = hardware.stringList('sensors', { maxItems: 32 });
  return {
    type: hardware.requiredString('type', { maxLength: 64 }),
    architecture: hardware.string('architecture', { maxLength: 32 }),
    cpu_cores: hardware.integer('cpu_cores', { min: 1, max: 4096 }),
    ram_mb: hardware.integer('ram_mb', { min: 1 }),
    gpu: hardware.string('gpu', { maxLength: 200 }),
    disk_total_mb: hardware.integer('disk_total_mb', { min: 1 }),
    has_gpu: hardware.boolean('has_gpu') ?? false,
    ...(storage === null ? {} : { storage_type: storage }),
    ...(cameras === null || cameras.length === 0
      ? {}
      : { cameras: cameras.sort(compare) }),
    ...(sensors === null || sensors.length === 0
      ? {}
      : { sensors: sensors.sort(compare) }),
  };
}

function readStatus(status: FieldReader | null): DeviceDocument['status'] {
  const state = status?.choice('state', DEVICE_STATES) ?? 'provisioning';
  const offlineSince = status?.timestamp('offline_since') ?? null;
  const interval =
    status?.integer('heartbeat_interval_seconds', { min: 1, max: 86_400 }) ??
    null;
  const lastHeartbeat = status?.timestamp('last_heartbeat') ?? null;
  if (offlineSince !== null && state !== 'offline') {
    throw status!.fail(
      'offline_since',
      `is only for an offline device; state is "${state}"`,
    );
  }
  return {
    state,
    last_heartbeat: lastHeartbeat,
    uptime_seconds:
      status?.integer('uptime_seconds', { max: Number.MAX_SAFE_INTEGER }) ??
      null,
    connectivity:
      status?.choice('connectivity', CONNECTIVITY) ??
      (state === 'offline' || state === 'provisioning' ? 'offline' : 'online'),
    ...(offlineSince === null ? {} : { offline_since: offlineSince }),
    ...(interval === null || interval === DEFAULT_HEARTBEAT_INTERVAL_SECONDS
      ? {}
      : { heartbeat_interval_seconds: interval }),
  };
}

function readMetadata(
  metadata: FieldReader | null,
): DeviceDocument['metadata'] {
  const decommissioned = metadata?.timestamp('decommissioned') ?? null;
  return {
    registered: metadata?.timestamp('registered') ?? null,
    last_updated: metadata?.timestamp('last_updated') ?? null,
    notes:
      metadata?.string('notes', { maxLength: 4000, isMultiline: true }) ?? null,
    physical_location:
      metadata?.string('physical_location', { maxLength: 500 }) ?? null,
    ...(decommissioned === null ? {} : { decommissioned }),
  };
}
