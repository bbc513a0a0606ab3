import { describe, expect, it } from 'vitest';

import {
  DEFAULT_HEALTH_THRESHOLDS,
  describeViolations,
  metricsWithinThresholds,
} from '../src/index.ts';
import type { HeartbeatMetrics, MetricViolation } from '../src/index.ts';

const NOMINAL: HeartbeatMetrics = {
  cpu_percent: 45.2,
  memory_used_mb: 4200,
  memory_total_mb: 8192,
  disk_free_mb: 32000,
  gpu_percent: 72.1,
  temperature_cpu_c: 52.3,
  temperature_gpu_c: 55.1,
  uptime_seconds: 72000,
  error_count_last_hour: 0,
  inference_latency_p95_ms: 12.4,
};

function violations(change: HeartbeatMetrics): MetricViolation[] {
  return metricsWithinThresholds({ ...NOMINAL, ...change });
}

describe('metricsWithinThresholds', () => {
  const cases: [string, HeartbeatMetrics, MetricViolation[]][] = [
    ['the spec example payload', {}, []],
    [
      'CPU above 90 %',
      { cpu_percent: 90.5 },
      [{ metric: 'cpu_percent', value: 90.5, limit: 90, bound: 'above' }],
    ],
    ['CPU exactly at its limit', { cpu_percent: 90 }, []],
    [
      'a hot CPU',
      { temperature_cpu_c: 81 },
      [{ metric: 'temperature_cpu_c', value: 81, limit: 80, bound: 'above' }],
    ],
    [
      'a hot GPU',
      { temperature_gpu_c: 86 },
      [{ metric: 'temperature_gpu_c', value: 86, limit: 85, bound: 'above' }],
    ],
    [
      'low disk',
      { disk_free_mb: 1023 },
      [{ metric: 'disk_free_mb', value: 1023, limit: 1024, bound: 'below' }],
    ],
    ['disk exactly at its limit', { disk_free_mb: 1024 }, []],
    [
      'memory above 90 % used',
      { memory_used_mb: 7500 },
      [
        {
          metric: 'memory_used_ratio',
          value: 7500 / 8192,
          limit: 0.9,
          bound: 'above',
        },
      ],
    ],
    ['memory without a total', { memory_total_mb: null }, []],
    ['memory with a zero total', { memory_total_mb: 0 }, []],
    [
      'too many errors',
      { error_count_last_hour: 11 },
      [
        {
          metric: 'error_count_last_hour',
          value: 11,
          limit: 10,
          bound: 'above',
        },
      ],
    ],
    ['a busy GPU, unchecked by default', { gpu_percent: 100 }, []],
    ['a non-finite value, not judged', { cpu_percent: Number.NaN }, []],
    ['a metric left out, not judged', { temperature_gpu_c: undefined }, []],
    [
      'several at once, in metric order',
      { disk_free_mb: 10, cpu_percent: 99 },
      [
        { metric: 'cpu_percent', value: 99, limit: 90, bound: 'above' },
        { metric: 'disk_free_mb', value: 10, limit: 1024, bound: 'below' },
      ],
    ],
  ];

  it.each(cases)('judges %s', (_name, change, expected) => {
    expect(violations(change)).toEqual(expected);
  });

  it('checks an enabled latency limit and skips a disabled CPU one', () => {
    const thresholds = {
      ...DEFAULT_HEALTH_THRESHOLDS,
      maxCpuPercent: null,
      maxInferenceLatencyP95Ms: 10,
    };
    expect(
      metricsWithinThresholds({ ...NOMINAL, cpu_percent: 99 }, thresholds),
    ).toEqual([
      {
        metric: 'inference_latency_p95_ms',
        value: 12.4,
        limit: 10,
        bound: 'above',
      },
    ]);
  });

  it('finds nothing in an empty metrics block', () => {
    expect(metricsWithinThresholds({})).toEqual([]);
  });
});

describe('describeViolations', () => {
  it('joins violations with rounded values', () => {
    expect(
      describeViolations([
        { metric: 'cpu_percent', value: 97, limit: 90, bound: 'above' },
        {
          metric: 'memory_used_ratio',
          value: 0.95123,
          limit: 0.9,
          bound: 'above',
        },
      ]),
    ).toBe('cpu_percent 97 above 90; memory_used_ratio 0.951 above 0.9');
  });

  it('is empty for no violations', () => {
    expect(describeViolations([])).toBe('');
  });
});
