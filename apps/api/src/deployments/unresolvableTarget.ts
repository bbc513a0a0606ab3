import { withTransaction } from '../db/transaction.ts';
import { RollcallError } from '../errors.ts';
import { appendLog } from './deploymentLog.ts';
import {
  announceDeployment,
  loadDeployment,
  type DeploymentDeps,
} from './deploymentRows.ts';

/**
 * True for the errors that say a deployment's groups no longer resolve:
 * INVALID_MANIFEST for an unknown group, or NOT_FOUND for a group that
 * went away while its members were being read. Retrying cannot fix
 * either; only an operator can.
 */
export function isUnresolvableTarget(error: unknown): error is RollcallError {
  if (!(error instanceof RollcallError)) return false;
  if (error.code === 'INVALID_MANIFEST') return true;

  const kind = error.details.kind;
  return (
    error.code === 'NOT_FOUND' &&
    typeof kind === 'string' &&
    kind.toLowerCase() === 'group'
  );
}

/**
 * Pauses a running deployment whose target no longer resolves, once, with
 * the reason in its log. Paused rather than aborted: aborting would take
 * the instruction from devices mid-install and cancel catch-up entries,
 * none of which a restored group could bring back, while a paused
 * deployment waits for an operator to restore the group and resume, or
 * to abort. Returns true when it paused the deployment.
 */
export async function pauseUnresolvable(
  deps: DeploymentDeps,
  deploymentId: string,
  error: RollcallError,
): Promise<boolean> {
  const now = deps.clock.now();
  const message =
    `paused: target no longer resolves (${error.message}); ` +
    'restore the group and resume, or abort';
  const paused = await withTransaction(deps.pool, async (client) => {
    const deployment = await loadDeployment(client, deploymentId, true);
    if (deployment?.state !== 'running') return false;

    await client.query(
      `UPDATE deployments SET state = 'paused' WHERE id = $1`,
      [deploymentId],
    );
    await appendLog(client, now, [
      { deploymentId, deviceId: null, action: 'paused', message },
    ]);
    await announceDeployment(client, deps.events, deploymentId, now);
    return true;
  });
  if (paused) {
    deps.logger.warn(
      { deploymentId, code: error.code, reason: error.message },
      'deployment paused: its target no longer resolves',
    );
  }
  return paused;
}
