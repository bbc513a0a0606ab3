import type { HeartbeatMetrics, ReportedStatus } from '@rollcall/fleet';
import { RollcallError } from '../errors.ts';
import { hasForbiddenCharacter } from '../server/inputLimits.ts';
import type { ReportedHardware, ReportedSoftware } from './heartbeatTypes.ts';

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

const METRIC_KEYS: ReadonlyArray<
  [keyof HeartbeatMetricsInput, keyof HeartbeatMetrics]
> = [
  ['cpuPercent', 'cpu_percent'],
  ['memoryUsedMb', 'memory_used_mb'],
  ['memoryTotalMb', 'memory_total_mb'],
  ['diskFreeMb', 'disk_free_mb'],
  ['gpuPercent', 'gpu_percent'],
  ['temperatureCpuC', 'temperature_cpu_c'],
  ['temperatureGpuC', 'temperature_gpu_c'],
  ['uptimeSeconds', 'uptime_seconds'],
  ['errorCountLastHour', 'error_count_last_hour'],
  ['inferenceLatencyP95Ms', 'inference_latency_p95_ms'],
];

const MAX_TEXT = 200;

function invalid(field: string, message: string): RollcallError {
  return new RollcallError('BAD_USER_INPUT', `${field}: ${message}`, { field });
}

function text(field: string, value: string | null | undefined, max = MAX_TEXT) {
  if (value === null || value === undefined) return null;
  if (value.length > max) throw invalid(field, `at most ${max} characters`);
  if (hasForbiddenCharacter(value, { isMultiline: true })) {
    throw invalid(field, 'contains a control or invisible character');
  }

  return value;
}

/**
 * The metrics block in the spec's snake_case keys (what fleet's rules and
 * the history store), keeping only reported values. Negative or
 * non-finite values are refused: they would corrupt thresholds.
 */
function parseMetrics(input: HeartbeatMetricsInput | null | undefined) {
  if (!input) return null;

  const metrics: HeartbeatMetrics = {};
  for (const [from, to] of METRIC_KEYS) {
    const value = input[from];
    if (value === null || value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw invalid(`metrics.${from}`, 'must be a finite number >= 0');
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
    throw invalid('sequence', 'must be a whole number >= 0');
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
    hardware: input.hardware ? { ...input.hardware } : null,
    software: input.software ? { ...input.software } : null,
  };
}
