import { isVersion, type CanarySelection } from '@rollcall/fleet';
import { parse as parseYaml } from 'yaml';
import { RollcallError } from '../errors.ts';
import { hasForbiddenCharacter } from '../server/inputLimits.ts';

/** One wave of a deployment (spec: "Deployment Targeting with Groups"). */
export interface WaveSpec {
  name: string;
  groups: string[];
  excludeGroups: string[];
  /** Cumulative share of the wave's groups, 1-100. */
  percentage: number;
  soakMinutes: number;
  /** The wave waits for `approveWave` before it starts. */
  requireApproval: boolean;
  /** Devices that have not reported by then are failed, in minutes. */
  timeoutMinutes: number;
}

export interface CanarySpec {
  sourceGroup: string;
  count: number;
  selection: CanarySelection;
  soakMinutes: number;
}

/** A validated deployment manifest. */
export interface DeploymentManifest {
  artifact: string;
  targetVersion: string;
  target: { groups: string[]; excludeGroups: string[] };
  canary: CanarySpec | null;
  waves: WaveSpec[];
}

/** The manifest as GraphQL input (camelCase, optional defaults). */
export interface ManifestInput {
  artifact?: unknown;
  targetVersion?: unknown;
  target?: { groups?: unknown; excludeGroups?: unknown } | null;
  canary?: Record<string, unknown> | null;
  waves?: Array<Record<string, unknown>> | null;
}

/** Default wave timeout: 60 minutes. */
export const DEFAULT_WAVE_TIMEOUT_MINUTES = 60;
const MAX_SOAK_MINUTES = 7 * 24 * 60;
const SELECTIONS = ['one-per-device-type', 'random', 'first'] as const;

/** Bounds on a manifest (documented in ERROR_CODES.md, INVALID_MANIFEST). */
export const MANIFEST_LIMITS = {
  /** Characters in one string: artifact, version, wave or group name. */
  text: 512,
  /** Waves in one deployment. */
  waves: 32,
  /** Groups in one list (target, a wave's, an exclusion list). */
  groups: 64,
} as const;

function invalid(path: string, message: string, extra = {}): RollcallError {
  return new RollcallError('INVALID_MANIFEST', `${path}: ${message}`, {
    path,
    ...extra,
  });
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(path, 'must be a non-empty string');
  }
  if (value.length > MANIFEST_LIMITS.text) {
    throw invalid(path, `must be at most ${MANIFEST_LIMITS.text} characters`, {
      maxLength: MANIFEST_LIMITS.text,
    });
  }
  if (hasForbiddenCharacter(value)) {
    throw invalid(path, 'contains a control or invisible character');
  }

  return value.trim();
}

function limited<T>(values: readonly T[], path: string, max: number): void {
  if (values.length > max) {
    throw invalid(path, `has ${values.length} entries; the limit is ${max}`, {
      maxItems: max,
    });
  }
}

function names(value: unknown, path: string, required: boolean): string[] {
  if (value === undefined || value === null) {
    if (required) throw invalid(path, 'must list at least one group');
    return [];
  }
  if (!Array.isArray(value)) throw invalid(path, 'must be a list of groups');
  limited(value, path, MANIFEST_LIMITS.groups);
  if (required && value.length === 0) {
    throw invalid(path, 'must list at least one group');
  }

  return [...new Set(value.map((item, i) => text(item, `${path}[${i}]`)))];
}

function integer(
  value: unknown,
  path: string,
  fallback: number,
  [min, max]: [number, number],
): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(path, 'must be an integer');
  }
  if (value < min || value > max) {
    throw invalid(path, `must be between ${min} and ${max}; got ${value}`);
  }

  return value;
}

/** `inference-app:v2.3.1` → `2.3.1`; null when the tag is no version. */
export function versionFromArtifact(artifact: string): string | null {
  const tag = artifact.slice(artifact.lastIndexOf(':') + 1);
  if (!artifact.includes(':') || !isVersion(tag)) return null;

  return tag.replace(/^v/, '');
}

function canaryOf(input: Record<string, unknown>): CanarySpec {
  const selection = input.selection ?? 'one-per-device-type';
  if (!SELECTIONS.includes(selection as CanarySelection)) {
    throw invalid(
      'canary.selection',
      `must be one of ${SELECTIONS.join(', ')}`,
    );
  }

  return {
    sourceGroup: text(input.sourceGroup, 'canary.source_group'),
    count: integer(input.count, 'canary.count', 1, [1, 1000]),
    selection: selection as CanarySelection,
    soakMinutes: integer(input.soakMinutes, 'canary.soak_minutes', 0, [
      0,
      MAX_SOAK_MINUTES,
    ]),
  };
}

