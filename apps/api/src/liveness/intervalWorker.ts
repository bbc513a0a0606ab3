import type { Logger } from '../logger.ts';
import type { BackgroundWorker } from '../server/workers.ts';

/** Lifecycle of a periodic worker (sweeper, pruning, webhooks, sync). */
export type WorkerPhase =
  | { phase: 'idle' }
  | {
      phase: 'running';
      timer: NodeJS.Timeout | null;
      current: Promise<void> | null;
    }
  | { phase: 'stopping'; done: Promise<void> }
  | { phase: 'stopped' };

/** A background worker that also tells its phase. */
export interface IntervalWorker extends BackgroundWorker {
  state(): WorkerPhase;
}

/**
 * Runs `run` every `intervalMs`, measured from the start of each run so
 * the period does not drift by the run's duration; a run never overlaps
 * the previous one. Failures are logged and the loop goes on. `stop`
 * waits for the run in progress.
 */
export function intervalWorker(
  name: string,
  intervalMs: number,
  run: () => Promise<unknown>,
  logger: Logger,
): IntervalWorker {
  let phase: WorkerPhase = { phase: 'idle' };

  const tick = () => {
    if (phase.phase !== 'running') return;

    const startedAt = performance.now();
    const current = run()
      .then(() => undefined)
      .catch((error: unknown) =>
        logger.error(
          { err: error, worker: name },
          'background worker run failed',
        ),
      )
      .finally(() => {
        if (phase.phase !== 'running') return;
        const wait = Math.max(0, intervalMs - (performance.now() - startedAt));
        phase = {
          phase: 'running',
          current: null,
          timer: setTimeout(tick, wait).unref(),
        };
      });
    phase = { phase: 'running', current, timer: null };
  };

  return {
    name,
    state: () => phase,
    start() {
      if (phase.phase !== 'idle') return;
      phase = { phase: 'running', current: null, timer: null };
      tick();
    },
    async stop() {
      if (phase.phase === 'stopping') return phase.done;
      if (phase.phase !== 'running') {
        phase = { phase: 'stopped' };
        return;
      }
      if (phase.timer) clearTimeout(phase.timer);
      const done = (phase.current ?? Promise.resolve()).then(() => {
        phase = { phase: 'stopped' };
      });
      phase = { phase: 'stopping', done };
      return done;
    },
  };
}
