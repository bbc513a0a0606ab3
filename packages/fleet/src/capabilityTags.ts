/**
 * Capability tags derived from a device record's hardware block, and the
 * tag taxonomy (spec: "Capability Tagging", `tag_categories`).
 */

/** The spec's tag categories. */
export const TAG_CATEGORIES = [
  'hardware',
  'environment',
  'location',
  'role',
  'fleet',
] as const;

export type TagCategory = (typeof TAG_CATEGORIES)[number];

/** A known tag: its category and what it means. */
export interface TagDefinition {
  category: TagCategory;
  description: string;
}

/**
 * The tag taxonomy used to seed `tag_definitions`: every tag of the spec's
 * `tag_categories`, plus the tags Rollcall itself derives or sets (more GPU
 * kinds, `memory-16gb`, `storage-hdd`, `camera-ip`, `offline-extended`,
 * `decommissioned`).
 */
export const TAG_TAXONOMY: Readonly<Record<string, TagDefinition>> = {
  'gpu-capable': hardware('Device has a GPU'),
  'gpu-jetson-orin': hardware('NVIDIA Jetson Orin GPU'),
  'gpu-jetson-xavier': hardware('NVIDIA Jetson Xavier GPU'),
  'gpu-jetson': hardware('Other NVIDIA Jetson GPU'),
  'gpu-nvidia': hardware('Discrete NVIDIA GPU'),
  'gpu-amd': hardware('AMD GPU'),
  'gpu-intel': hardware('Intel GPU'),
  'gpu-none': hardware('CPU-only device'),
  'camera-usb': hardware('Has USB camera attached'),
  'camera-csi': hardware('Has CSI camera attached'),
  'camera-ip': hardware('Has network (IP) camera attached'),
  'camera-none': hardware('No camera'),
  'sensor-imu': hardware('Has IMU sensor'),
  'sensor-lidar': hardware('Has LiDAR sensor'),
  'memory-16gb': hardware('RAM tier: 16 GB or more'),
  'memory-8gb': hardware('RAM tier: 8 GB'),
  'memory-4gb': hardware('RAM tier: 4 GB'),
  'memory-2gb': hardware('RAM tier: 2 GB or less'),
  'storage-ssd': hardware('Storage type: SSD'),
  'storage-sdcard': hardware('Storage type: SD card'),
  'storage-emmc': hardware('Storage type: eMMC'),
  'storage-hdd': hardware('Storage type: hard disk'),
  production: tag('environment', 'Production device'),
  staging: tag('environment', 'Staging / pre-production'),
  development: tag('environment', 'Development / testing'),
  canary: tag('environment', 'Designated canary device'),
  'region-us-east': tag('location', 'Region US East'),
  'region-us-west': tag('location', 'Region US West'),
  'region-eu-west': tag('location', 'Region EU West'),
  'site-factory-a': tag('location', 'Site: factory A'),
  'site-factory-b': tag('location', 'Site: factory B'),
  'site-warehouse-1': tag('location', 'Site: warehouse 1'),
  'inference-server': tag('role', 'Runs inference workloads'),
  'data-collector': tag('role', 'Collects and forwards sensor data'),
  gateway: tag('role', 'Edge gateway / aggregator'),
  controller: tag('role', 'Controls actuators / robotics'),
  monitor: tag('role', 'Monitoring and alerting'),
  'priority-high': tag('fleet', 'Critical device, deploy carefully'),
  'priority-normal': tag('fleet', 'Standard deployment priority'),
  'priority-low': tag('fleet', 'Low priority, deploy last'),
  'canary-eligible': tag('fleet', 'Can be selected as canary'),
  'single-point-failure': tag('fleet', 'Cannot be selected as canary'),
  'offline-extended': tag('fleet', 'Offline over 30 days; decommission review'),
  decommissioned: tag('fleet', 'Permanently removed from the fleet'),
};

function tag(category: TagCategory, description: string): TagDefinition {
  return { category, description };
}

function hardware(description: string): TagDefinition {
  return tag('hardware', description);
}

/** The category of a known tag, or null for a tag outside the taxonomy. */
export function tagCategory(name: string): TagCategory | null {
  return Object.hasOwn(TAG_TAXONOMY, name)
    ? (TAG_TAXONOMY[name]?.category ?? null)
    : null;
}

/** The hardware block of a device record, as stored (camelCase columns). */
export interface HardwareInfo {
  /** Device type identifier, such as `jetson-orin-nano`. */
  type: string;
  /** GPU description, such as `NVIDIA Orin (1024 CUDA cores)`. */
  gpu?: string | null;
  hasGpu?: boolean | null;
  ramMb?: number | null;
  /** `ssd`, `nvme`, `sdcard`, `emmc`, `hdd`... */
  storageType?: string | null;
  /** Attached cameras, such as `usb`, `csi:imx219`; null when unknown. */
  cameras?: readonly string[] | null;
  /** Attached sensors, such as `imu`, `lidar`; null when unknown. */
  sensors?: readonly string[] | null;
}

