import type { HeartbeatMetrics, ReportedStatus } from '@rollcall/fleet';
import { RollcallError } from '../errors.ts';
import { hasForbiddenCharacter } from '../server/inputLimits.ts';
import type { ReportedHardware, ReportedSoftware } from './heartbeatTypes.ts';
import {
  parseReportedHardware,
  parseReportedSoftware,
} from './reportedInventory.ts';

/** The GraphQL `HeartbeatMetrics` input, camelCase. */
export interface HeartbeatMetricsInput {
  cpuPercent?: number | null;
  memoryUsedMb?: number | null;
  memoryTotalMb?: number | null;
  diskFreeMb?: number | null;
  gpuPercent?: number | null;
  temperatureCpuC?: number | null;
  temperatureGpuC?: number | null;
  uptimeSeconds?: number | null;
  errorCountLastHour?: number | null;
  inferenceLatencyP95Ms?: number | null;
}

/** The GraphQL `HeartbeatInput`, after scalar parsing. */
export interface HeartbeatInputArgs {
  deviceId: string;
  timestamp?: Date | null;
  status: ReportedStatus;
  appVersion?: string | null;
  sequence?: number | null;
  metrics?: HeartbeatMetricsInput | null;
  degradationReason?: string | null;
  hardware?: ReportedHardware | null;
  software?: ReportedSoftware | null;
}

/** A parsed heartbeat, before the server stamps its receive time. */
export interface ParsedHeartbeat {
  deviceId: string;
  deviceTime: Date | null;
  status: ReportedStatus;
  appVersion: string | null;
  sequence: number | null;
  metrics: HeartbeatMetrics | null;
  degradationReason: string | null;
  hardware: ReportedHardware | null;
  software: ReportedSoftware | null;
}

type MetricRange = [
  from: keyof HeartbeatMetricsInput,
  to: keyof HeartbeatMetrics,
  min: number,
  max: number,
];

const MAX_MB = 2 ** 31 - 1;

/**
 * Every metric with its accepted range (documented in ERROR_CODES.md):
 * percentages 0-100, sizes within the record's own MB limit, uptime up to
 * 100 years (stored as bigint), temperatures -100 to 200 °C (an outdoor
 * device reads below zero).
 */
export const METRIC_RANGES: readonly MetricRange[] = [
  ['cpuPercent', 'cpu_percent', 0, 100],
  ['memoryUsedMb', 'memory_used_mb', 0, MAX_MB],
  ['memoryTotalMb', 'memory_total_mb', 0, MAX_MB],
  ['diskFreeMb', 'disk_free_mb', 0, MAX_MB],
  ['gpuPercent', 'gpu_percent', 0, 100],
  ['temperatureCpuC', 'temperature_cpu_c', -100, 200],
  ['temperatureGpuC', 'temperature_gpu_c', -100, 200],
  ['uptimeSeconds', 'uptime_seconds', 0, 100 * 365 * 86_400],
  ['errorCountLastHour', 'error_count_last_hour', 0, 2 ** 31 - 1],
  ['inferenceLatencyP95Ms', 'inference_latency_p95_ms', 0, 86_400_000],
];

const MAX_TEXT = 200;

function invalid(
  field: string,
  message: string,
  extra: Record<string, unknown> = {},
): RollcallError {
  return new RollcallError('BAD_USER_INPUT', `${field}: ${message}`, {
    field,
    ...extra,
  });
}

function text(field: string, value: string | null | undefined, max = MAX_TEXT) {
  if (value === null || value === undefined) return null;
  if (value.length > max) {
    throw invalid(field, `at most ${max} characters`, { maxLength: max });
  }
  if (hasForbiddenCharacter(value, { isMultiline: true })) {
    throw invalid(field, 'contains a control or invisible character');
  }

  return value;
}

/**
 * The metrics block in the spec's snake_case keys (what fleet's rules and
 * the history store), keeping only reported values. A value outside its
 * range (or not finite) is refused: it would corrupt thresholds, and an
 * uptime beyond bigint would fail the whole ingest batch in PostgreSQL.
 */
function parseMetrics(input: HeartbeatMetricsInput | null | undefined) {
  if (!input) return null;

  const metrics: HeartbeatMetrics = {};
  for (const [from, to, min, max] of METRIC_RANGES) {
    const value = input[from];
    if (value === null || value === undefined) continue;
    if (!Number.isFinite(value) || value < min || value > max) {
      throw invalid(
        `metrics.${from}`,
        `must be a finite number from ${min} to ${max}`,
        { min, max },
      );
    }
    metrics[to] = value;
  }
  return metrics;
}

/** Validates one `HeartbeatInput`; throws BAD_USER_INPUT naming the field. */
export function parseHeartbeatInput(
  input: HeartbeatInputArgs,
): ParsedHeartbeat {
  if (!input.deviceId) throw invalid('deviceId', 'must not be empty');
  const sequence = input.sequence ?? null;
  if (sequence !== null && (!Number.isSafeInteger(sequence) || sequence < 0)) {
    throw invalid(
      'sequence',
      'must be a whole number from 0 to 9007199254740991 (2^53 - 1)',
    );
  }
  const timestamp = input.timestamp ?? null;

  return {
    deviceId: text('deviceId', input.deviceId)!,
    // A device clock may say anything; an unrepresentable one is dropped.
    deviceTime:
      timestamp && Math.abs(timestamp.getTime()) < 8.64e15 ? timestamp : null,
    status: input.status,
    appVersion: text('appVersion', input.appVersion),
    sequence,
    metrics: parseMetrics(input.metrics),
    degradationReason: text('degradationReason', input.degradationReason, 1000),
    hardware: parseReportedHardware(input.hardware),
    software: parseReportedSoftware(input.software),
  };
}
