import type { CanarySelection } from '@rollcall/fleet';
import {
  camelKeys,
  DEFAULT_WAVE_TIMEOUT_MINUTES,
  type DeploymentManifest,
} from './manifest.ts';

/** The spec's manifest `target` block. */
export interface SpecTarget {
  groups: string[];
  exclude_groups: string[];
}

/** The spec's manifest `canary` block; `soak_minutes` only when not 0. */
export interface SpecCanary {
  source_group: string;
  count: number;
  selection: string;
  soak_minutes?: number;
}

/**
 * One wave of the spec's manifest; `timeout_minutes` (Rollcall's) only when
 * it is not the default, 60.
 */
export interface SpecWave {
  name: string;
  groups: string[];
  exclude_groups: string[];
  percentage: number;
  soak_minutes: number;
  require_approval: boolean;
  timeout_minutes?: number;
}

/** The spec's manifest in its own YAML shape, as `parseManifestYaml` reads. */
export interface SpecManifest {
  artifact: string;
  target_version: string;
  target: SpecTarget;
  canary?: SpecCanary;
  waves: SpecWave[];
}

/** The canary selection when a manifest names none. */
export const DEFAULT_CANARY_SELECTION: CanarySelection = 'one-per-device-type';

type Loose = Record<string, unknown>;

const list = (value: unknown): string[] =>
  Array.isArray(value) ? (value as string[]) : [];

const numberOr = (value: unknown, fallback: number): number =>
  typeof value === 'number' ? value : fallback;

function specCanary(canary: Loose): SpecCanary {
  const soak = numberOr(canary.soakMinutes, 0);
  return {
    source_group: canary.sourceGroup as string,
    count: numberOr(canary.count, 1),
    selection:
      typeof canary.selection === 'string'
        ? canary.selection
        : DEFAULT_CANARY_SELECTION,
    ...(soak === 0 ? {} : { soak_minutes: soak }),
  };
}

function specWave(wave: Loose): SpecWave {
  const timeout = numberOr(wave.timeoutMinutes, DEFAULT_WAVE_TIMEOUT_MINUTES);
  return {
    name: wave.name as string,
    groups: list(wave.groups),
    exclude_groups: list(wave.excludeGroups),
    percentage: numberOr(wave.percentage, 100),
    soak_minutes: numberOr(wave.soakMinutes, 0),
    require_approval: wave.requireApproval === true,
    ...(timeout === DEFAULT_WAVE_TIMEOUT_MINUTES
      ? {}
      : { timeout_minutes: timeout }),
  };
}

/**
 * A stored manifest (the `deployments.manifest` column) in the spec's
 * snake_case shape, the one mapping export uses. Reads both shapes ever
 * stored: the API's `DeploymentManifest` (camelCase) and the spec's
 * (written by imports before both writers stored the same), since
 * `camelKeys` leaves camelCase keys as they are.
 */
export function toSpecManifest(stored: unknown): SpecManifest {
  const manifest = (camelKeys(stored ?? {}) ?? {}) as Loose;
  const target = (manifest.target ?? {}) as Loose;
  const canary = manifest.canary as Loose | null | undefined;
  return {
    artifact: manifest.artifact as string,
    target_version: manifest.targetVersion as string,
    target: {
      groups: list(target.groups),
      exclude_groups: list(target.excludeGroups),
    },
    ...(canary ? { canary: specCanary(canary) } : {}),
    waves: (Array.isArray(manifest.waves) ? manifest.waves : []).map((wave) =>
      specWave(wave as Loose),
    ),
  };
}

/**
 * The spec's manifest as the API stores and runs it (`DeploymentManifest`),
 * so that an imported deployment is stored in the same shape as one
 * created with `createDeployment`. Defaults as `validateManifest`.
 */
export function fromSpecManifest(spec: SpecManifest): DeploymentManifest {
  return {
    artifact: spec.artifact,
    targetVersion: spec.target_version,
    target: {
      groups: spec.target.groups,
      excludeGroups: spec.target.exclude_groups,
    },
    canary: spec.canary
      ? {
          sourceGroup: spec.canary.source_group,
          count: spec.canary.count,
          selection: spec.canary.selection as CanarySelection,
          soakMinutes: spec.canary.soak_minutes ?? 0,
        }
      : null,
    waves: spec.waves.map((wave) => ({
      name: wave.name,
      groups: wave.groups,
      excludeGroups: wave.exclude_groups,
      percentage: wave.percentage,
      soakMinutes: wave.soak_minutes,
      requireApproval: wave.require_approval,
      timeoutMinutes: wave.timeout_minutes ?? DEFAULT_WAVE_TIMEOUT_MINUTES,
    })),
  };
}
