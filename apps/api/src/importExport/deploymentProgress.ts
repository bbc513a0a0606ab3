import type {
  DeploymentDeviceStatus,
  DeploymentDocument,
  WaveStatus,
} from './deploymentDocument.ts';
import { compare } from './deviceDocument.ts';

/** How far along each state is; a later state is never undone by a file. */
const DEPLOYMENT_RANK: Record<string, number> = {
  planned: 0,
  running: 1,
  paused: 1,
  completed: 2,
  aborted: 2,
};
const WAVE_RANK: Record<string, number> = {
  pending: 0,
  awaiting_approval: 1,
  running: 2,
  soaking: 3,
  completed: 4,
  aborted: 4,
};
const DEVICE_RANK: Record<string, number> = {
  pending: 0,
  assigned: 1,
  succeeded: 2,
  quarantined: 2,
  skipped: 2,
  aborted: 2,
};

/** The latest of some instants (canonical strings), or null for none. */
function latest(...times: Array<string | null>): number | null {
  const parsed = times
    .filter((time): time is string => time !== null)
    .map((time) => Date.parse(time));
  return parsed.length === 0 ? null : Math.max(...parsed);
}

/**
 * Whether the stored progress is past the file's: a later state, or the
 * same state with a later time. An unknown state ranks as the first.
 */
function isStoredAhead(
  ranks: Record<string, number>,
  file: { state: string; at: number | null },
  stored: { state: string; at: number | null },
): boolean {
  const fileRank = ranks[file.state] ?? 0;
  const storedRank = ranks[stored.state] ?? 0;
  if (storedRank !== fileRank) return storedRank > fileRank;
  return stored.at !== null && (file.at === null || stored.at > file.at);
}

function waveAt(wave: WaveStatus): number | null {
  return latest(wave.started_at, wave.approved_at, wave.completed_at);
}

/**
 * The file's waves, each with the stored progress (state, start, soak,
 * approval, completion) when the stored wave of that index is ahead.
 */
function mergedWaves(file: WaveStatus[], stored: WaveStatus[]): WaveStatus[] {
  const byIndex = new Map(stored.map((wave) => [wave.index, wave]));
  return file.map((wave) => {
    const previous = byIndex.get(wave.index);
    if (
      previous === undefined ||
      !isStoredAhead(
        WAVE_RANK,
        { state: wave.state, at: waveAt(wave) },
        { state: previous.state, at: waveAt(previous) },
      )
    ) {
      return wave;
    }
    return {
      ...wave,
      state: previous.state,
      started_at: previous.started_at,
      soak_until: previous.soak_until,
      approved_by: previous.approved_by,
      approved_at: previous.approved_at,
      completed_at: previous.completed_at,
    };
  });
}

function deviceAt(device: DeploymentDeviceStatus): number | null {
  return latest(device.assigned_at, device.finished_at);
}

/**
 * The file's device rows, a row whose stored one is ahead replaced by the
 * stored one, plus the stored rows the file lacks (assigned since it was
 * exported), in device order as they are read back.
 */
function mergedDevices(
  file: DeploymentDeviceStatus[],
  stored: DeploymentDeviceStatus[],
): DeploymentDeviceStatus[] {
  const byDevice = new Map(stored.map((row) => [row.device_id, row]));
  const merged = file.map((row) => {
    const previous = byDevice.get(row.device_id);
    byDevice.delete(row.device_id);
    if (
      previous === undefined ||
      !isStoredAhead(
        DEVICE_RANK,
        { state: row.state, at: deviceAt(row) },
        { state: previous.state, at: deviceAt(previous) },
      )
    ) {
      return row;
    }
    return { ...previous };
  });
  return [...merged, ...byDevice.values()].sort((a, b) =>
    compare(a.device_id, b.device_id),
  );
}

/**
 * Keeps the stored progress that is newer than the file's, so that an
 * older export never rewinds a rollout: the deployment's state, current
 * wave and times, each wave's progress (`mergedWaves`) and each device's
 * row (`mergedDevices`).
 */
export function keepStoredProgress(
  document: DeploymentDocument,
  previous: DeploymentDocument,
): void {
  const file = document.status;
  const stored = previous.status;
  const sameState =
    (DEPLOYMENT_RANK[stored.state] ?? 0) === (DEPLOYMENT_RANK[file.state] ?? 0);
  const storedAhead =
    isStoredAhead(
      DEPLOYMENT_RANK,
      { state: file.state, at: latest(file.started_at, file.finished_at) },
      {
        state: stored.state,
        at: latest(stored.started_at, stored.finished_at),
      },
    ) ||
    (sameState && (stored.current_wave ?? -1) > (file.current_wave ?? -1));
  if (storedAhead) {
    file.state = stored.state;
    file.current_wave = stored.current_wave;
    file.started_at = stored.started_at;
    file.finished_at = stored.finished_at;
  }
  file.waves = mergedWaves(file.waves, stored.waves);
  file.devices = mergedDevices(file.devices, stored.devices);
}
