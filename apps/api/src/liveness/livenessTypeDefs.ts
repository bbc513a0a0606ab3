/** SDL of heartbeats, fleet health and heartbeat history. */
export const livenessTypeDefs = /* GraphQL */ `
  "The spec's heartbeat metrics block; every field optional."
  input HeartbeatMetrics {
    cpuPercent: Float
    memoryUsedMb: Float
    memoryTotalMb: Float
    diskFreeMb: Float
    gpuPercent: Float
    temperatureCpuC: Float
    temperatureGpuC: Float
    uptimeSeconds: Float
    errorCountLastHour: Int
    inferenceLatencyP95Ms: Float
  }

  "Hardware as the device detects it, compared by registry sync."
  input ReportedHardwareInput {
    type: String
    architecture: String
    cpuCores: Int
    ramMb: Int
    gpu: String
    diskTotalMb: Int
    hasGpu: Boolean
    storageType: String
    cameras: [String!]
    sensors: [String!]
  }

  "Software as the device detects it, compared by registry sync."
  input ReportedSoftwareInput {
    os: String
    kernel: String
    jetpackVersion: String
    cudaVersion: String
    containerRuntime: String
    containerRuntimeVersion: String
  }

  input HeartbeatInput {
    deviceId: ID!
    "The device's clock: stored, never used for liveness."
    timestamp: DateTime
    """
    Moves a HEALTHY, DEGRADED or OFFLINE device (FAILED from any of them).
    A device in FAILED, MAINTENANCE or PROVISIONING stays there whatever it
    reports, since only an operator moves it out; the heartbeat still
    counts for liveness and is stored with its status.
    """
    status: ReportedStatus!
    appVersion: String
    """
    Increasing per device (a restart may start again from 0): a repeated
    sequence is applied once, an older one arriving late changes nothing.
    """
    sequence: Float
    metrics: HeartbeatMetrics
    degradationReason: String
    hardware: ReportedHardwareInput
    software: ReportedSoftwareInput
  }

  "A version the device must run, from a deployment or the catch-up queue."
  type DeviceInstruction {
    deploymentId: String
    targetVersion: String!
    artifact: String
  }

  type HeartbeatAck {
    deviceId: ID!
    "True when this heartbeat was applied now."
    accepted: Boolean!
    "True when a heartbeat with this sequence was applied before."
    duplicate: Boolean!
    """
    Why the heartbeat was not applied (a duplicate or an older heartbeat,
    and how a restarted device is told apart); null when accepted.
    """
    notAppliedReason: String
    "The device's registry state after this heartbeat."
    state: DeviceState!
    offlineTier: OfflineTier
    "The device's expected heartbeat interval, in seconds."
    nextHeartbeatSeconds: Int!
    "What the device must do; null when it runs what it should."
    instruction: DeviceInstruction
  }

  type HeartbeatError {
    "UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, RATE_LIMITED or DEVICE_DECOMMISSIONED."
    code: String!
    message: String!
  }

  "One entry of a batch: its ack, or its error."
  type HeartbeatBatchResult {
    deviceId: ID!
    ack: HeartbeatAck
    error: HeartbeatError
  }

  "A stored heartbeat; status is refused for a decommissioned device."
  type HeartbeatRecord {
    id: ID!
    deviceId: ID!
    receivedAt: DateTime!
    deviceTime: DateTime
    sequence: Float
    status: String!
    appVersion: String
    "The metrics block with the spec's snake_case keys."
    metrics: JSON
    "The reason the device gave with this heartbeat (degradationReason)."
    degradationReason: String
  }

  type HeartbeatRecordEdge {
    cursor: String!
    node: HeartbeatRecord!
  }

  type HeartbeatRecordConnection {
    edges: [HeartbeatRecordEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type StateCount {
    state: DeviceState!
    count: Int!
  }

  type TierCount {
    tier: OfflineTier!
    count: Int!
  }

  type FleetHealth {
    at: DateTime!
    "Every device selected, decommissioned ones included."
    total: Int!
    "Neither decommissioned nor flagged for decommission review."
    activeFleetSize: Int!
    "Every state, zeros included, over all devices selected."
    byState: [StateCount!]!
    "Every state over the active fleet."
    activeByState: [StateCount!]!
    "Every tier, zeros included, over offline devices."
    byTier: [TierCount!]!
  }

  type FleetHealthPoint {
    at: DateTime!
    counts: [StateCount!]!
  }

  type FleetHealthHistory {
    "Minutes between points: 10 up to 24 hours, 60 beyond."
    stepMinutes: Int!
    "Oldest first; the last point is now."
    points: [FleetHealthPoint!]!
  }

  extend type Query {
    "Counts by state and tier, and the active fleet size; where is a tag query."
    fleetHealth(where: String): FleetHealth!
    "Counts by state over the last hours, for the dashboard's chart (max 720)."
    fleetHealthHistory(hours: Int = 24): FleetHealthHistory!
    "A device's heartbeat history, newest first."
    heartbeats(
      deviceId: ID!
      first: Int
      after: String
    ): HeartbeatRecordConnection!
  }

  extend type Mutation {
    "A device's heartbeat, sent with its own token."
    heartbeat(input: HeartbeatInput!): HeartbeatAck!
    """
    Heartbeats for many devices: from a gateway's token, for itself and
    every device tagged gateway=<gateway id>; or from an operator key.
    Each entry is checked on its own.
    """
    heartbeatBatch(inputs: [HeartbeatInput!]!): [HeartbeatBatchResult!]!
  }
`;
