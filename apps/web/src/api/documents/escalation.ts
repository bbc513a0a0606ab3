/** Offline devices of one escalation tier, the longest silent first. */

import type { TierDevicesQuery } from '../generated.ts';
export const TIER_DEVICES = /* GraphQL */ `
  query TierDevices($tier: OfflineTier!, $first: Int, $after: String) {
    offlineDevices(tier: $tier, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          hostname
          status {
            offlineSince
            lastKnownState
            lastHeartbeat
            tierSince
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** One offline device of a tier. */
export type TierDevice =
  TierDevicesQuery['offlineDevices']['edges'][number]['node'];
