import { describe, expect, it } from 'vitest';
import { fieldLabel } from '../src/components/labels.ts';

describe('fieldLabel', () => {
  it('writes record fields in sentence case with acronyms and units', () => {
    expect(
      [
        'identity',
        'ipAddress',
        'ramMb',
        'cpuCores',
        'hasGpu',
        'heartbeatIntervalSeconds',
        'jetpackVersion',
        'serialNumber',
      ].map(fieldLabel),
    ).toEqual([
      'Identity',
      'IP address',
      'RAM (MB)',
      'CPU cores',
      'Has GPU',
      'Heartbeat interval (s)',
      'JetPack version',
      'Serial number',
    ]);
  });

  it('labels metrics in either case style with their units', () => {
    expect(
      [
        'cpu_percent',
        'memoryUsedMb',
        'temperature_gpu_c',
        'inferenceLatencyP95Ms',
        'error_count_last_hour',
      ].map(fieldLabel),
    ).toEqual([
      'CPU (%)',
      'Memory used (MB)',
      'Temperature GPU (°C)',
      'Inference latency P95 (ms)',
      'Error count last hour',
    ]);
  });
});
