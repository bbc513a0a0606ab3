import {
  capabilityTags,
  deviceIdPrefix,
  formatDeviceId,
  type DeviceState,
} from '@rollcall/fleet';
import type { DeviceDocument } from '../../src/importExport/deviceDocument.ts';
import { formatTimestamp } from '../../src/importExport/fieldReader.ts';
import { Random } from '../../src/simulator/random.ts';

/** The demo fleet's "now": the newest heartbeat in its files. */
export const REFERENCE_TIME = Date.parse('2025-01-16T16:00:00Z');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface DeviceType {
  type: string;
  count: number;
  architecture: string;
  cpuCores: number;
  ramMb: number;
  gpu: string | null;
  diskTotalMb: number;
  storage: string;
  os: string;
  kernel: string;
  jetpack: string | null;
  cuda: string | null;
  intervalSeconds: number;
}

const TYPES: DeviceType[] = [
  {
    type: 'jetson-orin-nano',
    count: 120,
    architecture: 'aarch64',
    cpuCores: 6,
    ramMb: 8192,
    gpu: 'NVIDIA Orin (1024 CUDA cores)',
    diskTotalMb: 65_536,
    storage: 'nvme',
    os: 'Ubuntu 22.04',
    kernel: '5.15.136-tegra',
    jetpack: '6.0',
    cuda: '12.2',
    intervalSeconds: 60,
  },
  {
    type: 'raspberry-pi-4',
    count: 70,
    architecture: 'aarch64',
    cpuCores: 4,
    ramMb: 4096,
    gpu: null,
    diskTotalMb: 32_768,
    storage: 'sdcard',
    os: 'Raspberry Pi OS 12',
    kernel: '6.1.0-rpi7-rpi-v8',
    jetpack: null,
    cuda: null,
    intervalSeconds: 60,
  },
  {
    type: 'raspberry-pi-5',
    count: 70,
    architecture: 'aarch64',
    cpuCores: 4,
    ramMb: 8192,
    gpu: null,
    diskTotalMb: 65_536,
    storage: 'sdcard',
    os: 'Raspberry Pi OS 12',
    kernel: '6.6.31-rpi-2712',
    jetpack: null,
    cuda: null,
    intervalSeconds: 60,
  },
  {
    type: 'x86-gateway',
    count: 40,
    architecture: 'x86_64',
    cpuCores: 8,
    ramMb: 16_384,
    gpu: null,
    diskTotalMb: 262_144,
    storage: 'ssd',
    os: 'Debian 12',
    kernel: '6.1.0-18-amd64',
    jetpack: null,
    cuda: null,
    intervalSeconds: 30,
  },
];

const SITES = [
  {
    site: 'factory-a',
    region: 'region-us-east',
    lines: ['assembly-1', 'assembly-2', 'assembly-3', 'assembly-4'],
  },
  {
    site: 'factory-b',
    region: 'region-us-west',
    lines: ['assembly-1', 'assembly-2', 'packaging-1'],
  },
  {
    site: 'warehouse-1',
    region: 'region-eu-west',
    lines: ['dock-1', 'dock-2', 'picking-1'],
  },
] as const;

/** Business roles (the tags map) and the taxonomy role each one is. */
const ROLES: Record<string, Array<[string, string]>> = {
  'jetson-orin-nano': [
    ['quality-inspection', 'inference-server'],
    ['defect-detection', 'inference-server'],
    ['robot-guidance', 'controller'],
  ],
  'raspberry-pi-4': [
    ['sensor-collection', 'data-collector'],
    ['line-monitoring', 'monitor'],
  ],
  'raspberry-pi-5': [
    ['sensor-collection', 'data-collector'],
    ['line-monitoring', 'monitor'],
    ['conveyor-control', 'controller'],
  ],
  'x86-gateway': [['edge-aggregation', 'gateway']],
};

/** A device of the demo and the facts the history generator needs. */
export interface DemoDevice {
  document: DeviceDocument;
  site: string;
  environment: string;
}

function pickState(random: Random, environment: string): DeviceState {
  const roll = random.next();
  if (environment !== 'production')
    return roll < 0.1 ? 'provisioning' : 'healthy';
  if (roll < 0.06) return 'degraded';
  if (roll < 0.08) return 'failed';
  if (roll < 0.14) return 'offline';
  if (roll < 0.16) return 'maintenance';
  if (roll < 0.17) return 'decommissioned';
  return 'healthy';
}

