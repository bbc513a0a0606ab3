/** Subscriptions the dashboard listens to. */

export const DEVICE_STATE_CHANGED = /* GraphQL */ `
  subscription DeviceStateChanged($where: String) {
    deviceStateChanged(where: $where) {
      device {
        id
      }
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
      device {
        id
      }
    }
  }
`;

export const HEARTBEAT_RECEIVED = /* GraphQL */ `
  subscription HeartbeatReceived($where: String) {
    heartbeatReceived(where: $where) {
      device {
        id
      }
    }
  }
`;

export const GROUP_MEMBERSHIP_CHANGED = /* GraphQL */ `
  subscription GroupMembershipChanged($group: String!) {
    groupMembershipChanged(group: $group) {
      group
    }
  }
`;
