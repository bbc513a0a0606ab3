import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from './stats.ts';

/** Bounds of a closed-loop load run: it stops at whichever comes first. */
export interface LoadBounds {
  /** Concurrent workers, each sending its next operation on completion. */
  concurrency: number;
  /** Most operations started in total. */
  maxOperations: number;
  /** Longest the run may take, in milliseconds. */
  maxDurationMs: number;
  /** Operations per worker not measured (connection set-up, JIT). */
  warmupPerWorker?: number;
  /** Set `stopped` to end the run early (from outside, e.g. a sweep). */
  stop?: { stopped: boolean };
}

/** What a load run measured. */
export interface LoadResult {
  operations: number;
  /** Units of work (an operation may carry several, as a batch does). */
  units: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  unitsPerSecond: number;
  latency: LatencySummary;
  /** Every measured latency in milliseconds, for pooling several runs. */
  samples: number[];
}

/**
 * Runs `operation` in a closed loop with `concurrency` workers, bounded in
 * count and time. `operation(i)` returns how many units it carried. Errors
 * are counted (and the first one kept) rather than thrown, so one refused
 * request does not hide the rest of the figures.
 */
export async function runLoad(
  bounds: LoadBounds,
  operation: (index: number) => Promise<number>,
): Promise<LoadResult> {
  const warmup = bounds.warmupPerWorker ?? 0;
  let next = 0;
  const warm = async () => {
    for (let i = 0; i < warmup; i += 1) {
      await operation(next++).catch(() => 0);
    }
  };
  await Promise.all(Array.from({ length: bounds.concurrency }, warm));

  const latencies: number[] = [];
  let units = 0;
  let errors = 0;
  let firstError: string | null = null;
  let started = 0;
  const begin = performance.now();
  const deadline = begin + bounds.maxDurationMs;
  const worker = async () => {
    while (
      started < bounds.maxOperations &&
      performance.now() < deadline &&
      !bounds.stop?.stopped
    ) {
      started += 1;
      const index = next++;
      const t0 = performance.now();
      try {
        // Not `units += await ...`: that reads `units` before the await
        // and loses every other worker's additions made meanwhile.
        const carried = await operation(index);
        units += carried;
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: bounds.concurrency }, worker));
  const elapsedMs = performance.now() - begin;
  return {
    operations: latencies.length + errors,
    units,
    errors,
    firstError,
    elapsedMs: Math.round(elapsedMs),
    unitsPerSecond: Math.round((units * 1000) / Math.max(elapsedMs, 1)),
    latency: summarize(latencies),
    samples: latencies,
  };
}

/** Times one async call, in milliseconds. */
export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}
