/** The device record types, shaped like the spec's record. */
export const deviceTypeDefs = /* GraphQL */ `
  "An operator action on the state machine (see @rollcall/fleet)."
  enum DeviceAction {
    "PROVISIONING -> HEALTHY, when provisioning is complete."
    ACTIVATE
    "HEALTHY, DEGRADED, FAILED or OFFLINE -> MAINTENANCE."
    ENTER_MAINTENANCE
    "MAINTENANCE -> HEALTHY."
    EXIT_MAINTENANCE
    "HEALTHY, DEGRADED or MAINTENANCE -> FAILED."
    MARK_FAILED
    "FAILED -> HEALTHY."
    REPAIR
    "Any non-terminal state -> MAINTENANCE -> DECOMMISSIONED (decommissionDevice)."
    DECOMMISSION
  }

  "A device in the registry: the spec's core device record."
  type Device {
    "Unique, immutable device id, such as edge-jetson-prod-042."
    id: ID!
    hostname: String!
    serialNumber: String
    macAddress: String
    ipAddress: String
    environment: String
    hardware: DeviceHardware!
    software: DeviceSoftware!
    deployment: DeviceDeployment!
    status: DeviceStatus!
    "Plain tags (value empty) and key/value tags, by key then value."
    tags: [DeviceTag!]!
    "The record's tags map: key to value (plain tags map to an empty string)."
    tagMap: JSON!
    "Names of the static and dynamic groups the device belongs to now."
    groups: [String!]!
    metadata: DeviceMetadata!
    "Expected heartbeat interval, in seconds; scales the offline timeout."
    heartbeatIntervalSeconds: Int!
    "The device's latest event version (see changesSince)."
    version: Int!
    "The operator actions its current state allows."
    allowedActions: [DeviceAction!]!
  }

  type DeviceHardware {
    "Device type identifier, such as jetson-orin-nano."
    type: String!
    architecture: String
    cpuCores: Int
    ramMb: Int
    gpu: String
    diskTotalMb: Int
    hasGpu: Boolean!
    storageType: String
    cameras: [String!]!
    sensors: [String!]!
  }

  type DeviceSoftware {
    os: String
    kernel: String
    jetpackVersion: String
    cudaVersion: String
    containerRuntime: String
    containerRuntimeVersion: String
  }

  type DeviceDeployment {
    currentVersion: String
    previousVersion: String
    lastDeployed: DateTime
    "For blue-green deployments."
    deploymentSlot: String
    rollbackAvailable: Boolean!
    rollbackVersion: String
  }

  type DeviceStatus {
    state: DeviceState!
    stateSince: DateTime!
    lastHeartbeat: DateTime
    uptimeSeconds: Float
    """
    online, or offline once no heartbeat came within the device's timeout
    (an OFFLINE device, or a FAILED, MAINTENANCE or PROVISIONING one that
    went silent); online again with its next heartbeat. The spec's
    intermittent is never derived.
    """
    connectivity: String!
    offlineTier: OfflineTier
    tierSince: DateTime
    offlineSince: DateTime
    "The state a device was in when it went offline."
    lastKnownState: DeviceState
    appVersion: String
    "The latest heartbeat's metrics."
    metrics: JSON
    reportedStatus: ReportedStatus
  }

  "A tag on a device; a plain tag has an empty value."
  type DeviceTag {
    key: String!
    value: String!
    "Its taxonomy category, or null for a tag outside the taxonomy."
    category: String
  }

  type DeviceMetadata {
    registered: DateTime!
    lastUpdated: DateTime!
    "When it was decommissioned; null while in the fleet."
    decommissioned: DateTime
    notes: String
    physicalLocation: String
  }

  type DeviceEdge {
    cursor: String!
    node: Device!
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type DeviceConnection {
    edges: [DeviceEdge!]!
    pageInfo: PageInfo!
    "Devices the query selects, over all pages."
    totalCount: Int!
  }

  "Where a query error is: 0-based offset, 1-based line and column."
  type QueryErrorPosition {
    offset: Int!
    line: Int!
    column: Int!
    length: Int!
  }

  type QueryError {
    "QUERY_SYNTAX_ERROR, QUERY_VALIDATION_ERROR or QUERY_TOO_COMPLEX."
    code: String!
    message: String!
    position: QueryErrorPosition!
    "What would have been accepted at the position."
    expected: [String!]!
    "Did-you-mean alternatives, best first."
    suggestions: [String!]!
  }

  type QueryValidation {
    valid: Boolean!
    errors: [QueryError!]!
    "The canonical text of a valid query."
    canonical: String
    "How many devices a valid query selects now."
    matchCount: Int
  }

  "A recorded state change."
  type StateTransition {
    id: ID!
    deviceId: ID!
    from: DeviceState
    to: DeviceState!
    cause: TransitionCause!
    actor: String!
    reason: String
    at: DateTime!
  }

  type StateTransitionEdge {
    cursor: String!
    node: StateTransition!
  }

  type StateTransitionConnection {
    edges: [StateTransitionEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  "A registry change: who changed what, before and after."
  type AuditEntry {
    id: ID!
    actor: String!
    action: String!
    entityType: String!
    entityId: String!
    before: JSON
    after: JSON
    at: DateTime!
  }

  type AuditEntryEdge {
    cursor: String!
    node: AuditEntry!
  }

  type AuditEntryConnection {
    edges: [AuditEntryEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
`;
