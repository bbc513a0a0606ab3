import { describe, expect, it } from 'vitest';

import { decideHeartbeat } from '../src/index.ts';
import type {
  DeviceState,
  HeartbeatApplied,
  HeartbeatDecision,
  HeartbeatMetrics,
  ReportedStatus,
} from '../src/index.ts';

const GOOD: HeartbeatMetrics = {
  cpu_percent: 40,
  memory_used_mb: 4000,
  memory_total_mb: 8192,
  disk_free_mb: 32000,
  temperature_cpu_c: 50,
  error_count_last_hour: 0,
};

const HOT: HeartbeatMetrics = { ...GOOD, temperature_cpu_c: 91 };

const HOT_VIOLATION = {
  metric: 'temperature_cpu_c',
  value: 91,
  limit: 80,
  bound: 'above',
} as const;

function applied(
  current: DeviceState,
  next: DeviceState,
  reason: string | null,
  extra: Partial<HeartbeatApplied> = {},
): HeartbeatApplied {
  return {
    kind: 'applied',
    next,
    changed: next !== current,
    reason,
    violations: [],
    raiseAlert: false,
    quarantine: false,
    ...extra,
  };
}

const FAILED = { raiseAlert: true, quarantine: true };

type Case = [
  string,
  {
    current: DeviceState;
    reported: ReportedStatus;
    metrics?: HeartbeatMetrics | null;
    lastKnownState?: DeviceState | null;
    detail?: string;
  },
  HeartbeatDecision,
];

