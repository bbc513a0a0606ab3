/** The deployments SDL (spec: "Group-Based Deployment Targeting"). */
export const deploymentTypeDefs = /* GraphQL */ `
  "planned → running ⇄ paused → completed | aborted"
  enum DeploymentState {
    PLANNED
    RUNNING
    PAUSED
    COMPLETED
    ABORTED
  }

  "A wave: pending, gated by approval, running, soaking, then completed."
  enum WaveState {
    PENDING
    AWAITING_APPROVAL
    RUNNING
    SOAKING
    COMPLETED
    ABORTED
  }

  "A device's part in a deployment; quarantined devices failed."
  enum DeviceDeploymentState {
    ASSIGNED
    SUCCEEDED
    QUARANTINED
    SKIPPED
    ABORTED
  }

  "How canaries are picked from the source group."
  enum CanarySelection {
    ONE_PER_DEVICE_TYPE
    RANDOM
    FIRST
  }

  input DeploymentTargetInput {
    groups: [String!]!
    excludeGroups: [String!]
  }

  input CanaryInput {
    sourceGroup: String!
    count: Int!
    "Default ONE_PER_DEVICE_TYPE."
    selection: CanarySelection
    "Soak after the canary wave, in minutes; default 0."
    soakMinutes: Int
  }

  input WaveInput {
    name: String!
    groups: [String!]!
    excludeGroups: [String!]
    "Share of the wave's groups, 1-100; default 100."
    percentage: Int
    "Soak after the wave, in minutes; default 0."
    soakMinutes: Int
    "The wave waits for approveWave before it starts; default false."
    requireApproval: Boolean
    "Devices silent this long fail, in minutes; default 60."
    timeoutMinutes: Int
  }

  "The spec's deployment manifest."
  input DeploymentManifestInput {
    "Such as inference-app:v2.3.1."
    artifact: String!
    "Default: the artifact's tag (v2.3.1 → 2.3.1)."
    targetVersion: String
    target: DeploymentTargetInput!
    canary: CanaryInput
    "Default: one wave, all, over the target."
    waves: [WaveInput!]
  }

  type DeploymentTarget {
    groups: [String!]!
    excludeGroups: [String!]!
  }

  type CanarySpec {
    sourceGroup: String!
    count: Int!
    selection: CanarySelection!
    soakMinutes: Int!
  }

  type WaveSpec {
    name: String!
    groups: [String!]!
    excludeGroups: [String!]!
    percentage: Int!
    soakMinutes: Int!
    requireApproval: Boolean!
    timeoutMinutes: Int!
  }

  type DeploymentManifest {
    artifact: String!
    targetVersion: String!
    target: DeploymentTarget!
    canary: CanarySpec
    waves: [WaveSpec!]!
  }

  type PlannedDevice {
    deviceId: String!
    hardwareType: String!
    state: DeviceState!
    "DEGRADED: eligible, deployed with caution."
    caution: Boolean!
    waveIndex: Int!
  }

  type ExcludedDevice {
    deviceId: String!
    "Null for a device a static group names but the registry lacks."
    state: DeviceState
    reason: String!
    lastHeartbeatAt: DateTime
  }

  type CanaryPassedOver {
    deviceId: String!
    reason: String!
  }

  type PlannedWave {
    index: Int!
    name: String!
    isCanary: Boolean!
    groups: [String!]!
    excludeGroups: [String!]!
    percentage: Int!
    soakMinutes: Int!
    requireApproval: Boolean!
    devices: [String!]!
    "Offline devices the wave would skip and queue for catch-up."
    offline: [String!]!
  }

  "What a deployment would do now; waves resolve again when they start."
  type DeploymentPlan {
    manifest: DeploymentManifest!
    targetCount: Int!
    eligible: [PlannedDevice!]!
    excluded: [ExcludedDevice!]!
    offlineCount: Int!
    "Set when more than 20 % of the target is offline."
    offlineWarning: String
    canary: [String!]!
    canaryPassedOver: [CanaryPassedOver!]!
    waves: [PlannedWave!]!
  }

  type DeploymentDevice {
    deviceId: String!
    waveIndex: Int!
    state: DeviceDeploymentState!
    targetVersion: String!
    fromVersion: String
    assignedAt: DateTime
    finishedAt: DateTime
    error: String
  }

  type DeploymentWave {
    index: Int!
    name: String!
    isCanary: Boolean!
    groups: [String!]!
    excludeGroups: [String!]!
    percentage: Int!
    soakMinutes: Int!
    requireApproval: Boolean!
    state: WaveState!
    startedAt: DateTime
    soakUntil: DateTime
    approvedBy: String
    approvedAt: DateTime
    completedAt: DateTime
    devices: [DeploymentDevice!]!
    succeeded: Int!
    "Quarantined devices."
    failed: Int!
    "Offline devices, outside success and failure."
    skipped: Int!
    pending: Int!
  }

  type Deployment {
    id: ID!
    artifact: String!
    targetVersion: String!
    state: DeploymentState!
    currentWave: Int
    createdBy: String!
    createdAt: DateTime!
    startedAt: DateTime
    finishedAt: DateTime
    manifest: DeploymentManifest!
    waves: [DeploymentWave!]!
    devices(state: DeviceDeploymentState): [DeploymentDevice!]!
  }

  type DeploymentEdge {
    cursor: String!
    node: Deployment!
  }

  type DeploymentConnection {
    edges: [DeploymentEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type DeploymentLogEntry {
    id: ID!
    deploymentId: String
    deviceId: String
    action: String!
    message: String!
    at: DateTime!
  }

  type DeploymentLogEdge {
    cursor: String!
    node: DeploymentLogEntry!
  }

  type DeploymentLogConnection {
    edges: [DeploymentLogEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type RollbackRequest {
    deviceId: String!
    fromVersion: String
    toVersion: String!
  }

  extend type Device {
    "This device's deployment log, oldest first."
    deploymentLog(first: Int, after: String): DeploymentLogConnection!
  }

  extend type Query {
    "Deployments, newest first (viewer)."
    deployments(
      first: Int
      after: String
      state: DeploymentState
    ): DeploymentConnection!
    deployment(id: ID!): Deployment
    "The deployment log of a deployment and/or a device (viewer)."
    deploymentLog(
      deploymentId: ID
      deviceId: ID
      first: Int
      after: String
    ): DeploymentLogConnection!
  }

  extend type Mutation {
    "Plans from GraphQL input or the spec's YAML, one of them (operator)."
    planDeployment(
      manifest: DeploymentManifestInput
      manifestYaml: String
    ): DeploymentPlan!
    "Stores a deployment (id deploy-YYYYMMDD-NNN), not yet started."
    createDeployment(
      manifest: DeploymentManifestInput
      manifestYaml: String
    ): Deployment!
    startDeployment(id: ID!): Deployment!
    pauseDeployment(id: ID!): Deployment!
    resumeDeployment(id: ID!): Deployment!
    abortDeployment(id: ID!, reason: String): Deployment!
    "Lets a wave that requires approval start."
    approveWave(deploymentId: ID!, waveIndex: Int!): Deployment!
    "Returns a device to its rollback version."
    rollbackDevice(id: ID!): RollbackRequest!
  }

  extend type Subscription {
    "The deployment each time its progress changes (viewer)."
    deploymentProgress(id: ID!): Deployment!
  }
`;
