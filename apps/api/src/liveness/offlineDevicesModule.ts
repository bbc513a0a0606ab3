import { requireRole } from '../auth/authService.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import {
  listOfflineDevices,
  type OfflineDevicesArgs,
} from './offlineDevices.ts';

const offlineDevicesTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    Offline devices, the longest silent first (by offline since, then id),
    paged by that order; tier keeps one escalation tier (viewer).
    """
    offlineDevices(
      tier: OfflineTier
      first: Int
      after: String
    ): DeviceConnection!
  }
`;

/** The offline escalation view's list: offline devices oldest first. */
export const offlineDevicesModule: GraphqlModule = {
  name: 'offlineDevices',
  typeDefs: offlineDevicesTypeDefs,
  resolvers: {
    Query: {
      offlineDevices: (_parent, args: OfflineDevicesArgs, context) => {
        requireRole(context.principal, 'viewer');
        return listOfflineDevices(context.db.pool, context.config, args);
      },
    },
  },
};
