import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZES, parseArgs } from '../src/cli.ts';
import { quantile, summarize } from '../src/stats.ts';

describe('parseArgs', () => {
  it('runs every benchmark at 10,000 and 100,000 on embedded PostgreSQL by default', () => {
    expect(parseArgs([], {})).toEqual({
      sizes: DEFAULT_SIZES,
      only: null,
      smoke: false,
      targets: ['embedded'],
      out: null,
    });
  });

  it('reads sizes, a selection and the external target', () => {
    expect(
      parseArgs(
        ['--size', '10000,1_000_000', '--only=b2,B3', '--target', 'external'],
        {
          DATABASE_URL: 'postgresql://127.0.0.1/x',
        },
      ),
    ).toEqual({
      sizes: [10_000, 1_000_000],
      only: ['B2', 'B3'],
      smoke: false,
      targets: ['external'],
      out: null,
    });
  });

  it('adds the DATABASE_URL server as a second target when it is set', () => {
    expect(
      parseArgs(['--smoke'], { DATABASE_URL: 'postgresql://127.0.0.1/x' })
        .targets,
    ).toEqual(['embedded', 'external']);
  });

  it('refuses an unknown benchmark', () => {
    expect(() => parseArgs(['--only', 'B9'], {})).toThrow(
      'unknown benchmark B9',
    );
  });
});

describe('summarize', () => {
  it('takes nearest-rank quantiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(samples, 0.5)).toBe(50);
    expect(summarize(samples)).toEqual({
      count: 100,
      p50Ms: 50,
      p99Ms: 99,
      maxMs: 100,
    });
  });
});