function waveOf(input: Record<string, unknown>, index: number): WaveSpec {
  const path = `waves[${index}]`;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw invalid(path, 'must be a mapping');
  }
  const requireApproval = input.requireApproval ?? false;
  if (typeof requireApproval !== 'boolean') {
    throw invalid(`${path}.require_approval`, 'must be true or false');
  }

  return {
    name: text(input.name, `${path}.name`),
    groups: names(input.groups, `${path}.groups`, true),
    excludeGroups: names(input.excludeGroups, `${path}.exclude_groups`, false),
    percentage: integer(input.percentage, `${path}.percentage`, 100, [1, 100]),
    soakMinutes: integer(input.soakMinutes, `${path}.soak_minutes`, 0, [
      0,
      MAX_SOAK_MINUTES,
    ]),
    requireApproval,
    timeoutMinutes: integer(
      input.timeoutMinutes,
      `${path}.timeout_minutes`,
      DEFAULT_WAVE_TIMEOUT_MINUTES,
      [1, MAX_SOAK_MINUTES],
    ),
  };
}

/**
 * Validates a manifest (GraphQL input or converted YAML). Without waves,
 * one wave `all` deploys to the target. Throws INVALID_MANIFEST naming the
 * field; group names are checked against the registry by the planner.
 */
export function validateManifest(input: ManifestInput): DeploymentManifest {
  const artifact = text(input.artifact, 'artifact');
  const targetVersion =
    input.targetVersion === undefined || input.targetVersion === null
      ? versionFromArtifact(artifact)
      : text(input.targetVersion, 'target_version');
  if (targetVersion === null || !isVersion(targetVersion)) {
    throw invalid(
      'target_version',
      'must be a semantic version (or the artifact tag must be one)',
    );
  }

  const target = {
    groups: names(input.target?.groups, 'target.groups', true),
    excludeGroups: names(
      input.target?.excludeGroups,
      'target.exclude_groups',
      false,
    ),
  };
  if (input.waves != null && !Array.isArray(input.waves)) {
    throw invalid('waves', 'must be a list of waves');
  }
  limited(input.waves ?? [], 'waves', MANIFEST_LIMITS.waves);
  const waves = (input.waves ?? []).map(waveOf);
  const seen = new Set<string>();
  waves.forEach((wave, index) => {
    if (seen.has(wave.name)) {
      throw invalid(`waves[${index}].name`, `duplicate wave "${wave.name}"`);
    }
    seen.add(wave.name);
  });

  return {
    artifact,
    targetVersion,
    target,
    canary: input.canary ? canaryOf(input.canary) : null,
    waves:
      waves.length > 0
        ? waves
        : [waveOf({ name: 'all', ...target, percentage: 100 }, 0)],
  };
}

/** Renames snake_case keys to camelCase, deeply; camelCase keys stay. */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;

  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key.replace(/_([a-z])/g, (_match, letter: string) =>
        letter.toUpperCase(),
      ),
      camelKeys(item),
    ]),
  );
}

/**
 * Parses the spec's YAML manifest (`deployment:` at the top, snake_case
 * keys) and validates it. Aliases are capped so that a small document
 * cannot expand into a huge one.
 */
export function parseManifestYaml(source: string): DeploymentManifest {
  let document: unknown;
  try {
    document = parseYaml(source, { maxAliasCount: 10, uniqueKeys: true });
  } catch (error) {
    throw invalid('yaml', (error as Error).message.split('\n')[0] ?? 'bad');
  }
  if (document === null || typeof document !== 'object') {
    throw invalid('yaml', 'must be a mapping');
  }

  const root = document as Record<string, unknown>;
  const body = camelKeys(root.deployment ?? root);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('deployment', 'must be a mapping');
  }

  return validateManifest(body as ManifestInput);
}

/** Every group a manifest names, each once, in order of appearance. */
export function manifestGroups(manifest: DeploymentManifest): string[] {
  return [
    ...new Set([
      ...manifest.target.groups,
      ...manifest.target.excludeGroups,
      ...(manifest.canary ? [manifest.canary.sourceGroup] : []),
      ...manifest.waves.flatMap((wave) => [
        ...wave.groups,
        ...wave.excludeGroups,
      ]),
    ]),
  ];
}
