import { useQuery } from '@tanstack/react-query';
import {
  FLEET_HEALTH,
  FLEET_HEALTH_HISTORY,
} from '../../api/documents/fleet.ts';
import type {
  FleetHealthHistoryQuery,
  FleetHealthHistoryQueryVariables,
  FleetHealthQuery,
  FleetHealthQueryVariables,
} from '../../api/generated.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';

/** Counts by state and tier, kept live by the ['fleet'] invalidations. */
export function useFleetHealth() {
  return useQuery({
    queryKey: ['fleet', 'health'],
    queryFn: () =>
      graphqlRequest<FleetHealthQuery, FleetHealthQueryVariables>(FLEET_HEALTH),
    select: (data) => data.fleetHealth,
  });
}

/** The last `hours` of fleet-health history (24 by default). */
export function useFleetHealthHistory(hours = 24) {
  return useQuery({
    queryKey: ['fleet', 'history', hours],
    queryFn: () =>
      graphqlRequest<FleetHealthHistoryQuery, FleetHealthHistoryQueryVariables>(
        FLEET_HEALTH_HISTORY,
        { hours },
      ),
    select: (data) => data.fleetHealthHistory.points,
  });
}
