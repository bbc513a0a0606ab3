import { nextAttemptDecision } from '@rollcall/fleet';
import { appendLog } from '../deployments/deploymentLog.ts';
import type {
  DeploymentDeps,
  Queryable,
} from '../deployments/deploymentRows.ts';
import { clearDesiredVersion } from '../deployments/registryVersions.ts';
import {
  announce,
  moveToInvestigation,
  type CatchUpEntry,
} from './catchUpEntries.ts';

/** Appends to the deployment log of the entry's deployment and device. */
export function logFor(
  deps: DeploymentDeps,
  client: Queryable,
  entry: CatchUpEntry,
) {
  return (action: string, message: string) =>
    appendLog(client, deps.clock.now(), [
      {
        deploymentId: entry.deploymentId,
        deviceId: entry.deviceId,
        action,
        message,
      },
    ]);
}

/**
 * Counts a failed attempt: back to pending while attempts remain, else
 * to the investigation queue.
 */
export async function failAttempt(
  deps: DeploymentDeps,
  client: Queryable,
  entry: CatchUpEntry,
  failure: string,
): Promise<void> {
  const now = deps.clock.now();
  await clearDesiredVersion(client, [entry.deviceId], entry.targetVersion);
  await client.query(
    `UPDATE catch_up_queue SET status = 'pending', last_failure = $2
     WHERE id = $1`,
    [entry.id, failure],
  );
  const decision = nextAttemptDecision(entry.attempts, entry.maxAttempts);
  const log = logFor(deps, client, entry);
  if (decision.action === 'investigate') {
    const reason = `${decision.reason}; last failure: ${failure}`;
    await moveToInvestigation(client, deps.events, [entry], reason, now);
    await log(
      'catch-up-investigation',
      `${entry.deviceId} catch-up to investigation: ${reason}`,
    );
    return;
  }

  await announce(client, deps.events, [entry], now);
  await log(
    'catch-up-failed',
    `${entry.deviceId} catch-up attempt ${entry.attempts} failed: ${failure}`,
  );
}

/** Records an attempt that could not even start (device not healthy). */
export async function attemptUnavailable(
  deps: DeploymentDeps,
  client: Queryable,
  entry: CatchUpEntry,
  failure: string,
): Promise<void> {
  const now = deps.clock.now();
  const attempts = entry.attempts + 1;
  await client.query(
    `UPDATE catch_up_queue SET attempts = $2, last_attempt_at = $3
     WHERE id = $1`,
    [entry.id, attempts, now],
  );
  await failAttempt(
    deps,
    client,
    { ...entry, attempts, lastAttemptAt: now },
    failure,
  );
}
