/** The device operations: queries, registration and guarded mutations. */
export const deviceOperationDefs = /* GraphQL */ `
  input HardwareInput {
    type: String!
    architecture: String
    cpuCores: Int
    ramMb: Int
    gpu: String
    diskTotalMb: Int
    hasGpu: Boolean
    "ssd, nvme, sdcard, emmc, hdd..."
    storageType: String
    "Attached cameras (usb, csi...); an empty list tags camera-none."
    cameras: [String!]
    "Attached sensors (imu, lidar...)."
    sensors: [String!]
  }

  "Hardware fields to change; omitted fields stay as they are."
  input HardwareUpdateInput {
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

  input SoftwareInput {
    os: String
    kernel: String
    jetpackVersion: String
    cudaVersion: String
    containerRuntime: String
    containerRuntimeVersion: String
  }

  "A tag: a plain tag when value is null or empty, else key=value."
  input TagInput {
    key: String!
    value: String
  }

  input RegisterDeviceInput {
    "Omit to generate edge-{type}-{environment}-{sequence}."
    id: ID
    hostname: String!
    serialNumber: String
    macAddress: String
    ipAddress: String
    "production, staging, development...; also tagged, as production and environment=production."
    environment: String!
    "The device's role, such as inference-server; tagged as inference-server and role=inference-server."
    role: String
    "Location tags, such as region-us-east and site-factory-a."
    locationTags: [String!]
    "Further tags, plain or key=value."
    tags: [TagInput!]
    "The record's tags map, such as { region: factory-a, line: assembly-3 }."
    tagMap: JSON
    "Static groups to join, by name."
    groups: [String!]
    hardware: HardwareInput!
    software: SoftwareInput
    notes: String
    physicalLocation: String
    "Expected heartbeat interval in seconds (default heartbeat.interval_seconds)."
    heartbeatIntervalSeconds: Int
  }

  type RegisterDevicePayload {
    device: Device!
    "The device's token for heartbeats: shown only this once."
    deviceToken: String!
  }

  "Record fields to change; omitted fields stay as they are."
  input UpdateDeviceInput {
    hostname: String
    ipAddress: String
    notes: String
    physicalLocation: String
    hardware: HardwareUpdateInput
    software: SoftwareInput
    heartbeatIntervalSeconds: Int
  }

  type TagDevicesPayload {
    "Devices the ids or the query selected."
    matchedCount: Int!
    "Devices whose tags changed."
    affectedCount: Int!
  }

  type DecommissionDevicePayload {
    device: Device!
    revokedTokens: Int!
    "Static groups the device was removed from."
    removedFromGroups: [String!]!
    "Open catch-up entries that were cancelled."
    cancelledCatchUps: Int!
  }

  extend type Query {
    "One device by id, decommissioned or not (viewer)."
    device(id: ID!): Device
    """
    Devices selected by a tag query, in id order (viewer). A null, empty or
    blank where selects all (a listing with no filter; the bulk writes
    tagDevices and untagDevices refuse a blank where with
    QUERY_SYNTAX_ERROR at offset 0, see GRAMMAR.md). Decommissioned devices are left out unless
    includeDecommissioned is true or the query names status:decommissioned
    or tag:decommissioned.
    """
    devices(
      where: String
      first: Int = 50
      after: String
      includeDecommissioned: Boolean = false
    ): DeviceConnection!
    "Checks a tag query: errors with positions, canonical text, match count (viewer)."
    validateQuery(query: String!): QueryValidation!
    "A device's state transitions, newest first (viewer)."
    stateTransitions(
      deviceId: ID!
      first: Int = 50
      after: String
    ): StateTransitionConnection!
    "Registry changes, newest first, optionally of one entity (viewer)."
    auditLog(
      entityType: String
      entityId: String
      first: Int = 50
      after: String
    ): AuditEntryConnection!
  }

  extend type Mutation {
    "Registers a device in PROVISIONING and returns its token once (operator)."
    registerDevice(input: RegisterDeviceInput!): RegisterDevicePayload!
    "Performs one operator action of the state machine (operator)."
    transitionDevice(id: ID!, action: DeviceAction!, reason: String): Device!
    "PROVISIONING -> HEALTHY (operator); see exitMaintenance for a silent device."
    activateDevice(id: ID!, reason: String): Device!
    "Into MAINTENANCE (operator)."
    enterMaintenance(id: ID!, reason: String): Device!
    """
    MAINTENANCE -> HEALTHY (operator). A device silent longer than its
    heartbeat timeout goes on to OFFLINE at once (a second transition,
    cause TIMEOUT); one that never heartbeated gets a full timeout.
    """
    exitMaintenance(id: ID!, reason: String): Device!
    "Into FAILED (operator)."
    markFailed(id: ID!, reason: String): Device!
    "FAILED -> HEALTHY (operator); see exitMaintenance for a silent device."
    repairDevice(id: ID!, reason: String): Device!
    "Changes record fields; the id is immutable (operator)."
    updateDevice(id: ID!, input: UpdateDeviceInput!): Device!
    """
    Adds tags to devices given by ids or by a query, in one transaction
    (operator). A blank where is a QUERY_SYNTAX_ERROR, never the whole fleet.
    A key holds one value: a key/value tag replaces the device's other value
    of that key, and two values of one key in tags are BAD_USER_INPUT.
    """
    tagDevices(
      ids: [ID!]
      where: String
      tags: [TagInput!]!
      """
      With where: the match count the caller confirmed, as devices(where)
      counts it (decommissioned devices included when the query names them,
      though they are never tagged). When the query matches another number
      of devices at write time, nothing is written: CONFLICT with
      expectedCount and actualCount.
      """
      expectedCount: Int
    ): TagDevicesPayload!
    """
    Removes tags (a tag without value: its key with any value) (operator).
    A blank where is a QUERY_SYNTAX_ERROR, never the whole fleet.
    """
    untagDevices(
      ids: [ID!]
      where: String
      tags: [TagInput!]!
      "With where: the confirmed match count, as for tagDevices."
      expectedCount: Int
    ): TagDevicesPayload!
    "The spec's decommissioning protocol (admin)."
    decommissionDevice(
      id: ID!
      force: Boolean = false
      reason: String
    ): DecommissionDevicePayload!
  }
`;
