import type { LoadBounds, LoadResult } from '../load.ts';

/** Load figures under a prefix: rate, p50, p99, errors. */
export function loadFigures(
  prefix: string,
  result: LoadResult,
  unit = 'perSecond',
): Record<string, number> {
  return {
    [`${prefix}.${unit}`]: result.unitsPerSecond,
    [`${prefix}.p50Ms`]: result.latency.p50Ms,
    [`${prefix}.p99Ms`]: result.latency.p99Ms,
    [`${prefix}.operations`]: result.operations,
    [`${prefix}.errors`]: result.errors,
  };
}

/** Bounds for a closed-loop run, tiny in smoke mode. */
export function boundsFor(
  smoke: boolean,
  full: { concurrency: number; maxOperations: number; maxDurationMs: number },
): LoadBounds {
  return smoke
    ? {
        concurrency: Math.min(full.concurrency, 5),
        maxOperations: 20,
        maxDurationMs: 5_000,
        warmupPerWorker: 1,
      }
    : { ...full, warmupPerWorker: 5 };
}

/** Fails loudly when a load run had errors: figures would mislead. */
export function assertClean(name: string, result: LoadResult): void {
  if (result.errors > 0) {
    throw new Error(
      `${name}: ${result.errors} of ${result.operations} operations failed; first: ${result.firstError}`,
    );
  }
}
