import type { HeartbeatEntry } from '../../src/liveness/heartbeatTypes.ts';

/**
 * A HEALTHY heartbeat an operator submits for `deviceId`, with no metrics
 * or inventory, for tests that drive the ingest writer directly.
 */
export function operatorHeartbeat(
  deviceId: string,
  receivedAt: Date,
  overrides: Partial<HeartbeatEntry> = {},
): HeartbeatEntry {
  return {
    deviceId,
    receivedAt,
    deviceTime: null,
    status: 'healthy',
    appVersion: null,
    sequence: null,
    metrics: null,
    degradationReason: null,
    hardware: null,
    software: null,
    reporter: { kind: 'operator', actor: 'test' },
    actor: 'test',
    ...overrides,
  };
}
