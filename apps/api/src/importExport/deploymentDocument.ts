import {
  DEFAULT_CANARY_SELECTION,
  type SpecCanary,
  type SpecTarget,
  type SpecWave,
} from '../deployments/specManifest.ts';
import { DEFAULT_WAVE_TIMEOUT_MINUTES } from '../deployments/manifest.ts';
import { compare } from './deviceDocument.ts';
import { FieldReader } from './fieldReader.ts';

/** The spec's manifest blocks, in the shape export writes. */
export type DeploymentTarget = SpecTarget;
export type DeploymentCanary = SpecCanary;
export type ManifestWave = SpecWave;

/** One stored wave with its progress (a deployment_waves row). */
export interface WaveStatus extends ManifestWave {
  index: number;
  is_canary: boolean;
  state: string;
  started_at: string | null;
  soak_until: string | null;
  approved_by: string | null;
  approved_at: string | null;
  completed_at: string | null;
}

/** One device's part in the deployment (a deployment_devices row). */
export interface DeploymentDeviceStatus {
  device_id: string;
  wave: number;
  state: string;
  target_version: string;
  from_version: string | null;
  assigned_at: string | null;
  finished_at: string | null;
  error: string | null;
}

/** One line of the deployment's log. */
export interface DeploymentLogLine {
  at: string;
  device_id: string | null;
  action: string;
  message: string;
}

/**
 * One deployment file, `deployments/<id>.yaml`: the spec's manifest under
 * `deployment:` (artifact, target, canary, waves) with the deployment's
 * `id` and `target_version`, and a `status` block holding its history
 * (state, times, every wave, every device, the log), so that a finished
 * rollout exports and imports without loss. A manifest without `status` is
 * imported as a planned deployment.
 */
