/**
 * Health thresholds for heartbeat metrics: when a DEGRADED device that
 * reports healthy is really back to HEALTHY, and what to say about a
 * degraded one. Metric names are the spec's heartbeat payload keys.
 */

/** The spec's heartbeat `metrics` block; every field may be missing. */
export interface HeartbeatMetrics {
  cpu_percent?: number | null;
  memory_used_mb?: number | null;
  memory_total_mb?: number | null;
  disk_free_mb?: number | null;
  gpu_percent?: number | null;
  temperature_cpu_c?: number | null;
  temperature_gpu_c?: number | null;
  uptime_seconds?: number | null;
  error_count_last_hour?: number | null;
  inference_latency_p95_ms?: number | null;
}

/** Limits on heartbeat metrics; a null limit is not checked. */
export interface HealthThresholds {
  /** Highest healthy CPU load, percent. */
  maxCpuPercent: number | null;
  /** Highest healthy GPU load, percent. */
  maxGpuPercent: number | null;
  /** Highest healthy CPU temperature, degrees Celsius. */
  maxTemperatureCpuC: number | null;
  /** Highest healthy GPU temperature, degrees Celsius. */
  maxTemperatureGpuC: number | null;
  /** Lowest healthy free disk, MB. */
  minDiskFreeMb: number | null;
  /** Highest healthy `memory_used_mb / memory_total_mb`, 0 to 1. */
  maxMemoryUsedRatio: number | null;
  /** Highest healthy error count in the last hour. */
  maxErrorCountLastHour: number | null;
  /** Highest healthy p95 inference latency, milliseconds. */
  maxInferenceLatencyP95Ms: number | null;
}

/**
 * Default thresholds: CPU 90 %, CPU 80 °C, GPU 85 °C, free disk 1024 MB,
 * memory 90 % used, 10 errors in the last hour. GPU load and inference
 * latency are workload-specific, so unchecked by default.
 */
export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  maxCpuPercent: 90,
  maxGpuPercent: null,
  maxTemperatureCpuC: 80,
  maxTemperatureGpuC: 85,
  minDiskFreeMb: 1024,
  maxMemoryUsedRatio: 0.9,
  maxErrorCountLastHour: 10,
  maxInferenceLatencyP95Ms: null,
};

/** Metric names a violation can name; `memory_used_ratio` is derived. */
export type ThresholdMetric =
  | 'cpu_percent'
  | 'gpu_percent'
  | 'temperature_cpu_c'
  | 'temperature_gpu_c'
  | 'disk_free_mb'
  | 'memory_used_ratio'
  | 'error_count_last_hour'
  | 'inference_latency_p95_ms';

/** One metric outside its threshold. */
export interface MetricViolation {
  metric: ThresholdMetric;
  value: number;
  limit: number;
  /** `above` a maximum or `below` a minimum. */
  bound: 'above' | 'below';
}

interface Check {
  metric: ThresholdMetric;
  value: (metrics: HeartbeatMetrics) => number | null | undefined;
  limit: (thresholds: HealthThresholds) => number | null;
  bound: 'above' | 'below';
}

function memoryUsedRatio(metrics: HeartbeatMetrics): number | null {
  const used = metrics.memory_used_mb;
  const total = metrics.memory_total_mb;
  if (!isReported(used) || !isReported(total) || total <= 0) return null;

  return used / total;
}

const CHECKS: readonly Check[] = [
  {
    metric: 'cpu_percent',
    value: (m) => m.cpu_percent,
    limit: (t) => t.maxCpuPercent,
    bound: 'above',
  },
  {
    metric: 'gpu_percent',
    value: (m) => m.gpu_percent,
    limit: (t) => t.maxGpuPercent,
    bound: 'above',
  },
  {
    metric: 'temperature_cpu_c',
    value: (m) => m.temperature_cpu_c,
    limit: (t) => t.maxTemperatureCpuC,
    bound: 'above',
  },
  {
    metric: 'temperature_gpu_c',
    value: (m) => m.temperature_gpu_c,
    limit: (t) => t.maxTemperatureGpuC,
    bound: 'above',
  },
  {
    metric: 'disk_free_mb',
    value: (m) => m.disk_free_mb,
    limit: (t) => t.minDiskFreeMb,
    bound: 'below',
  },
  {
    metric: 'memory_used_ratio',
    value: memoryUsedRatio,
    limit: (t) => t.maxMemoryUsedRatio,
    bound: 'above',
  },
  {
    metric: 'error_count_last_hour',
    value: (m) => m.error_count_last_hour,
    limit: (t) => t.maxErrorCountLastHour,
    bound: 'above',
  },
  {
    metric: 'inference_latency_p95_ms',
    value: (m) => m.inference_latency_p95_ms,
    limit: (t) => t.maxInferenceLatencyP95Ms,
    bound: 'above',
  },
];

function isReported(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The metrics outside `thresholds` (default `DEFAULT_HEALTH_THRESHOLDS`),
 * in the order of `ThresholdMetric`; empty when all are within. A value
 * equal to its limit is within. A metric the device did not report (or
 * reported as a non-finite number) is not judged: a Raspberry Pi has no GPU
 * temperature.
 */
export function metricsWithinThresholds(
  metrics: HeartbeatMetrics,
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): MetricViolation[] {
  const violations: MetricViolation[] = [];
  for (const check of CHECKS) {
    const value = check.value(metrics);
    const limit = check.limit(thresholds);
    if (!isReported(value) || limit === null) continue;

    const outside = check.bound === 'above' ? value > limit : value < limit;
    if (outside) {
      violations.push({
        metric: check.metric,
        value,
        limit,
        bound: check.bound,
      });
    }
  }
  return violations;
}

/**
 * A violation list as text for a transition reason, such as
 * `cpu_percent 97 above 90; disk_free_mb 300 below 1024`, values rounded to
 * three decimals. Empty string for an empty list.
 */
export function describeViolations(
  violations: readonly MetricViolation[],
): string {
  return violations
    .map((v) => `${v.metric} ${format(v.value)} ${v.bound} ${v.limit}`)
    .join('; ');
}

function format(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
