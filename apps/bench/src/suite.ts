import { loadavg } from 'node:os';
import type pg from 'pg';
import { b1Heartbeats } from './benchmarks/b1Heartbeats.ts';
import { b2DeviceQuery } from './benchmarks/b2DeviceQuery.ts';
import { b3Sweep } from './benchmarks/b3Sweep.ts';
import { b4Subscriptions } from './benchmarks/b4Subscriptions.ts';
import { b5Overhead } from './benchmarks/b5Overhead.ts';
import { b6Dashboard } from './benchmarks/b6Dashboard.ts';
import { createFleet, type BenchTarget } from './environment.ts';
import { BENCH_ADMIN_KEY } from './fixtures.ts';
import { createJsonClient } from './httpClient.ts';
import { probeSchema } from './schemaProbe.ts';
import { round } from './stats.ts';
import type { BenchId, BenchResult, Benchmark } from './types.ts';

/** Every benchmark, in the order they run. */
export const BENCHMARKS: Benchmark[] = [
  b5Overhead,
  b1Heartbeats,
  b2DeviceQuery,
  b3Sweep,
  b4Subscriptions,
  b6Dashboard,
];

/** What to run. */
export interface SuiteOptions {
  sizes: number[];
  only?: BenchId[];
  smoke: boolean;
  /** Called as each result is ready (progress output). */
  onResult?: (result: BenchResult) => void;
  onProgress?: (message: string) => void;
}

/** One fleet size's results, with what loading it took. */
export interface SizeRun {
  size: number;
  fixtureLoadMs: number;
  results: BenchResult[];
}

/**
 * Vacuums and analyzes the fleet's database, so that each benchmark starts
 * from the same settled state instead of running beside autovacuum's
 * clean-up of the one before (B1 rewrites 130,000 status rows at 100,000
 * devices). Returns how long it took, in milliseconds.
 */
async function settle(pool: pg.Pool): Promise<number> {
  const t0 = performance.now();
  await pool.query('VACUUM ANALYZE');
  return Math.round(performance.now() - t0);
}

/**
 * Runs the selected benchmarks at each size on `target`: one fresh
 * database per size, loaded with the fixture fleet, and one Rollcall
 * child and one child per peer for all the benchmarks of that size.
 */
export async function runSuite(
  target: BenchTarget,
  options: SuiteOptions,
): Promise<SizeRun[]> {
  const selected = BENCHMARKS.filter(
    (b) => !options.only || options.only.includes(b.id),
  );
  const runs: SizeRun[] = [];
  for (const size of options.sizes) {
    options.onProgress?.(`loading ${size} devices on ${target.kind}`);
    const fleet = await createFleet(target, size);
    const results: BenchResult[] = [];
    try {
      const [rollcall, httpPeer, wsPeer] = await Promise.all([
        fleet.start('rollcall'),
        fleet.start('http-peer'),
        fleet.start('ws-peer'),
      ]);
      const admin = createJsonClient(rollcall.url, 4);
      const schema = await probeSchema(admin, BENCH_ADMIN_KEY);
      for (const benchmark of selected) {
        options.onProgress?.(`${benchmark.id} at ${size}`);
        const base: BenchResult = {
          id: benchmark.id,
          title: benchmark.title,
          size,
          status: 'ok',
          figures: {},
          goals: [],
          agreement: [],
          notes: [],
        };
        let result: BenchResult;
        const settleMs = await settle(fleet.database.pool);
        const loadBefore = loadavg()[0] ?? 0;
        try {
          const partial = await benchmark.run({
            fleet,
            rollcall,
            httpPeer,
            wsPeer,
            schema,
            smoke: options.smoke,
            admin,
          });
          result = { ...base, ...partial };
        } catch (error) {
          result = {
            ...base,
            status: 'failed',
            reason: error instanceof Error ? error.message : String(error),
          };
        }
        result.loadAverage = [round(loadBefore), round(loadavg()[0] ?? 0)];
        result.notes.push(
          `started on a settled database (VACUUM ANALYZE, ${settleMs} ms)`,
        );
        results.push(result);
        options.onResult?.(result);
      }
      admin.close();
    } finally {
      await fleet.close();
    }
    runs.push({ size, fixtureLoadMs: fleet.loadMs, results });
  }
  return runs;
}
