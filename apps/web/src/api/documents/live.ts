/** Subscriptions the dashboard listens to. */
import { DEVICE_RECORD } from './device.ts';

export const DEVICE_STATE_CHANGED = /* GraphQL */ `
  subscription DeviceStateChanged($where: String) {
    deviceStateChanged(where: $where) {
      deviceId
      from
      to
      cause
      at
    }
  }
`;

export const OFFLINE_TIER_CHANGED = /* GraphQL */ `
  subscription OfflineTierChanged($where: String) {
    offlineTierChanged(where: $where) {
      deviceId
      to
    }
  }
`;

export const HEARTBEAT_RECEIVED = /* GraphQL */ `
  subscription HeartbeatReceived($where: String) {
    heartbeatReceived(where: $where) {
      deviceId
      at
    }
  }
`;

export const GROUP_MEMBERSHIP_CHANGED = /* GraphQL */ `
  subscription GroupMembershipChanged($group: String!) {
    groupMembershipChanged(group: $group) {
      group
      deviceId
      change
    }
  }
`;

export const CATCH_UP_QUEUE_CHANGED = /* GraphQL */ `
  subscription CatchUpQueueChanged($deviceId: ID) {
    catchUpQueueChanged(deviceId: $deviceId) {
      id
      deviceId
      status
    }
  }
`;

export const DEPLOYMENT_PROGRESS = /* GraphQL */ `
  subscription DeploymentProgress($id: ID!) {
    deploymentProgress(id: $id) {
      id
      state
    }
  }
`;

/**
 * Every change to one device, with the whole record as the device page's
 * DEVICE query selects it (the DeviceRecord fragment): the page writes it
 * over its cached record.
 */
export const DEVICE_UPDATED =
  /* GraphQL */ `
  subscription DeviceUpdated($id: ID!) {
    deviceUpdated(id: $id) {
      deviceId
      kind
      change
      at
      device {
        ...DeviceRecord
      }
    }
  }
` + DEVICE_RECORD;
