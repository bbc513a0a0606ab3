/** Offline devices of one escalation tier. */
export const TIER_DEVICES = /* GraphQL */ `
  query TierDevices($where: String!, $first: Int) {
    devices(where: $where, first: $first) {
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
  devices: { totalCount: number; edges: { node: TierDevice }[] };
}
