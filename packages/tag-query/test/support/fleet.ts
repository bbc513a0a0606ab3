/**
 * The fixture fleet of the tag query tests: devices as `evaluate` sees
 * them, groups as the resolver returns them, and the instant `NOW`. The
 * API's SQL differential test inserts the same fleet into PostgreSQL.
 */

import type { DeviceState, OfflineTier } from '@rollcall/fleet';
import type {
  DeviceFieldPath,
  DeviceTag,
  FieldValue,
  GroupDefinition,
  GroupResolver,
  QueryableDevice,
} from '../../src/index.ts';
import { parse } from '../../src/index.ts';

/** The instant every fixture query runs at. */
export const NOW = new Date('2025-01-16T11:00:00.000Z');

/** `NOW` minus `minutes`. */
export function minutesAgo(minutes: number): Date {
  return new Date(NOW.getTime() - minutes * 60_000);
}

/** `'gpu-capable'` as a plain tag, `'region=factory-a'` as key/value. */
export function tag(text: string): DeviceTag {
  const [key = '', value = ''] = text.split('=');
  return { key, value };
}

interface DeviceSpec {
  state: DeviceState;
  tags?: string[];
  groups?: string[];
  offline?: { since: Date; tier: OfflineTier | null };
  fields?: Partial<Record<DeviceFieldPath, FieldValue>>;
}

/** Values of the NOT NULL columns, so the SQL fixture can insert it. */
const REQUIRED_FIELDS: Partial<Record<DeviceFieldPath, FieldValue>> = {
  'hardware.has_gpu': false,
  'deployment.rollback_available': false,
  'status.connectivity': 'online',
  'metadata.registered': new Date('2024-06-01T09:00:00.000Z'),
  'metadata.last_updated': new Date('2025-01-16T10:45:00.000Z'),
  heartbeat_interval_seconds: 60,
};

/** A fixture device with defaults for every NOT NULL column. */
export function makeDevice(id: string, spec: DeviceSpec): QueryableDevice {
  return {
    id,
    state: spec.state,
    offlineTier: spec.offline?.tier ?? null,
    offlineSince: spec.offline?.since ?? null,
    tags: (spec.tags ?? []).map(tag),
    staticGroups: spec.groups ?? [],
    fields: {
      hostname: `${id}.local`,
      'hardware.type': 'jetson-orin-nano',
      ...REQUIRED_FIELDS,
      ...spec.fields,
    },
  };
}

/** The fixture fleet; two devices have no tags at all. */
export const FLEET: readonly QueryableDevice[] = [
  makeDevice('jetson-1', {
    state: 'healthy',
    tags: [
      'production',
      'gpu-capable',
      'gpu-jetson-orin',
      'site-factory-a',
      'canary-eligible',
      'environment=production',
      'region=factory-a',
    ],
    groups: ['critical-devices'],
    fields: {
      'hardware.ram_mb': 8192,
      'hardware.has_gpu': true,
      'deployment.current_version': '2.3.0',
      'status.last_heartbeat': minutesAgo(1),
      'status.uptime_seconds': 72000,
    },
  }),
  makeDevice('jetson-2', {
    state: 'degraded',
    tags: [
      'production',
      'gpu-capable',
      'gpu-jetson-orin',
      'site-factory-a',
      'single-point-failure',
    ],
    groups: ['critical-devices'],
    fields: {
      'hardware.ram_mb': 8192,
      'hardware.has_gpu': true,
      'deployment.current_version': '2.10.0',
      'status.last_heartbeat': minutesAgo(10),
    },
  }),
  makeDevice('jetson-3', {
    state: 'maintenance',
    tags: ['production', 'gpu-jetson-orin', 'site-factory-a', 'maintenance'],
    fields: {
      'hardware.ram_mb': 4096,
      'deployment.current_version': '2.9.1',
      'status.last_heartbeat': minutesAgo(120),
    },
  }),
  makeDevice('jetson-4', {
    state: 'offline',
    offline: { since: minutesAgo(180), tier: 'monitor' },
    tags: [
      'production',
      'gpu-jetson-orin',
      'site-factory-b',
      'region=factory-b',
    ],
    fields: {
      'hardware.ram_mb': 8192,
      'deployment.current_version': '2.2.1',
      'status.last_heartbeat': minutesAgo(183),
    },
  }),
  makeDevice('rpi-1', {
    state: 'healthy',
    tags: [
      'production',
      'site-factory-b',
      'canary-eligible',
      'gpu-none',
      'memory-4gb',
    ],
    fields: {
      'hardware.type': 'raspberry-pi-4',
      'hardware.ram_mb': 4096,
      'deployment.current_version': '2.3.0-rc.1',
      'status.last_heartbeat': minutesAgo(2),
    },
  }),
  makeDevice('rpi-2', {
    state: 'healthy',
    tags: ['staging', 'site-warehouse-1', 'android', 'not', 'café'],
    fields: {
      hostname: 'rpi 2 "lab"',
      'hardware.type': 'raspberry-pi-4',
      'hardware.ram_mb': 2048,
      'deployment.current_version': 'v2.3.0',
      'status.last_heartbeat': minutesAgo(14),
    },
  }),
  makeDevice('gateway-1', {
    state: 'failed',
    tags: ['production', 'gateway', 'priority=high', 'gpu_x'],
    groups: ['critical-devices'],
    fields: {
      'hardware.type': 'x86-gateway',
      'deployment.current_version': 'banana',
      'status.last_heartbeat': minutesAgo(16),
    },
  }),
  makeDevice('odd-1', {
    state: 'offline',
    offline: { since: minutesAgo(20), tier: 'alert' },
    tags: ['gpuxtest', 'region', 'decommissioned'],
    fields: { 'status.last_heartbeat': minutesAgo(23) },
  }),
  makeDevice('bare-1', { state: 'provisioning' }),
  makeDevice('bare-2', {
    state: 'decommissioned',
    offline: { since: minutesAgo(60 * 24 * 40), tier: null },
  }),
];

/** Every fixture device id, sorted. */
export const ALL_IDS: readonly string[] = FLEET.map((d) => d.id).sort();

/** The fixture groups: name to query text, or 'static'. */
export const GROUPS: Readonly<Record<string, string>> = {
  'production-fleet': 'tag:production AND NOT tag:decommissioned',
  'factory-a-gpu': 'tag:production AND tag:gpu-capable AND tag:site-factory-a',
  'canary-pool': 'tag:canary-eligible AND tag:production AND status:healthy',
  'critical-devices': 'static',
  'jetson-orin-fleet': 'tag:gpu-jetson-orin',
  nested: 'group:canary-pool OR group:critical-devices',
  'loop-a': 'group:loop-b',
  'loop-b': 'group:loop-a',
  self: 'tag:production AND group:self',
  broken: 'hardware.ram >= 1',
};

/** A resolver over `groups` (default `GROUPS`), parsing dynamic queries. */
export function groupResolver(
  groups: Readonly<Record<string, string>> = GROUPS,
): GroupResolver {
  const cache = new Map<string, GroupDefinition>();
  return (name) => {
    const query = Object.hasOwn(groups, name) ? groups[name] : undefined;
    if (query === undefined) return undefined;

    let group = cache.get(name);
    if (group === undefined) {
      group =
        query === 'static'
          ? { membership: 'static' }
          : { membership: 'dynamic', query: parse(query) };
      cache.set(name, group);
    }
    return group;
  };
}
