import { sweepCatchUpTimeline } from '../catchUp/catchUpTimeline.ts';
import type { BackgroundWorker } from '../server/workers.ts';
import type { DeploymentDeps } from './deploymentRows.ts';
import { advanceAll } from './deploymentRunner.ts';

/** Default pause between passes: 5 seconds. */
export const DEPLOYMENT_WORKER_INTERVAL_MS = 5_000;

/** A background worker that tests can also drive one pass at a time. */
export interface DeploymentWorker extends BackgroundWorker {
  /** One pass; false when another process holds the lock. */
  runOnce(): Promise<boolean>;
}

/**
 * Advances deployments (soak timers, wave completion and timeouts) and
 * applies the catch-up timeline (long-offline entries, delivery timeouts).
 * A session advisory lock makes one process at a time do it, so several
 * API processes can share a database.
 */
export function createDeploymentWorker(
  deps: DeploymentDeps,
  intervalMs = DEPLOYMENT_WORKER_INTERVAL_MS,
): DeploymentWorker {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<boolean> | null = null;

  const pass = async (): Promise<boolean> => {
    const client = await deps.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext('rollcall:deployment-worker')) AS locked`,
      );
      if (!rows[0]?.locked) return false;

      try {
        await advanceAll(deps);
        await sweepCatchUpTimeline(deps);
      } finally {
        await client.query(
          `SELECT pg_advisory_unlock(hashtext('rollcall:deployment-worker'))`,
        );
      }
      return true;
    } finally {
      client.release();
    }
  };

  const runOnce = (): Promise<boolean> => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    name: 'deployments',
    runOnce,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        runOnce().catch((error: unknown) => {
          deps.logger.error({ err: error }, 'deployment worker pass failed');
        });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