function hasGpu(hardware: HardwareInfo): boolean {
  if (typeof hardware.hasGpu === 'boolean') return hardware.hasGpu;

  const gpu = hardware.gpu?.trim() ?? '';
  if (gpu !== '' && !/^none$/i.test(gpu)) return true;

  return /\bjetson\b/i.test(hardware.type);
}

const GPU_KINDS: readonly [RegExp, string][] = [
  [/\borin\b/, 'gpu-jetson-orin'],
  [/\bxavier\b/, 'gpu-jetson-xavier'],
  [/\b(jetson|tegra)\b/, 'gpu-jetson'],
  [/\b(nvidia|geforce|rtx|quadro|tesla|cuda)\b/, 'gpu-nvidia'],
  [/\b(amd|radeon)\b/, 'gpu-amd'],
  [/\b(intel|iris|arc)\b/, 'gpu-intel'],
];

function gpuKind(hardware: HardwareInfo): string | null {
  const text = `${hardware.type} ${hardware.gpu ?? ''}`.toLowerCase();
  const match = GPU_KINDS.find(([pattern]) => pattern.test(text));
  return match ? match[1] : null;
}

/**
 * RAM tiers with 10 % tolerance, because devices report less than their
 * nominal RAM (an 8 GB Jetson reports about 7600 MB): at least 90 % of
 * 16 GB is `memory-16gb` (the top bucket), of 8 GB `memory-8gb`, of 4 GB
 * `memory-4gb`, anything less `memory-2gb` (the bottom bucket).
 */
function memoryTier(ramMb: number | null | undefined): string | null {
  if (typeof ramMb !== 'number' || !Number.isFinite(ramMb) || ramMb <= 0) {
    return null;
  }

  for (const gb of [16, 8, 4]) {
    if (ramMb >= gb * 1024 * 0.9) return `memory-${gb}gb`;
  }
  return 'memory-2gb';
}

const STORAGE_KINDS: Readonly<Record<string, string>> = {
  ssd: 'storage-ssd',
  nvme: 'storage-ssd',
  nvmessd: 'storage-ssd',
  sata: 'storage-ssd',
  satassd: 'storage-ssd',
  sdcard: 'storage-sdcard',
  sd: 'storage-sdcard',
  microsd: 'storage-sdcard',
  microsdcard: 'storage-sdcard',
  emmc: 'storage-emmc',
  hdd: 'storage-hdd',
};

function storageTag(storageType: string | null | undefined): string | null {
  const key = (storageType ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  return Object.hasOwn(STORAGE_KINDS, key)
    ? (STORAGE_KINDS[key] ?? null)
    : null;
}

const CAMERA_KINDS: readonly [RegExp, string][] = [
  [/\b(usb|uvc)\b/, 'camera-usb'],
  [/\b(csi|mipi)\b/, 'camera-csi'],
  [/\b(ip|rtsp|onvif)\b/, 'camera-ip'],
];

const SENSOR_KINDS: readonly [RegExp, string][] = [
  [/\b(imu|accelerometer|gyroscope|gyro)\b/, 'sensor-imu'],
  [/\blidar\b/, 'sensor-lidar'],
];

function kindTags(
  entries: readonly string[],
  kinds: readonly [RegExp, string][],
): string[] {
  return kinds
    .filter(([pattern]) =>
      entries.some((entry) => pattern.test(entry.toLowerCase())),
    )
    .map(([, name]) => name);
}

function cameraTags(cameras: readonly string[] | null | undefined): string[] {
  if (!cameras) return [];

  if (cameras.length === 0) return ['camera-none'];

  return kindTags(cameras, CAMERA_KINDS);
}

/**
 * The hardware capability tags of a device, in this order: GPU
 * (`gpu-capable` or `gpu-none`), GPU kind (when capable and recognised,
 * such as `gpu-jetson-orin`), RAM tier, storage kind, cameras (an empty
 * list is `camera-none`; an unknown list adds nothing) and sensors.
 * `hasGpu` decides when present; otherwise a GPU description or a Jetson
 * type means a GPU. Unrecognised values add no tag.
 */
export function capabilityTags(hardware: HardwareInfo): string[] {
  const capable = hasGpu(hardware);
  const kind = capable ? gpuKind(hardware) : null;
  const tags = [
    capable ? 'gpu-capable' : 'gpu-none',
    kind,
    memoryTier(hardware.ramMb),
    storageTag(hardware.storageType),
    ...cameraTags(hardware.cameras),
    ...kindTags(hardware.sensors ?? [], SENSOR_KINDS),
  ];
  return tags.filter((name): name is string => name !== null);
}