function environmentOf(random: Random, sequenceInType: number): string {
  if (sequenceInType <= 3) return 'production';
  const roll = random.next();
  return roll < 0.86 ? 'production' : roll < 0.96 ? 'staging' : 'development';
}

const time = (ms: number) => formatTimestamp(new Date(ms));

function buildDevice(
  random: Random,
  kind: DeviceType,
  environment: string,
  sequence: number,
  index: number,
): DemoDevice {
  const id = formatDeviceId(kind.type, environment, sequence);
  const place =
    kind.type === 'x86-gateway' && sequence === 1
      ? SITES[0]
      : random.pick(SITES);
  const line = random.pick(place.lines);
  const [role, taxonomyRole] = random.pick(ROLES[kind.type]!);
  const priority =
    random.next() < 0.2 ? 'high' : random.next() < 0.8 ? 'normal' : 'low';
  // The first three of each type are the steady core (critical-devices).
  const state =
    sequence <= 3 && environment === 'production'
      ? 'healthy'
      : pickState(random, environment);
  const isOnline =
    state === 'healthy' || state === 'degraded' || state === 'failed';
  const lastHeartbeat =
    state === 'provisioning'
      ? null
      : isOnline
        ? REFERENCE_TIME - random.integer(0, 50) * 1000
        : state === 'offline'
          ? REFERENCE_TIME -
            random.pick([20 * MINUTE, 3 * HOUR, 26 * HOUR, 4 * DAY, 9 * DAY])
          : REFERENCE_TIME - random.integer(2, 30) * DAY;
  const cameras =
    kind.type === 'jetson-orin-nano'
      ? [random.next() < 0.7 ? 'csi:imx219' : 'usb:uvc']
      : kind.type.startsWith('raspberry') && random.next() < 0.3
        ? ['usb:uvc']
        : [];
  const sensors = [
    ...(random.next() < 0.25 ? ['imu'] : []),
    ...(kind.type === 'jetson-orin-nano' && random.next() < 0.1
      ? ['lidar']
      : []),
  ];
  const hardware: DeviceDocument['hardware'] = {
    type: kind.type,
    architecture: kind.architecture,
    cpu_cores: kind.cpuCores,
    ram_mb: kind.ramMb,
    gpu: kind.gpu,
    disk_total_mb: kind.diskTotalMb,
    has_gpu: kind.gpu !== null,
    storage_type: kind.storage,
    ...(cameras.length > 0 ? { cameras } : {}),
    ...(sensors.length > 0 ? { sensors } : {}),
  };
  const isCanaryEligible =
    environment === 'production' &&
    taxonomyRole !== 'gateway' &&
    random.next() < 0.2;
  const isSinglePoint = taxonomyRole === 'gateway' && sequence <= 6;
  const labels = [
    ...capabilityTags({
      type: hardware.type,
      gpu: hardware.gpu,
      hasGpu: hardware.has_gpu,
      ramMb: hardware.ram_mb,
      storageType: hardware.storage_type ?? null,
      cameras: hardware.cameras ?? null,
      sensors: hardware.sensors ?? null,
    }),
    environment,
    `site-${place.site}`,
    place.region,
    taxonomyRole,
    `priority-${priority}`,
    ...(isCanaryEligible ? ['canary-eligible'] : []),
    ...(isSinglePoint ? ['single-point-failure'] : []),
    ...(environment === 'staging' && sequence % 4 === 0 ? ['canary'] : []),
    ...(state === 'decommissioned' ? ['decommissioned'] : []),
  ];
  const registered = REFERENCE_TIME - random.integer(60, 400) * DAY;
  const mac = (0x044be6000000 + index * 7919).toString(16).padStart(12, '0');
  const short = id.replace(/^edge-/, '');
  const document: DeviceDocument = {
    id,
    hostname: `${short}.${place.site}.local`,
    serial_number: `${kind.type === 'jetson-orin-nano' ? '1425' : kind.type === 'x86-gateway' ? 'GW' : 'RPI'}${String(100000 + index * 37).padStart(9, '0')}`,
    mac_address: mac.match(/../g)!.join(':'),
    ip_address: `10.${SITES.indexOf(place) + 10}.${Math.floor(index / 250)}.${(index % 250) + 2}`,
    hardware,
    software: {
      os: kind.os,
      kernel: kind.kernel,
      jetpack_version: kind.jetpack,
      cuda_version: kind.cuda,
      container_runtime: 'docker',
      container_runtime_version: random.pick(['24.0.7', '24.0.9', '25.0.3']),
    },
    deployment: {
      current_version: state === 'provisioning' ? null : '2.3.0',
      previous_version: state === 'provisioning' ? null : '2.2.1',
      last_deployed: state === 'provisioning' ? null : '2025-01-15T14:30:00Z',
      deployment_slot:
        state === 'provisioning' ? null : random.pick(['blue', 'green']),
      rollback_available: state !== 'provisioning',
      rollback_version: state === 'provisioning' ? null : '2.2.1',
    },
    status: {
      state,
      last_heartbeat: lastHeartbeat === null ? null : time(lastHeartbeat),
      uptime_seconds: isOnline ? random.integer(600, 40 * 86_400) : null,
      connectivity: isOnline
        ? random.next() < 0.05
          ? 'intermittent'
          : 'online'
        : 'offline',
      ...(state === 'offline'
        ? {
            offline_since: time(
              lastHeartbeat! + 3 * kind.intervalSeconds * 1000,
            ),
          }
        : {}),
      ...(kind.intervalSeconds === 60
        ? {}
        : { heartbeat_interval_seconds: kind.intervalSeconds }),
    },
    tags: { environment, line, priority, region: place.site, role },
    labels: [...new Set(labels)].sort(),
    groups: [],
    metadata: {
      registered: time(registered),
      last_updated: time(Math.max(registered, lastHeartbeat ?? registered)),
      notes: `${role.replace(/-/g, ' ')} on ${line}`,
      physical_location: `${place.site}, ${line}, position ${random.integer(1, 24)}`,
      ...(state === 'decommissioned'
        ? { decommissioned: time(REFERENCE_TIME - 2 * DAY) }
        : {}),
    },
  };
  return { document, site: place.site, environment };
}