export interface DeploymentDocument {
  id: string;
  artifact: string;
  target_version: string;
  target: DeploymentTarget;
  canary?: DeploymentCanary;
  waves: ManifestWave[];
  status: {
    state: string;
    current_wave: number | null;
    created_by: string;
    created_at: string | null;
    started_at: string | null;
    finished_at: string | null;
    waves: WaveStatus[];
    devices: DeploymentDeviceStatus[];
    log: DeploymentLogLine[];
  };
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `inference-app:v2.3.1` gives `2.3.1`; null without a tag. */
export function versionOfArtifact(artifact: string): string | null {
  const tag = /:([^:/]+)$/.exec(artifact)?.[1];
  return tag ? tag.replace(/^v(?=\d)/, '') : null;
}

function groupList(reader: FieldReader, key: string): string[] {
  return reader.stringList(key, { maxItems: 1000 }) ?? [];
}

function readManifestWave(wave: FieldReader): ManifestWave {
  const timeout = wave.integer('timeout_minutes', { min: 1, max: 100_000 });
  return {
    name: wave.requiredString('name', { maxLength: 100 }),
    groups: groupList(wave, 'groups'),
    exclude_groups: groupList(wave, 'exclude_groups'),
    percentage: wave.integer('percentage', { min: 1, max: 100 }) ?? 100,
    soak_minutes: wave.integer('soak_minutes', { max: 100_000 }) ?? 0,
    require_approval: wave.boolean('require_approval') ?? false,
    ...(timeout === null || timeout === DEFAULT_WAVE_TIMEOUT_MINUTES
      ? {}
      : { timeout_minutes: timeout }),
  };
}

function readWaveStatus(wave: FieldReader, index: number): WaveStatus {
  const manifest = readManifestWave(wave);
  const stored = wave.integer('index', { max: 1000 });
  return {
    index: stored ?? index,
    is_canary: wave.boolean('is_canary') ?? false,
    ...manifest,
    state: wave.string('state', { maxLength: 40 }) ?? 'pending',
    started_at: wave.timestamp('started_at'),
    soak_until: wave.timestamp('soak_until'),
    approved_by: wave.string('approved_by', { maxLength: 200 }),
    approved_at: wave.timestamp('approved_at'),
    completed_at: wave.timestamp('completed_at'),
  };
}

function readDevice(
  device: FieldReader,
  targetVersion: string,
): DeploymentDeviceStatus {
  return {
    device_id: device.requiredString('device_id', { maxLength: 128 }),
    wave: device.integer('wave', { max: 1000 }) ?? 0,
    state: device.string('state', { maxLength: 40 }) ?? 'pending',
    target_version:
      device.string('target_version', { maxLength: 64 }) ?? targetVersion,
    from_version: device.string('from_version', { maxLength: 64 }),
    assigned_at: device.timestamp('assigned_at'),
    finished_at: device.timestamp('finished_at'),
    error: device.string('error', { maxLength: 2000, isMultiline: true }),
  };
}

function readLog(line: FieldReader): DeploymentLogLine {
  const at = line.timestamp('at');
  if (at === null) throw line.fail('at', 'is required');
  return {
    at,
    device_id: line.string('device_id', { maxLength: 128 }),
    action: line.requiredString('action', { maxLength: 100 }),
    message:
      line.string('message', { maxLength: 4000, isMultiline: true }) ?? '',
  };
}

/**
 * Parses and checks one deployment file; `fileId` (the file name without
 * `.yaml`) must equal the deployment's id.
 *
 * @throws RegistryFileError naming the field and the reason
 */
export function parseDeploymentDocument(
  file: string,
  fileId: string,
  root: unknown,
): DeploymentDocument {
  const top = FieldReader.of(file, '', root);
  const deployment = top.requiredObject('deployment');
  top.done();

  const id = deployment.string('id', { maxLength: 128 }) ?? fileId;
  if (!ID_PATTERN.test(id)) {
    throw deployment.fail(
      'id',
      `"${id}" must be letters, digits, ".", "_" or "-"`,
    );
  }
  if (id !== fileId) {
    throw deployment.fail(
      'id',
      `"${id}" does not match the file name ${fileId}.yaml`,
    );
  }
  const artifact = deployment.requiredString('artifact', { maxLength: 500 });
  const targetVersion =
    deployment.string('target_version', { maxLength: 64 }) ??
    versionOfArtifact(artifact);
  if (targetVersion === null) {
    throw deployment.fail(
      'target_version',
      `is required when the artifact "${artifact}" has no version tag`,
    );
  }

  const target = deployment.object('target');
  const canary = deployment.object('canary');
  const status = deployment.object('status');
  const document: DeploymentDocument = {
    id,
    artifact,
    target_version: targetVersion,
    target: {
      groups: target ? groupList(target, 'groups') : [],
      exclude_groups: target ? groupList(target, 'exclude_groups') : [],
    },
    waves: deployment.list('waves', readManifestWave, { maxItems: 100 }) ?? [],
    status: {
      state: status?.string('state', { maxLength: 40 }) ?? 'planned',
      current_wave: status?.integer('current_wave', { max: 1000 }) ?? null,
      created_by: status?.string('created_by', { maxLength: 200 }) ?? 'import',
      created_at: status?.timestamp('created_at') ?? null,
      started_at: status?.timestamp('started_at') ?? null,
      finished_at: status?.timestamp('finished_at') ?? null,
      waves: status?.list('waves', readWaveStatus, { maxItems: 101 }) ?? [],
      devices:
        status?.list('devices', (device) =>
          readDevice(device, targetVersion),
        ) ?? [],
      log: status?.list('log', readLog) ?? [],
    },
  };
  if (canary) {
    const sourceGroup = canary.requiredString('source_group', {
      maxLength: 128,
    });
    const count = canary.integer('count', { min: 1, max: 10_000 });
    if (count === null) throw canary.fail('count', 'is required');
    const soak = canary.integer('soak_minutes', { max: 100_000 }) ?? 0;
    document.canary = {
      source_group: sourceGroup,
      count,
      selection:
        canary.string('selection', { maxLength: 100 }) ??
        DEFAULT_CANARY_SELECTION,
      ...(soak === 0 ? {} : { soak_minutes: soak }),
    };
    canary.done();
  }
  target?.done();
  status?.done();
  deployment.done();

  if (!status) document.status.waves = plannedWaves(document);
  checkUnique(deployment, document);
  document.status.devices.sort((a, b) => compare(a.device_id, b.device_id));
  document.status.waves.sort((a, b) => a.index - b.index);
  return document;
}

function checkUnique(
  deployment: FieldReader,
  document: DeploymentDocument,
): void {
  const waves = new Set<number>();
  document.status.waves.forEach((wave, position) => {
    if (waves.has(wave.index)) {
      throw deployment.fail(
        `status.waves[${position}].index`,
        `repeats wave index ${wave.index}`,
      );
    }
    waves.add(wave.index);
  });
  const devices = new Set<string>();
  document.status.devices.forEach((device, position) => {
    if (devices.has(device.device_id)) {
      throw deployment.fail(
        `status.devices[${position}].device_id`,
        `repeats device "${device.device_id}"`,
      );
    }
    devices.add(device.device_id);
  });
}

/**
 * The stored waves of a manifest without a status block: the canary wave
 * first (index 0) when there is a canary, then the manifest's waves.
 */
export function plannedWaves(document: DeploymentDocument): WaveStatus[] {
  const waves: ManifestWave[] = [
    ...(document.canary
      ? [
          {
            name: 'canary',
            groups: [document.canary.source_group],
            exclude_groups: [],
            percentage: 100,
            soak_minutes: 0,
            require_approval: false,
          },
        ]
      : []),
    ...document.waves,
  ];
  return waves.map((wave, index) => ({
    index,
    is_canary: index === 0 && document.canary !== undefined,
    ...wave,
    state: 'pending',
    started_at: null,
    soak_until: null,
    approved_by: null,
    approved_at: null,
    completed_at: null,
  }));
}
