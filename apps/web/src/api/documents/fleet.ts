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
