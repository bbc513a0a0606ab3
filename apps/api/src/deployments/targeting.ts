import {
  canaryExclusionReason,
  deploymentEligibility,
  pickWavePercentage,
  selectCanaries,
  type DeviceState,
} from '@rollcall/fleet';
import type pg from 'pg';
import type { GroupMemberSource } from './groupMembers.ts';
import { requireKnownGroups, resolveManifestGroup } from './groupMembers.ts';
import {
  manifestGroups,
  type DeploymentManifest,
  type WaveSpec,
} from './manifest.ts';

/** What targeting needs to know of a device. */
export interface FleetDevice {
  id: string;
  type: string;
  state: DeviceState;
  lastHeartbeatAt: Date | null;
  /** The version the device reports, else the registry's. */
  runningVersion: string | null;
  tags: string[];
  /** From a `priority` tag (`priority: high` or `priority-high`). */
  priority: string;
}

/** Group memberships and the devices they name, resolved at one moment. */
export interface Targeting {
  groups: Map<string, Set<string>>;
  devices: Map<string, FleetDevice>;
}

/** How one device fares in a wave. */
export type Classification =
  | { kind: 'eligible'; device: FleetDevice }
  | { kind: 'offline'; device: FleetDevice }
  | { kind: 'excluded'; deviceId: string; reason: string };

interface DeviceRow {
  id: string;
  hardware_type: string;
  state: DeviceState | null;
  last_heartbeat_at: Date | null;
  app_version: string | null;
  current_version: string | null;
  tags: string[];
  priority: string | null;
}

/**
 * Loads the targeting facts of `ids` (unknown ids are left out). A
 * device's tags are its tag names as the query language sees them: every
 * key and every non-empty value, so `fleet=single-point-failure` keeps a
 * device out of canaries as a plain `single-point-failure` does.
 */
export async function loadFleetDevices(
  pool: Pick<pg.Pool, 'query'>,
  ids: readonly string[],
): Promise<Map<string, FleetDevice>> {
  const { rows } = await pool.query<DeviceRow>(
    `SELECT d.id, d.hardware_type, s.state, s.last_heartbeat_at,
            s.app_version, d.current_version,
            coalesce(array_agg(t.key) FILTER (WHERE t.key IS NOT NULL), '{}')
              || coalesce(array_agg(t.value) FILTER (WHERE t.value <> ''), '{}')
              AS tags,
            max(t.value) FILTER (WHERE t.key = 'priority' AND t.value <> '')
              AS priority
     FROM devices d
     LEFT JOIN device_status s ON s.device_id = d.id
     LEFT JOIN device_tags t ON t.device_id = d.id
     WHERE d.id = ANY($1::text[])
     GROUP BY d.id, s.device_id`,
    [ids],
  );
  return new Map(
    rows.map((row) => {
      const plain = row.tags.find((tag) => tag.startsWith('priority-'));
      const device: FleetDevice = {
        id: row.id,
        type: row.hardware_type,
        state: row.state ?? 'provisioning',
        lastHeartbeatAt: row.last_heartbeat_at,
        runningVersion: row.app_version ?? row.current_version,
        tags: [...new Set(row.tags)].sort(),
        priority: row.priority ?? plain?.slice('priority-'.length) ?? 'normal',
      };
      return [row.id, device];
    }),
  );
}

/**
 * Resolves every group the manifest names, now, and loads their devices.
 * Throws INVALID_MANIFEST naming the first unknown group.
 */
export async function resolveTargeting(
  pool: pg.Pool,
  source: GroupMemberSource,
  manifest: DeploymentManifest,
): Promise<Targeting> {
  const names = manifestGroups(manifest);
  await requireKnownGroups(pool, names);

  const groups = new Map<string, Set<string>>();
  for (const name of names) {
    groups.set(name, new Set(await resolveManifestGroup(source, name)));
  }
  const ids = [...new Set([...groups.values()].flatMap((set) => [...set]))];
  return { groups, devices: await loadFleetDevices(pool, ids) };
}

function union(targeting: Targeting, names: readonly string[]): Set<string> {
  const result = new Set<string>();
  for (const name of names) {
    for (const id of targeting.groups.get(name) ?? []) result.add(id);
  }
  return result;
}

/** Members of `groups` minus members of `excludeGroups`, sorted. */
export function membersOf(
  targeting: Targeting,
  spec: { groups: readonly string[]; excludeGroups: readonly string[] },
): string[] {
  const excluded = union(targeting, spec.excludeGroups);
  return [...union(targeting, spec.groups)]
    .filter((id) => !excluded.has(id))
    .sort();
}

/** Every device the deployment may reach: the target and every wave. */
export function universeOf(
  targeting: Targeting,
  manifest: DeploymentManifest,
): Set<string> {
  return new Set([
    ...membersOf(targeting, manifest.target),
    ...manifest.waves.flatMap((wave) => membersOf(targeting, wave)),
  ]);
}

/**
 * The wave's share of its groups (see `pickWavePercentage`, seeded by the
 * artifact so that waves over the same groups add up), minus devices that
 * already have a part in the deployment.
 */
export function waveDeviceIds(
  targeting: Targeting,
  manifest: DeploymentManifest,
  wave: WaveSpec,
  assigned: ReadonlySet<string>,
): string[] {
  const members = membersOf(targeting, wave);
  return pickWavePercentage(members, wave.percentage, manifest.artifact).filter(
    (id) => !assigned.has(id),
  );
}

/**
 * The canary picks among the source group's members that the deployment
 * reaches (a canary tests the very fleet being deployed), and why each
 * other member was passed over.
 */
export function canaryPicks(
  targeting: Targeting,
  manifest: DeploymentManifest,
): {
  picks: FleetDevice[];
  passedOver: Array<{ deviceId: string; reason: string }>;
} {
  const canary = manifest.canary;
  if (!canary) return { picks: [], passedOver: [] };

  const universe = universeOf(targeting, manifest);
  const pool = [...(targeting.groups.get(canary.sourceGroup) ?? [])]
    .sort()
    .flatMap((id) => {
      const device = targeting.devices.get(id);
      return device && universe.has(id) ? [device] : [];
    });
  const picks = selectCanaries(pool, {
    count: canary.count,
    selection: canary.selection,
    seed: manifest.artifact,
  });
  const picked = new Set(picks.map((device) => device.id));
  const passedOver = pool
    .filter((device) => !picked.has(device.id))
    .map((device) => ({
      deviceId: device.id,
      reason: canaryExclusionReason(device) ?? 'canary count reached',
    }));
  return { picks, passedOver };
}

/** Eligible, offline (skipped and queued) or excluded with the reason. */
export function classify(
  targeting: Targeting,
  deviceId: string,
): Classification {
  const device = targeting.devices.get(deviceId);
  if (!device) {
    return { kind: 'excluded', deviceId, reason: 'not in the registry' };
  }
  if (device.state === 'offline') return { kind: 'offline', device };

  const eligibility = deploymentEligibility(device.state);
  if (!eligibility.eligible) {
    return { kind: 'excluded', deviceId, reason: eligibility.reason ?? '' };
  }

  return { kind: 'eligible', device };
}
