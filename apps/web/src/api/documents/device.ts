/** One device: its whole record, history, queue entries and actions. */

/**
 * The whole record as the device page shows it: DEVICE reads it, and
 * DEVICE_UPDATED (live.ts) delivers it with each change, written over
 * the cached one unless that one is newer (its `version`, then its last
 * heartbeat: deviceUpdates.ts).
 */
export const DEVICE_RECORD = /* GraphQL */ `
  fragment DeviceRecord on Device {
    id
    hostname
    serialNumber
    macAddress
    ipAddress
    environment
    heartbeatIntervalSeconds
    version
    hardware {
      type
      architecture
      cpuCores
      ramMb
      gpu
      diskTotalMb
      hasGpu
      storageType
      cameras
      sensors
    }
    software {
      os
      kernel
      jetpackVersion
      cudaVersion
      containerRuntime
      containerRuntimeVersion
    }
    deployment {
      currentVersion
      previousVersion
      lastDeployed
      deploymentSlot
      rollbackAvailable
      rollbackVersion
    }
    status {
      state
      stateSince
      lastHeartbeat
      uptimeSeconds
      connectivity
      offlineTier
      tierSince
      offlineSince
      lastKnownState
      appVersion
      reportedStatus
      metrics
    }
    metadata {
      registered
      lastUpdated
      decommissioned
      notes
      physicalLocation
    }
    tags {
      key
      value
    }
    groups
  }
`;

export const DEVICE =
  /* GraphQL */ `
  query Device($id: ID!) {
    device(id: $id) {
      ...DeviceRecord
    }
  }
` + DEVICE_RECORD;

export const HEARTBEATS = /* GraphQL */ `
  query Heartbeats($deviceId: ID!, $first: Int) {
    heartbeats(deviceId: $deviceId, first: $first) {
      edges {
        node {
          receivedAt
          status
          metrics
        }
      }
    }
  }
`;

export const STATE_TRANSITIONS = /* GraphQL */ `
  query StateTransitions($deviceId: ID!, $first: Int) {
    stateTransitions(deviceId: $deviceId, first: $first) {
      edges {
        node {
          from
          to
          cause
          actor
          reason
          at
        }
      }
    }
  }
`;

export const ACTIVATE_DEVICE = /* GraphQL */ `
  mutation ActivateDevice($id: ID!, $reason: String) {
    activateDevice(id: $id, reason: $reason) {
      id
      status {
        state
      }
    }
  }
`;

export const ENTER_MAINTENANCE = /* GraphQL */ `
  mutation EnterMaintenance($id: ID!, $reason: String) {
    enterMaintenance(id: $id, reason: $reason) {
      id
      status {
        state
      }
    }
  }
`;

export const EXIT_MAINTENANCE = /* GraphQL */ `
  mutation ExitMaintenance($id: ID!, $reason: String) {
    exitMaintenance(id: $id, reason: $reason) {
      id
      status {
        state
      }
    }
  }
`;

export const MARK_FAILED = /* GraphQL */ `
  mutation MarkFailed($id: ID!, $reason: String) {
    markFailed(id: $id, reason: $reason) {
      id
      status {
        state
      }
    }
  }
`;

export const REPAIR_DEVICE = /* GraphQL */ `
  mutation RepairDevice($id: ID!, $reason: String) {
    repairDevice(id: $id, reason: $reason) {
      id
      status {
        state
      }
    }
  }
`;

/**
 * Decommissioning answers a payload around the device. Every action takes
 * an optional reason, recorded on the state transition.
 */
export const DECOMMISSION_DEVICE = /* GraphQL */ `
  mutation DecommissionDevice($id: ID!, $reason: String) {
    decommissionDevice(id: $id, reason: $reason) {
      device {
        id
        status {
          state
        }
      }
    }
  }
`;

/** The document of each operator action (from @rollcall/fleet's OPERATOR_ACTIONS). */
export const ACTION_DOCUMENTS = {
  activate: ACTIVATE_DEVICE,
  enterMaintenance: ENTER_MAINTENANCE,
  exitMaintenance: EXIT_MAINTENANCE,
  markFailed: MARK_FAILED,
  repair: REPAIR_DEVICE,
  decommission: DECOMMISSION_DEVICE,
} as const;

export const DEVICE_DEPLOYMENT_LOG = /* GraphQL */ `
  query DeviceDeploymentLog($deviceId: ID!, $first: Int) {
    deploymentLog(deviceId: $deviceId, first: $first) {
      edges {
        node {
          id
          deploymentId
          action
          message
          at
        }
      }
    }
  }
`;
