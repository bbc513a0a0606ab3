import type {
  HeartbeatAck,
  HeartbeatInput,
  HeartbeatTransport,
} from './heartbeatTransport.ts';
import type { Scheduler } from '../scheduler.ts';

/** One device to simulate. */
export interface SimulatedDevice {
  deviceId: string;
  /** The device's own token (`Authorization: Bearer`). */
  token: string;
  hardwareType: string;
  ramMb?: number | null;
  /** Expected heartbeat interval, seconds (default 60). */
  intervalSeconds?: number;
  appVersion: string | null;
  /** Seconds the device has been up when the simulation starts. */
  uptimeSeconds?: number;
}

export interface RetrySettings {
  enabled: boolean;
  /** Retries after the first attempt (default 3). */
  count: number;
  /** First retry's wait, seconds (default 5); doubles each retry. */
  backoffSeconds: number;
}

export interface FleetSimulatorOptions {
  devices: SimulatedDevice[];
  transport: HeartbeatTransport;
  scheduler?: Scheduler;
  retry?: RetrySettings;
  /** Simulated time runs this many times faster (default 1). */
  timeScale?: number;
  /** Fraction of the interval each heartbeat may move early or late (default 0.1). */
  jitter?: number;
  /** Simulated time between an instruction and the new version, ms (default 30 000). */
  installDelayMs?: number;
  /** Seed of every random choice (default 1). */
  seed?: number;
  /** Send through `heartbeatBatch` with this token, in batches. */
  batch?: { token: string; maxSize?: number; windowMs?: number };
  /** Observer of what happens, for logs and tests. */
  onEvent?: (event: SimulatorEvent) => void;
}

export type SimulatorEvent =
  | {
      kind: 'acknowledged';
      deviceId: string;
      ack: HeartbeatAck;
      input: HeartbeatInput;
    }
  | { kind: 'retry'; deviceId: string; attempt: number; error: string }
  | { kind: 'failed'; deviceId: string; error: string; code: string }
  | { kind: 'installed'; deviceId: string; version: string }
  | { kind: 'stopped'; deviceId: string; reason: string };

export interface SimulatorStats {
  sent: number;
  acknowledged: number;
  duplicates: number;
  retries: number;
  failures: number;
  installs: number;
}

/** What a simulated device is doing now. */
export interface DeviceSnapshot {
  deviceId: string;
  appVersion: string | null;
  sequence: number;
  lastAck: HeartbeatAck | null;
  isSilent: boolean;
  isStopped: boolean;
}
