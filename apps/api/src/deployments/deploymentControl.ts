import { closeEntries } from '../catchUp/catchUpEntries.ts';
import { withTransaction } from '../db/transaction.ts';
import { RollcallError, notFound } from '../errors.ts';
import { appendLog } from './deploymentLog.ts';
import {
  announceDeployment,
  loadDeployment,
  type DeploymentDeps,
  type DeploymentRow,
  type DeploymentState,
  type Queryable,
} from './deploymentRows.ts';
import { advanceWithin } from './deploymentRunner.ts';
import { clearDesiredVersion } from './registryVersions.ts';

async function transition(
  deps: DeploymentDeps,
  id: string,
  from: readonly DeploymentState[],
  work: (
    client: Queryable,
    deployment: DeploymentRow,
    now: Date,
  ) => Promise<void>,
): Promise<void> {
  await withTransaction(deps.pool, async (client) => {
    const deployment = await loadDeployment(client, id, true);
    if (!deployment) throw notFound('deployment', id);
    if (!from.includes(deployment.state)) {
      throw new RollcallError(
        'CONFLICT',
        `deployment ${id} is ${deployment.state}; expected ${from.join(' or ')}`,
        { state: deployment.state, expected: from },
      );
    }

    const now = deps.clock.now();
    await work(client, deployment, now);
    await announceDeployment(client, deps.events, id, now);
  });
}

function logLine(
  client: Queryable,
  now: Date,
  id: string,
  action: string,
  message: string,
) {
  return appendLog(client, now, [
    { deploymentId: id, deviceId: null, action, message },
  ]);
}

/** Starts a planned deployment: the canary wave first, then the waves. */
export async function startDeployment(
  deps: DeploymentDeps,
  id: string,
  actor: string,
): Promise<void> {
  await transition(deps, id, ['planned'], async (client, _row, now) => {
    await client.query(
      `UPDATE deployments SET state = 'running', started_at = $2,
              current_wave = 0 WHERE id = $1`,
      [id, now],
    );
    await logLine(client, now, id, 'started', `started by ${actor}`);
    // In the same transaction: a wave that cannot start (an unknown group)
    // fails the mutation with nothing changed, the deployment still planned.
    await advanceWithin(deps, client, id);
  });
}

/** Stops a running deployment from starting or finishing waves. */
export async function pauseDeployment(
  deps: DeploymentDeps,
  id: string,
  actor: string,
): Promise<void> {
  await transition(deps, id, ['running'], async (client, _row, now) => {
    await client.query(
      `UPDATE deployments SET state = 'paused' WHERE id = $1`,
      [id],
    );
    await logLine(client, now, id, 'paused', `paused by ${actor}`);
  });
}

export async function resumeDeployment(
  deps: DeploymentDeps,
  id: string,
  actor: string,
): Promise<void> {
  await transition(deps, id, ['paused'], async (client, _row, now) => {
    await client.query(
      `UPDATE deployments SET state = 'running' WHERE id = $1`,
      [id],
    );
    await logLine(client, now, id, 'resumed', `resumed by ${actor}`);
    await advanceWithin(deps, client, id);
  });
}

/**
 * Aborts a deployment: devices still installing lose their instruction,
 * waves not yet done end as aborted, and its catch-up entries close.
 */
export async function abortDeployment(
  deps: DeploymentDeps,
  id: string,
  actor: string,
  reason: string | null,
): Promise<void> {
  await transition(
    deps,
    id,
    ['planned', 'running', 'paused'],
    async (client, row, now) => {
      const { rows } = await client.query<{ device_id: string }>(
        `UPDATE deployment_devices SET state = 'aborted', finished_at = $2,
              error = 'deployment aborted'
       WHERE deployment_id = $1 AND state = 'assigned' RETURNING device_id`,
        [id, now],
      );
      await clearDesiredVersion(
        client,
        rows.map((r) => r.device_id),
        row.target_version,
      );
      await client.query(
        `UPDATE deployment_waves SET state = 'aborted', completed_at = $2
       WHERE deployment_id = $1 AND state <> 'completed'`,
        [id, now],
      );
      await client.query(
        `UPDATE deployments SET state = 'aborted', finished_at = $2 WHERE id = $1`,
        [id, now],
      );
      const entries = await client.query<{ id: string; device_id: string }>(
        `SELECT id, device_id FROM catch_up_queue
       WHERE deployment_id = $1 AND status IN ('pending', 'delivering')`,
        [id],
      );
      const open = entries.rows.map((e) => ({
        id: e.id,
        deviceId: e.device_id,
      }));
      await clearDesiredVersion(
        client,
        open.map((e) => e.deviceId),
        row.target_version,
      );
      await closeEntries(
        client,
        deps.events,
        open,
        'cancelled',
        'deployment aborted',
        now,
      );
      const why = reason ? `: ${reason}` : '';
      await logLine(client, now, id, 'aborted', `aborted by ${actor}${why}`);
    },
  );
}

/**
 * Approves a wave that requires approval: it starts once the waves
 * before it are done (at once when it is waiting at its gate).
 */
export async function approveWave(
  deps: DeploymentDeps,
  id: string,
  waveIndex: number,
  actor: string,
): Promise<void> {
  await transition(
    deps,
    id,
    ['planned', 'running', 'paused'],
    async (client, _row, now) => {
      const { rows } = await client.query<{
        state: string;
        require_approval: boolean;
      }>(
        `SELECT state, require_approval FROM deployment_waves
       WHERE deployment_id = $1 AND index = $2 FOR UPDATE`,
        [id, waveIndex],
      );
      const wave = rows[0];
      if (!wave) throw notFound('wave', `${id}#${waveIndex}`);
      if (
        !wave.require_approval ||
        !['pending', 'awaiting_approval'].includes(wave.state)
      ) {
        throw new RollcallError(
          'CONFLICT',
          `wave ${waveIndex} of ${id} does not await approval (${wave.state})`,
          { state: wave.state, requireApproval: wave.require_approval },
        );
      }

      await client.query(
        `UPDATE deployment_waves SET approved_by = $3, approved_at = $4
       WHERE deployment_id = $1 AND index = $2`,
        [id, waveIndex, actor, now],
      );
      await logLine(
        client,
        now,
        id,
        'approved',
        `wave ${waveIndex} approved by ${actor}`,
      );
      await advanceWithin(deps, client, id);
    },
  );
}