const cases: Case[] = [
  [
    'keeps a healthy device healthy',
    { current: 'healthy', reported: 'healthy', metrics: GOOD },
    applied('healthy', 'healthy', null),
  ],
  [
    'keeps a healthy device healthy even with hot metrics',
    { current: 'healthy', reported: 'healthy', metrics: HOT },
    applied('healthy', 'healthy', null, { violations: [HOT_VIOLATION] }),
  ],
  [
    'degrades a healthy device that reports degraded, with the metric reason',
    { current: 'healthy', reported: 'degraded', metrics: HOT },
    applied(
      'healthy',
      'degraded',
      'reported degraded: temperature_cpu_c 91 above 80',
      {
        violations: [HOT_VIOLATION],
      },
    ),
  ],
  [
    'degrades with the payload detail when no metric is out',
    {
      current: 'healthy',
      reported: 'degraded',
      metrics: GOOD,
      detail: 'camera dropped frames',
    },
    applied('healthy', 'degraded', 'reported degraded: camera dropped frames'),
  ],
  [
    'degrades with the payload detail and the metrics that are out',
    {
      current: 'healthy',
      reported: 'degraded',
      metrics: HOT,
      detail: 'fan stalled',
    },
    applied(
      'healthy',
      'degraded',
      'reported degraded: fan stalled (temperature_cpu_c 91 above 80)',
      { violations: [HOT_VIOLATION] },
    ),
  ],
  [
    'degrades with a bare reason when nothing explains it',
    { current: 'healthy', reported: 'degraded' },
    applied('healthy', 'degraded', 'reported degraded'),
  ],
  [
    'keeps a degraded device degraded and restates its reason',
    { current: 'degraded', reported: 'degraded', metrics: HOT },
    applied(
      'degraded',
      'degraded',
      'reported degraded: temperature_cpu_c 91 above 80',
      {
        violations: [HOT_VIOLATION],
      },
    ),
  ],
  [
    'returns a degraded device to healthy when metrics are within thresholds',
    { current: 'degraded', reported: 'healthy', metrics: GOOD },
    applied('degraded', 'healthy', 'metrics back within thresholds'),
  ],
  [
    'keeps a degraded device degraded when it reports healthy with hot metrics',
    { current: 'degraded', reported: 'healthy', metrics: HOT },
    applied(
      'degraded',
      'degraded',
      'reported healthy but metrics outside thresholds: temperature_cpu_c 91 above 80',
      { violations: [HOT_VIOLATION] },
    ),
  ],
  [
    'keeps a degraded device degraded when it reports healthy without metrics',
    { current: 'degraded', reported: 'healthy', metrics: null },
    applied(
      'degraded',
      'degraded',
      'reported healthy without metrics; recovery unconfirmed',
    ),
  ],
  [
    'fails a healthy device that reports failed, alerting and quarantining',
    { current: 'healthy', reported: 'failed', detail: 'crash loop' },
    applied('healthy', 'failed', 'reported failed: crash loop', FAILED),
  ],
  [
    'fails a degraded device that reports failed',
    { current: 'degraded', reported: 'failed' },
    applied('degraded', 'failed', 'reported failed', FAILED),
  ],
  [
    'keeps a failed device failed on a healthy report',
    { current: 'failed', reported: 'healthy', metrics: GOOD },
    applied(
      'failed',
      'failed',
      'reported healthy; FAILED is left only by operator repair',
    ),
  ],
  [
    'keeps a failed device failed on a repeated failure without a new alert',
    { current: 'failed', reported: 'failed' },
    applied('failed', 'failed', null, { quarantine: true }),
  ],
  [
    'returns an offline device to healthy',
    { current: 'offline', reported: 'healthy', metrics: GOOD },
    applied('offline', 'healthy', 'heartbeat resumed'),
  ],
  [
    'returns an offline device with no last known state to healthy',
    { current: 'offline', reported: 'healthy', lastKnownState: null },
    applied('offline', 'healthy', 'heartbeat resumed'),
  ],
  [
    'returns an offline device that reports degraded to degraded',
    { current: 'offline', reported: 'degraded', lastKnownState: 'healthy' },
    applied('offline', 'degraded', 'reported degraded'),
  ],
  [
    'returns an offline, formerly degraded device to healthy within thresholds',
    {
      current: 'offline',
      reported: 'healthy',
      metrics: GOOD,
      lastKnownState: 'degraded',
    },
    applied(
      'offline',
      'healthy',
      'heartbeat resumed; metrics within thresholds',
    ),
  ],
  [
    'returns an offline, formerly degraded device with hot metrics to degraded',
    {
      current: 'offline',
      reported: 'healthy',
      metrics: HOT,
      lastKnownState: 'degraded',
    },
    applied(
      'offline',
      'degraded',
      'reported healthy but metrics outside thresholds: temperature_cpu_c 91 above 80',
      { violations: [HOT_VIOLATION] },
    ),
  ],
  [
    'fails an offline device that returns reporting failed',
    { current: 'offline', reported: 'failed', lastKnownState: 'healthy' },
    applied('offline', 'failed', 'reported failed', FAILED),
  ],
  [
    'returns an offline, formerly failed device to failed on a healthy report',
    {
      current: 'offline',
      reported: 'healthy',
      metrics: GOOD,
      lastKnownState: 'failed',
    },
    applied(
      'offline',
      'failed',
      'heartbeat resumed; was FAILED before going offline; FAILED is left only by operator repair',
    ),
  ],
  [
    'returns an offline, formerly failed device reporting failed without a new alert',
    { current: 'offline', reported: 'failed', lastKnownState: 'failed' },
    applied(
      'offline',
      'failed',
      'heartbeat resumed; was FAILED before going offline; FAILED is left only by operator repair',
      { quarantine: true },
    ),
  ],
  [
    'returns an offline, formerly maintenance device to maintenance',
    { current: 'offline', reported: 'healthy', lastKnownState: 'maintenance' },
    applied(
      'offline',
      'maintenance',
      'heartbeat resumed; was MAINTENANCE before going offline; MAINTENANCE is left only by an operator',
    ),
  ],
  [
    'leaves a maintenance device in maintenance on a healthy report',
    { current: 'maintenance', reported: 'healthy', metrics: GOOD },
    applied('maintenance', 'maintenance', null),
  ],
  [
    'leaves a maintenance device in maintenance on a failed report, unalerted',
    { current: 'maintenance', reported: 'failed' },
    applied(
      'maintenance',
      'maintenance',
      'reported failed; MAINTENANCE is left only by an operator',
    ),
  ],
  [
    'leaves a provisioning device provisioning on a healthy report',
    { current: 'provisioning', reported: 'healthy', metrics: GOOD },
    applied('provisioning', 'provisioning', null),
  ],
  [
    'leaves a provisioning device provisioning on a failed report',
    { current: 'provisioning', reported: 'failed' },
    applied(
      'provisioning',
      'provisioning',
      'reported failed; PROVISIONING is left only by an operator',
    ),
  ],
  [
    'refuses a heartbeat from a decommissioned device',
    { current: 'decommissioned', reported: 'healthy', metrics: GOOD },
    {
      kind: 'refused',
      code: 'DEVICE_DECOMMISSIONED',
      message: 'device is decommissioned; heartbeat refused',
    },
  ],
];

describe('decideHeartbeat', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(decideHeartbeat(input)).toEqual(expected);
  });

  it('applies the thresholds it is given', () => {
    const lenient = {
      maxCpuPercent: null,
      maxGpuPercent: null,
      maxTemperatureCpuC: 95,
      maxTemperatureGpuC: null,
      minDiskFreeMb: null,
      maxMemoryUsedRatio: null,
      maxErrorCountLastHour: null,
      maxInferenceLatencyP95Ms: null,
    };
    expect(
      decideHeartbeat({
        current: 'degraded',
        reported: 'healthy',
        metrics: HOT,
        thresholds: lenient,
      }),
    ).toEqual(applied('degraded', 'healthy', 'metrics back within thresholds'));
  });
});
