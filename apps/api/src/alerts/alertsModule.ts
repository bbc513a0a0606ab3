import { requireRole } from '../auth/authService.ts';
import { createEventStream } from '../live/eventStream.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import { findAlert, listAlerts, type AlertView } from './alertQueries.ts';

const typeDefs = /* GraphQL */ `
  """
  A device condition an operator must see: failed (a failed heartbeat),
  offline_<tier> for each escalation of the offline ladder, the last one
  (offline_decommission_review) being the decommission-review flag.
  """
  type Alert {
    id: ID!
    deviceId: ID!
    kind: String!
    message: String!
    "When it was raised."
    since: DateTime!
    "When its condition ended (the device returned or was repaired)."
    clearedAt: DateTime
    cleared: Boolean!
  }

  type AlertEdge {
    cursor: String!
    node: Alert!
  }

  type AlertConnection {
    edges: [AlertEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  extend type Query {
    "Alerts, newest first; activeOnly keeps the uncleared ones."
    alerts(
      activeOnly: Boolean = false
      first: Int
      after: String
    ): AlertConnection!
  }

  extend type Subscription {
    "Each alert as it is raised, from any API process."
    alertRaised: Alert!
  }
`;

/** Alerts: the list and the live feed. */
export const alertsModule: GraphqlModule = {
  name: 'alerts',
  typeDefs,
  resolvers: {
    Query: {
      alerts: (
        _parent,
        args: {
          activeOnly?: boolean | null;
          first?: number | null;
          after?: string | null;
        },
        context,
      ) => {
        requireRole(context.principal, 'viewer');
        return listAlerts(context.db.pool, context.config, args);
      },
    },
    Subscription: {
      alertRaised: {
        subscribe: (_parent, _args, context) => {
          requireRole(context.principal, 'viewer');
          const stream = createEventStream<{ alertRaised: AlertView }>(() =>
            off(),
          );
          const off = context.services.events.subscribe(['alert'], (event) => {
            if (event.kind !== 'alert' || event.cleared) return;
            findAlert(context.db.pool, event.alertId)
              .then((alert) => alert && stream.push({ alertRaised: alert }))
              .catch((error: unknown) =>
                context.logger.error(
                  { err: error },
                  'loading a raised alert failed',
                ),
              );
          });
          return stream.iterator;
        },
      },
    },
  },
};
