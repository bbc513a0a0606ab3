import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { OFFLINE_TIERS, type OfflineTier } from '@rollcall/fleet';
import {
  TIER_DEVICES,
  UNTIERED_DEVICES,
} from '../../api/documents/escalation.ts';
import type {
  OfflineTier as TierName,
  TierDevicesQuery,
  TierDevicesQueryVariables,
  UntieredDevicesQuery,
  UntieredDevicesQueryVariables,
} from '../../api/generated.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';

/** Rows per tier page. */
export const TIER_PAGE_SIZE = 50;

/**
 * A section of the escalation view: one tier, or the offline devices
 * that have not reached the first tier yet.
 */
export type EscalationGroup = OfflineTier | 'untiered';

/** Offline and at no tier: silent for less than the warning tier's time. */
export const UNTIERED_QUERY = `status:offline AND NOT tier IN (${OFFLINE_TIERS.join(', ')})`;

type Connection =
  TierDevicesQuery['offlineDevices'] | UntieredDevicesQuery['devices'];

function fetchPage(
  group: EscalationGroup,
  cursor: string | null,
): Promise<Connection> {
  const page = { first: TIER_PAGE_SIZE, after: cursor };
  if (group === 'untiered') {
    return graphqlRequest<UntieredDevicesQuery, UntieredDevicesQueryVariables>(
      UNTIERED_DEVICES,
      { where: UNTIERED_QUERY, ...page },
    ).then((data) => data.devices);
  }

  return graphqlRequest<TierDevicesQuery, TierDevicesQueryVariables>(
    TIER_DEVICES,
    // The schema's enum is the upper-case spelling of the fleet's tier.
    { tier: group.toUpperCase() as TierName, ...page },
  ).then((data) => data.offlineDevices);
}

/**
 * One page of a section's devices after `cursor`. The API orders a tier
 * by offline-since then id and pages by that key, so every page continues
 * oldest first; the untiered devices come by id.
 */
export function useTierDevices(group: EscalationGroup, cursor: string | null) {
  return useQuery({
    queryKey: ['escalation', group, cursor],
    queryFn: () => fetchPage(group, cursor),
    select: (connection) => ({
      totalCount: connection.totalCount,
      pageInfo: connection.pageInfo,
      devices: connection.edges.map((edge) => edge.node),
    }),
    placeholderData: keepPreviousData,
  });
}
