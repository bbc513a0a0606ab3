import { withTransaction } from '../db/transaction.ts';
import { isUnavailable } from '../server/formatError.ts';
import { appendLog } from './deploymentLog.ts';
import {
  announceDeployment,
  loadDeployment,
  type DeploymentDeps,
  type DeploymentRow,
  type Queryable,
  type WaveRow,
} from './deploymentRows.ts';
import { DEFAULT_WAVE_TIMEOUT_MINUTES } from './manifest.ts';
import { clearDesiredVersion } from './registryVersions.ts';
import {
  isUnresolvableTarget,
  pauseUnresolvable,
} from './unresolvableTarget.ts';
import { startWave } from './waveStart.ts';

const MINUTE_MS = 60_000;

type Step = 'moved' | 'waiting';

function timeoutMinutes(deployment: DeploymentRow, wave: WaveRow): number {
  const { manifest } = deployment;
  const spec = manifest.waves[wave.index - (manifest.canary ? 1 : 0)];
  return wave.is_canary || !spec
    ? DEFAULT_WAVE_TIMEOUT_MINUTES
    : spec.timeoutMinutes;
}

async function pendingCount(client: Queryable, wave: WaveRow): Promise<number> {
  const { rows } = await client.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM deployment_devices
     WHERE deployment_id = $1 AND wave_index = $2 AND state = 'assigned'`,
    [wave.deployment_id, wave.index],
  );
  return rows[0]?.count ?? 0;
}

/** Fails the devices of a wave that never reported within its timeout. */
async function timeOut(
  deps: DeploymentDeps,
  client: Queryable,
  deployment: DeploymentRow,
  wave: WaveRow,
  minutes: number,
): Promise<void> {
  const now = deps.clock.now();
  const error = `no report of ${deployment.target_version} within ${minutes} minutes`;
  const { rows } = await client.query<{ device_id: string }>(
    `UPDATE deployment_devices SET state = 'quarantined', error = $3,
            finished_at = $4
     WHERE deployment_id = $1 AND wave_index = $2 AND state = 'assigned'
     RETURNING device_id`,
    [deployment.id, wave.index, error, now],
  );
  const ids = rows.map((row) => row.device_id);
  await clearDesiredVersion(client, ids, deployment.target_version);
  await appendLog(
    client,
    now,
    ids.map((deviceId) => ({
      deploymentId: deployment.id,
      deviceId,
      action: 'quarantined',
      message: `${deviceId} failed: ${error}; quarantined`,
    })),
  );
}

async function setWave(
  client: Queryable,
  wave: WaveRow,
  fields: Partial<Pick<WaveRow, 'state' | 'soak_until' | 'completed_at'>>,
): Promise<void> {
  const entries = Object.entries(fields);
  await client.query(
    `UPDATE deployment_waves SET ${entries
      .map(([key], i) => `${key} = $${i + 2}`)
      .join(', ')} WHERE id = $1`,
    [wave.id, ...entries.map(([, value]) => value)],
  );
}

/** One step of the current wave's life; 'waiting' when nothing is due. */
async function stepWave(
  deps: DeploymentDeps,
  client: Queryable,
  deployment: DeploymentRow,
  wave: WaveRow,
): Promise<Step> {
  const now = deps.clock.now();
  const log = (message: string, action: string) =>
    appendLog(client, now, [
      { deploymentId: deployment.id, deviceId: null, action, message },
    ]);
  switch (wave.state) {
    case 'pending':
      if (wave.require_approval && !wave.approved_at) {
        await setWave(client, wave, { state: 'awaiting_approval' });
        await log(
          `wave ${wave.index} "${wave.name}" awaits approval`,
          'wave-gate',
        );
        return 'waiting';
      }
      await startWave(deps, client, deployment, wave);
      return 'moved';
    case 'awaiting_approval':
      if (!wave.approved_at) return 'waiting';
      await startWave(deps, client, deployment, wave);
      return 'moved';
    case 'running': {
      if ((await pendingCount(client, wave)) > 0) {
        const minutes = timeoutMinutes(deployment, wave);
        const startedAt = wave.started_at?.getTime() ?? now.getTime();
        if (now.getTime() < startedAt + minutes * MINUTE_MS) return 'waiting';
        await timeOut(deps, client, deployment, wave, minutes);
      }
      const soakUntil = new Date(now.getTime() + wave.soak_minutes * MINUTE_MS);
      await setWave(client, wave, { state: 'soaking', soak_until: soakUntil });
      await log(
        `wave ${wave.index} "${wave.name}" finished; soaking until ${soakUntil.toISOString()}`,
        'wave-soak',
      );
      return 'moved';
    }
    case 'soaking':
      if (wave.soak_until && now < wave.soak_until) return 'waiting';
      await setWave(client, wave, { state: 'completed', completed_at: now });
      await client.query(
        'UPDATE deployments SET current_wave = $2 WHERE id = $1',
        [deployment.id, wave.index + 1],
      );
      await log(
        `wave ${wave.index} "${wave.name}" completed`,
        'wave-completed',
      );
      return 'moved';
    case 'completed':
    case 'aborted':
      await client.query(
        'UPDATE deployments SET current_wave = $2 WHERE id = $1',
        [deployment.id, wave.index + 1],
      );
      return 'moved';
    default: {
      const unknown: never = wave.state;
      throw new Error(`Unknown wave state ${String(unknown)}`);
    }
  }
}

/**
 * Moves a running deployment as far as it can go now, inside the caller's
 * transaction (which holds or takes the deployment's row lock): starts due
 * waves, notices finished ones, ends soaks, stops at approval gates, and
 * completes the deployment after its last wave. Throws INVALID_MANIFEST
 * when a wave's groups no longer resolve. Returns true when anything
 * changed; announcing the change is the caller's.
 */
export async function advanceWithin(
  deps: DeploymentDeps,
  client: Queryable,
  deploymentId: string,
): Promise<boolean> {
  let changed = false;
  for (let guard = 0; guard < 1000; guard += 1) {
    const deployment = await loadDeployment(client, deploymentId, true);
    if (!deployment || deployment.state !== 'running') break;

    const { rows } = await client.query<WaveRow>(
      'SELECT * FROM deployment_waves WHERE deployment_id = $1 AND index = $2',
      [deploymentId, deployment.current_wave ?? 0],
    );
    const wave = rows[0];
    if (!wave) {
      const now = deps.clock.now();
      await client.query(
        `UPDATE deployments SET state = 'completed', finished_at = $2
         WHERE id = $1`,
        [deploymentId, now],
      );
      await appendLog(client, now, [
        {
          deploymentId,
          deviceId: null,
          action: 'completed',
          message: 'deployment completed',
        },
      ]);
      changed = true;
      break;
    }
    const before = wave.state;
    const step = await stepWave(deps, client, deployment, wave);
    changed ||= step === 'moved' || before !== wave.state;
    if (step === 'waiting') {
      changed ||= before === 'pending' && wave.require_approval;
      break;
    }
  }
  return changed;
}

/**
 * Advances a running deployment in its own transaction (see
 * `advanceWithin`). A deployment whose groups no longer resolve is paused
 * once, with the reason in its log, rather than failing on every pass.
 * Returns true when anything changed.
 */
export async function advanceDeployment(
  deps: DeploymentDeps,
  deploymentId: string,
): Promise<boolean> {
  try {
    return await withTransaction(deps.pool, async (client) => {
      const changed = await advanceWithin(deps, client, deploymentId);
      if (changed) {
        await announceDeployment(
          client,
          deps.events,
          deploymentId,
          deps.clock.now(),
        );
      }
      return changed;
    });
  } catch (error) {
    if (!isUnresolvableTarget(error)) throw error;
    return pauseUnresolvable(deps, deploymentId, error);
  }
}

/** What asks for deployments to advance, named in the log. */
export type AdvanceSource = 'worker' | 'heartbeats';

/**
 * Advances each of `deploymentIds` in its own transaction, in order. One
 * that fails unexpectedly is logged with its id and left as it was, so
 * the deployment worker's next pass retries it, while the others still
 * move on now. Throws when the database is unreachable, since every
 * other deployment would fail the same way. Returns how many changed.
 */
export async function advanceEach(
  deps: DeploymentDeps,
  deploymentIds: Iterable<string>,
  source: AdvanceSource,
): Promise<number> {
  let moved = 0;
  for (const deploymentId of deploymentIds) {
    try {
      if (await advanceDeployment(deps, deploymentId)) moved += 1;
    } catch (error) {
      if (isUnavailable(error)) throw error;

      // Its transaction rolled back, so it is exactly as before.
      deps.logger.error(
        { err: error, deploymentId, source },
        'could not advance a deployment; the deployment worker retries it ' +
          'next pass',
      );
    }
  }
  return moved;
}

/**
 * Advances every running deployment; for the worker (see `advanceEach`).
 * Returns how many deployments changed.
 */
export async function advanceAll(deps: DeploymentDeps): Promise<number> {
  const { rows } = await deps.pool.query<{ id: string }>(
    `SELECT id FROM deployments WHERE state = 'running' ORDER BY id`,
  );
  return advanceEach(
    deps,
    rows.map((row) => row.id),
    'worker',
  );
}
