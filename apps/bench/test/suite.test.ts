import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type BenchTarget } from '../src/environment.ts';
import { BENCHMARKS, runSuite } from '../src/suite.ts';
import type { BenchId, BenchResult } from '../src/types.ts';

const SMOKE_SIZE = 300;
const WEB_INDEX = fileURLToPath(
  new URL('../../web/dist/index.html', import.meta.url),
);

let target: BenchTarget;
let results: BenchResult[] = [];

beforeAll(async () => {
  // B6 measures the built dashboard; build it when nobody has yet.
  if (!existsSync(WEB_INDEX)) {
    execFileSync('pnpm', ['--filter', '@rollcall/web', 'build'], {
      stdio: 'ignore',
      timeout: 180_000,
    });
  }
  const external = process.env.TEST_DATABASE_URL;
  target = await startTarget(external ? 'external' : 'embedded', external);
  const [run] = await runSuite(target, { sizes: [SMOKE_SIZE], smoke: true });
  results = run?.results ?? [];
}, 600_000);

afterAll(async () => {
  await target?.stop();
}, 60_000);

function resultOf(id: BenchId): BenchResult {
  const result = results.find((r) => r.id === id);
  if (!result) throw new Error(`${id} produced no result`);
  return result;
}

const ids = BENCHMARKS.map((b) => b.id);

// Smoke size only: these prove each benchmark still runs end to end and
// that Rollcall and its peer computed the same thing. No timing is
// asserted; timings at this size mean nothing.
describe('benchmark suite at smoke size', () => {
  it.each(ids)('%s runs and produces numeric figures', (id) => {
    const result = resultOf(id);
    expect({ status: result.status, reason: result.reason }).toEqual({
      status: 'ok',
      reason: undefined,
    });
    const figures = Object.values(result.figures);
    expect(figures.length).toBeGreaterThan(0);
    expect(figures.filter((v) => typeof v !== 'number')).toEqual([]);
    expect(result.goals.length).toBeGreaterThan(0);
  });

  it.each(ids)('%s: Rollcall and its peer agree on the results', (id) => {
    const { agreement } = resultOf(id);
    expect(agreement.length).toBeGreaterThan(0);
    expect(agreement.map((a) => ({ what: a.what, value: a.ours }))).toEqual(
      agreement.map((a) => ({ what: a.what, value: a.peer })),
    );
  });
});
