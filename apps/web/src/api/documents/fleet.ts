/** Fleet-wide health and the offline escalation ladder. */

export const FLEET_HEALTH = /* GraphQL */ `
  query FleetHealth {
    fleetHealth {
      total
      activeFleetSize
      byState {
        state
        count
      }
      byTier {
        tier
        count
      }
    }
  }
`;

export const FLEET_HEALTH_HISTORY = /* GraphQL */ `
  query FleetHealthHistory($hours: Int) {
    fleetHealthHistory(hours: $hours) {
      stepMinutes
      points {
        at
        counts {
          state
          count
        }
      }
    }
  }
`;

/** Shape of FLEET_HEALTH. */
export interface FleetHealthData {
  fleetHealth: {
    total: number;
    activeFleetSize: number;
    byState: { state: string; count: number }[];
    byTier: { tier: string; count: number }[];
  };
}

/** Shape of FLEET_HEALTH_HISTORY. */
export interface FleetHealthHistoryData {
  fleetHealthHistory: {
    stepMinutes: number;
    points: { at: string; counts: { state: string; count: number }[] }[];
  };
}
