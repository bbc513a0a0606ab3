/** Offline devices of one escalation tier, the longest silent first. */

import type { TierDevicesQuery } from '../generated.ts';

/** A row of the escalation view, in a tier or not yet at one. */
const OFFLINE_DEVICE_ROW = /* GraphQL */ `
  fragment OfflineDeviceRow on Device {
    id
    status {
      offlineSince
      lastKnownState
      lastHeartbeat
    }
  }
`;

export const TIER_DEVICES =
  /* GraphQL */ `
  query TierDevices($tier: OfflineTier!, $first: Int, $after: String) {
    offlineDevices(tier: $tier, first: $first, after: $after) {
      totalCount
      edges {
        node {
          ...OfflineDeviceRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
` + OFFLINE_DEVICE_ROW;

/**
 * Offline devices not yet at any tier (silent for less than the warning
 * tier's minutes), by id: `offlineDevices` can only keep one tier.
 */
export const UNTIERED_DEVICES =
  /* GraphQL */ `
  query UntieredDevices($where: String!, $first: Int, $after: String) {
    devices(where: $where, first: $first, after: $after) {
      totalCount
      edges {
        node {
          ...OfflineDeviceRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
` + OFFLINE_DEVICE_ROW;

/** One offline device of a tier. */
export type TierDevice =
  TierDevicesQuery['offlineDevices']['edges'][number]['node'];
