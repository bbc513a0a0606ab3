/** Offline devices of one escalation tier, the longest silent first. */
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
export interface TierDevice {
  id: string;
  hostname: string;
  status: {
    offlineSince: string | null;
    lastKnownState: string | null;
    lastHeartbeat: string | null;
    tierSince: string | null;
  };
}

/** Shape of TIER_DEVICES. */
export interface TierDevicesData {
  offlineDevices: {
    totalCount: number;
    edges: { node: TierDevice }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
