/** One device: its whole record, history, queue entries and actions. */

export const DEVICE = /* GraphQL */ `
  query Device($id: ID!) {
    device(id: $id) {
      id
      hostname
      serialNumber
      macAddress
      ipAddress
      environment
      heartbeatIntervalSeconds
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
  }
`;

/** Shape of DEVICE: the record as nested sections of named values. */
export interface DeviceData {
  device:
    | ({
        id: string;
        status: { state: string } & Record<string, unknown>;
      } & Record<string, unknown>)
    | null;
}

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

/** Shape of HEARTBEATS; `metrics` is the heartbeat's metrics block. */
export interface HeartbeatsData {
  heartbeats: {
    edges: {
      node: {
        receivedAt: string;
        status: string;
        metrics: Record<string, unknown> | null;
      };
    }[];
  };
}

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

/** One recorded state change. */
export interface Transition {
  from: string | null;
  to: string;
  cause: string;
  actor: string;
  reason: string | null;
  at: string;
}

/** Shape of STATE_TRANSITIONS. */
export interface StateTransitionsData {
  stateTransitions: { edges: { node: Transition }[] };
}

/** The mutation of each operator action (from @rollcall/fleet's OPERATOR_ACTIONS). */
export const ACTION_MUTATIONS = {
  activate: 'activateDevice',
  enterMaintenance: 'enterMaintenance',
  exitMaintenance: 'exitMaintenance',
  markFailed: 'markFailed',
  repair: 'repairDevice',
  decommission: 'decommissionDevice',
} as const;

/** The document for one action's mutation (decommission answers a payload). */
export function actionDocument(field: string): string {
  const device = 'id status { state }';
  const selection =
    field === 'decommissionDevice' ? `device { ${device} }` : device;
  return `mutation DeviceAction($id: ID!) { ${field}(id: $id) { ${selection} } }`;
}

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

/** One line of a device's deployment log. */
export interface DeploymentLogLine {
  id: string;
  deploymentId: string | null;
  action: string;
  message: string;
  at: string;
}

/** Shape of DEVICE_DEPLOYMENT_LOG. */
export interface DeviceDeploymentLogData {
  deploymentLog: { edges: { node: DeploymentLogLine }[] };
}
