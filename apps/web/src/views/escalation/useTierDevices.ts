import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { OfflineTier } from '@rollcall/fleet';
import { TIER_DEVICES } from '../../api/documents/escalation.ts';
import type {
  OfflineTier as TierName,
  TierDevicesQuery,
  TierDevicesQueryVariables,
} from '../../api/generated.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';

/** Rows per tier page. */
export const TIER_PAGE_SIZE = 50;

/**
 * One page of a tier's devices after `cursor`. The API orders them by
 * offline-since then id and pages by that key, so every page continues
 * oldest first.
 */
export function useTierDevices(tier: OfflineTier, cursor: string | null) {
  return useQuery({
    queryKey: ['escalation', tier, cursor],
    queryFn: () =>
      graphqlRequest<TierDevicesQuery, TierDevicesQueryVariables>(
        TIER_DEVICES,
        {
          // The schema's enum is the upper-case spelling of the fleet's tier.
          tier: tier.toUpperCase() as TierName,
          first: TIER_PAGE_SIZE,
          after: cursor,
        },
      ),
    select: (data) => ({
      totalCount: data.offlineDevices.totalCount,
      pageInfo: data.offlineDevices.pageInfo,
      devices: data.offlineDevices.edges.map((edge) => edge.node),
    }),
    placeholderData: keepPreviousData,
  });
}
