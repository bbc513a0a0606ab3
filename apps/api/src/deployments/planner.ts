import {
  deploymentEligibility,
  offlineWarning,
  type DeviceState,
} from '@rollcall/fleet';
import type pg from 'pg';
import type { GroupMemberSource } from './groupMembers.ts';
import type { DeploymentManifest } from './manifest.ts';
import {
  canaryPicks,
  classify,
  membersOf,
  resolveTargeting,
  universeOf,
  waveDeviceIds,
  type FleetDevice,
  type Targeting,
} from './targeting.ts';

export interface PlannedDevice {
  deviceId: string;
  hardwareType: string;
  state: DeviceState;
  /** DEGRADED: eligible, deployed with caution. */
  caution: boolean;
  waveIndex: number;
}

export interface ExcludedDevice {
  deviceId: string;
  state: DeviceState | null;
  reason: string;
  lastHeartbeatAt: Date | null;
}

export interface PlannedWave {
  index: number;
  name: string;
  isCanary: boolean;
  groups: string[];
  excludeGroups: string[];
  percentage: number;
  soakMinutes: number;
  requireApproval: boolean;
  /** Devices that would get the version now. */
  devices: string[];
  /** Devices that would be skipped as offline and queued for catch-up. */
  offline: string[];
}

/** What a deployment would do if it ran now. */
export interface DeploymentPlan {
  manifest: DeploymentManifest;
  targetCount: number;
  eligible: PlannedDevice[];
  excluded: ExcludedDevice[];
  offlineCount: number;
  offlineWarning: string | null;
  canary: string[];
  canaryPassedOver: Array<{ deviceId: string; reason: string }>;
  waves: PlannedWave[];
}

function waveShape(
  index: number,
  name: string,
  isCanary: boolean,
  spec: Omit<
    PlannedWave,
    'index' | 'name' | 'isCanary' | 'devices' | 'offline'
  >,
): PlannedWave {
  return { index, name, isCanary, ...spec, devices: [], offline: [] };
}

/** Waves as stored: the canary (when there is one) first, then the waves. */
export function waveLayout(manifest: DeploymentManifest): PlannedWave[] {
  const waves: PlannedWave[] = [];
  const { canary } = manifest;
  if (canary) {
    waves.push(
      waveShape(0, 'canary', true, {
        groups: [canary.sourceGroup],
        excludeGroups: [],
        percentage: 100,
        soakMinutes: canary.soakMinutes,
        requireApproval: false,
      }),
    );
  }
  for (const wave of manifest.waves) {
    waves.push(waveShape(waves.length, wave.name, false, wave));
  }
  return waves;
}

function exclusionReason(
  targeting: Targeting,
  manifest: DeploymentManifest,
  deviceId: string,
): string {
  const excludedBy = (names: readonly string[]) =>
    names.find((name) => targeting.groups.get(name)?.has(deviceId));
  const targetExclusion = excludedBy(manifest.target.excludeGroups);
  if (targetExclusion) return `excluded group "${targetExclusion}"`;

  for (const wave of manifest.waves) {
    const waveExclusion = excludedBy(wave.excludeGroups);
    if (waveExclusion && excludedBy(wave.groups)) {
      return `excluded group "${waveExclusion}" (wave "${wave.name}")`;
    }
  }
  const wave = manifest.waves.find((spec) => excludedBy(spec.groups));
  if (wave) return `not in the ${wave.percentage}% of wave "${wave.name}"`;

  return 'in no wave';
}

/**
 * Plans a deployment over memberships resolved now: which devices each
 * wave would deploy to or skip as offline, every excluded device with its
 * reason, the canary picks and the spec's offline warning (above 20 % of
 * the target). Execution resolves memberships again at each wave start.
 */
export async function planDeployment(
  pool: pg.Pool,
  source: GroupMemberSource,
  manifest: DeploymentManifest,
): Promise<DeploymentPlan> {
  const targeting = await resolveTargeting(pool, source, manifest);
  const waves = waveLayout(manifest);
  const assigned = new Set<string>();
  const eligible: PlannedDevice[] = [];
  const excluded = new Map<string, ExcludedDevice>();
  const exclude = (deviceId: string, reason: string) => {
    const device = targeting.devices.get(deviceId);
    excluded.set(deviceId, {
      deviceId,
      state: device?.state ?? null,
      reason,
      lastHeartbeatAt: device?.lastHeartbeatAt ?? null,
    });
  };
  const considered = new Set<string>();
  const take = (wave: PlannedWave, ids: readonly string[]) => {
    for (const id of ids) {
      considered.add(id);
      const outcome = classify(targeting, id);
      if (outcome.kind === 'excluded') {
        exclude(id, outcome.reason);
        continue;
      }
      assigned.add(id);
      excluded.delete(id);
      if (outcome.kind === 'offline') {
        wave.offline.push(id);
        exclude(id, deploymentEligibility('offline').reason ?? 'offline');
        continue;
      }
      wave.devices.push(id);
      eligible.push(planned(outcome.device, wave.index));
    }
  };

  const canary = canaryPicks(targeting, manifest);
  const canaryWave = waves.find((wave) => wave.isCanary);
  if (canaryWave)
    take(
      canaryWave,
      canary.picks.map((device) => device.id),
    );
  for (const wave of waves.filter((each) => !each.isCanary)) {
    const spec = manifest.waves[wave.index - (canaryWave ? 1 : 0)];
    if (spec) take(wave, waveDeviceIds(targeting, manifest, spec, assigned));
  }

  for (const id of universeOf(targeting, manifest)) {
    if (!assigned.has(id) && !excluded.has(id)) {
      exclude(id, exclusionReason(targeting, manifest, id));
    }
  }
  for (const id of membersOf(targeting, {
    groups: manifest.target.groups,
    excludeGroups: [],
  })) {
    if (!assigned.has(id) && !excluded.has(id)) {
      exclude(id, exclusionReason(targeting, manifest, id));
    }
  }

  const targetCount = [...considered].filter((id) => {
    const state = targeting.devices.get(id)?.state;
    return state !== undefined && state !== 'decommissioned';
  }).length;
  const offlineCount = waves.reduce(
    (sum, wave) => sum + wave.offline.length,
    0,
  );
  return {
    manifest,
    targetCount,
    eligible: eligible.sort((a, b) => a.deviceId.localeCompare(b.deviceId)),
    excluded: [...excluded.values()].sort((a, b) =>
      a.deviceId.localeCompare(b.deviceId),
    ),
    offlineCount,
    offlineWarning: offlineWarning(offlineCount, targetCount).message,
    canary: canary.picks.map((device) => device.id),
    canaryPassedOver: canary.passedOver,
    waves,
  };
}

function planned(device: FleetDevice, waveIndex: number): PlannedDevice {
  return {
    deviceId: device.id,
    hardwareType: device.type,
    state: device.state,
    caution: deploymentEligibility(device.state).caution,
    waveIndex,
  };
}