/** The spec's example record, edge-jetson-prod-042, as the spec shows it. */
function specExample(device: DemoDevice): void {
  const d = device.document;
  Object.assign(d, {
    hostname: 'jetson-042.factory-a.local',
    serial_number: '1425000012345',
    mac_address: '00:04:4b:e6:a3:12',
  });
  d.status = {
    state: 'healthy',
    last_heartbeat: '2025-01-16T15:59:30Z',
    uptime_seconds: 72_000,
    connectivity: 'online',
  };
  d.tags = {
    environment: 'production',
    line: 'assembly-3',
    priority: 'high',
    region: 'factory-a',
    role: 'quality-inspection',
  };
  d.labels = [
    ...new Set([
      ...d.labels.filter(
        (l) =>
          !/^(site-|region-|priority-|inference-server|data-collector|gateway|controller|monitor$)/.test(
            l,
          ),
      ),
      'site-factory-a',
      'region-us-east',
      'priority-high',
      'inference-server',
    ]),
  ].sort();
  d.metadata = {
    ...d.metadata,
    registered: '2024-06-01T09:00:00Z',
    last_updated: '2025-01-16T15:59:30Z',
    notes: 'Installed on assembly line 3, camera mount position B',
    physical_location: 'Building 4, Floor 2, Rack 7, Slot 3',
  };
  device.site = 'factory-a';
}

/** The demo's devices, the same for the same seed. */
export function generateDevices(seed: number): DemoDevice[] {
  const random = new Random(seed);
  const devices: DemoDevice[] = [];
  const sequences = new Map<string, number>();
  let index = 0;
  for (const kind of TYPES) {
    for (let n = 1; n <= kind.count; n += 1) {
      const environment = environmentOf(random, n);
      const key = deviceIdPrefix(kind.type, environment);
      const sequence = (sequences.get(key) ?? 0) + 1;
      sequences.set(key, sequence);
      const device = buildDevice(random, kind, environment, sequence, index++);
      if (device.document.id === 'edge-jetson-prod-042') specExample(device);
      devices.push(device);
    }
  }
  return devices.sort((a, b) => (a.document.id < b.document.id ? -1 : 1));
}
