import { fixtureDeviceId, fixtureToken } from '../fixtures.ts';

/** Fixture indices (1-based) of devices loaded healthy (see loadFixture). */
export function healthyIndices(size: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= size; i += 1) {
    if (i % 25 !== 0 && (i * 13) % 10 !== 0) out.push(i);
  }
  return out;
}

let sequence = Date.now();

/** A HEALTHY heartbeat for fixture device `index`, metrics within limits. */
export function heartbeatInput(index: number) {
  sequence += 1;
  return {
    deviceId: fixtureDeviceId(index),
    timestamp: new Date().toISOString(),
    status: 'HEALTHY',
    appVersion: '2.3.0',
    sequence,
    metrics: {
      cpuPercent: 35.5,
      memoryUsedMb: 3000,
      memoryTotalMb: 8192,
      diskFreeMb: 30000,
      gpuPercent: 40,
      temperatureCpuC: 51.5,
      temperatureGpuC: 54,
      uptimeSeconds: 100000,
      errorCountLastHour: 0,
      inferenceLatencyP95Ms: 12.5,
    },
  };
}

/** The body of one device heartbeat with the device's own token. */
export function singleHeartbeat(index: number): {
  body: { query: string; variables: Record<string, unknown> };
  token: string;
} {
  return {
    body: {
      query: `mutation Heartbeat($input: HeartbeatInput!) {
        heartbeat(input: $input) { accepted duplicate state } }`,
      variables: { input: heartbeatInput(index) },
    },
    token: fixtureToken(index),
  };
}

/** The body of one operator batch for `indices`. */
export function batchHeartbeat(indices: number[]): {
  query: string;
  variables: Record<string, unknown>;
} {
  return {
    query: `mutation Batch($inputs: [HeartbeatInput!]!) {
      heartbeatBatch(inputs: $inputs) {
        deviceId ack { accepted } error { code message } } }`,
    variables: { inputs: indices.map(heartbeatInput) },
  };
}

/** What a heartbeat answer says, whichever server gave it. */
export interface HeartbeatAnswer {
  data?: {
    heartbeat?: { accepted: boolean };
    heartbeatBatch?: Array<{
      ack?: { accepted: boolean } | null;
      accepted?: boolean;
      error?: { code: string; message: string } | null;
    }>;
  } | null;
  errors?: Array<{ message: string }>;
}

/** Accepted heartbeats in an answer; throws on a GraphQL error. */
export function acceptedIn(answer: HeartbeatAnswer): number {
  if (answer.errors?.length) throw new Error(answer.errors[0]!.message);
  if (answer.data?.heartbeat) return answer.data.heartbeat.accepted ? 1 : 0;
  const batch = answer.data?.heartbeatBatch ?? [];
  const failed = batch.find((entry) => entry.error);
  if (failed?.error)
    throw new Error(`${failed.error.code}: ${failed.error.message}`);
  return batch.filter((entry) => entry.ack?.accepted ?? entry.accepted).length;
}
