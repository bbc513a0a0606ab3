import type {
  DeviceState,
  HeartbeatMetrics,
  OfflineTier,
  ReportedStatus,
} from '@rollcall/fleet';
import type { ErrorCode } from '../errors.ts';
import type { DeviceInstruction } from './heartbeatObserver.ts';

/** Hardware a device reports about itself, in the record's field names. */
export interface ReportedHardware {
  hardwareType?: string | null;
  architecture?: string | null;
  cpuCores?: number | null;
  ramMb?: number | null;
  gpu?: string | null;
  diskTotalMb?: number | null;
  hasGpu?: boolean | null;
  storageType?: string | null;
  cameras?: string[] | null;
  sensors?: string[] | null;
}

/** Software a device reports about itself, in the record's field names. */
export interface ReportedSoftware {
  os?: string | null;
  kernel?: string | null;
  jetpackVersion?: string | null;
  cudaVersion?: string | null;
  containerRuntime?: string | null;
  containerRuntimeVersion?: string | null;
}

/** Who sent a heartbeat, checked inside the batch's transaction. */
export type HeartbeatReporter =
  | { kind: 'device'; tokenId: string }
  | { kind: 'gateway'; gatewayId: string; tokenId: string }
  | { kind: 'operator'; actor: string };

/** One validated heartbeat, stamped with the server's receive time. */
export interface HeartbeatEntry {
  deviceId: string;
  /** Server receive time: the only time liveness is judged by. */
  receivedAt: Date;
  /** The device's own timestamp: stored, never trusted. */
  deviceTime: Date | null;
  status: ReportedStatus;
  appVersion: string | null;
  sequence: number | null;
  metrics: HeartbeatMetrics | null;
  degradationReason: string | null;
  hardware: ReportedHardware | null;
  software: ReportedSoftware | null;
  reporter: HeartbeatReporter;
  /** Recorded as the transition actor. */
  actor: string;
}

/** The narrow liveness row of one device, as the ingest reads it. */
export interface LivenessRow {
  deviceId: string;
  state: DeviceState;
  stateSince: Date;
  connectivity: string;
  lastHeartbeatAt: Date | null;
  lastDeviceTime: Date | null;
  lastSequence: number | null;
  reportedStatus: string | null;
  appVersion: string | null;
  uptimeSeconds: number | null;
  metrics: HeartbeatMetrics | null;
  dueAt: Date | null;
  offlineSince: Date | null;
  offlineTier: OfflineTier | null;
  tierSince: Date | null;
  lastKnownState: DeviceState | null;
}

/** The answer a device gets for one heartbeat. */
export interface HeartbeatAck {
  deviceId: string;
  /** True when this heartbeat was applied now. */
  accepted: boolean;
  /** True when the same sequence was applied before. */
  duplicate: boolean;
  /** Why it was not applied; null when accepted. */
  notAppliedReason: string | null;
  state: DeviceState;
  offlineTier: OfflineTier | null;
  nextHeartbeatSeconds: number;
  instruction: DeviceInstruction | null;
}

/** A refused heartbeat, with the code a client branches on. */
export interface HeartbeatFailure {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** What the ingest writer answers for one entry. */
export type HeartbeatResult =
  | { kind: 'ack'; ack: HeartbeatAck }
  | { kind: 'error'; error: HeartbeatFailure };
