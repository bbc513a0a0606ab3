import { requireRole } from '../auth/authService.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import { serverTimeTicks } from './serverTimeTicks.ts';

const VERSION = '0.1.0';

export const systemModule: GraphqlModule = {
  name: 'system',
  typeDefs: '',
  resolvers: {
    Query: {
      health: async (_parent, _args, context) => {
        await context.db.pool.query('SELECT 1');
        return {
          ok: true,
          version: VERSION,
          database: context.db.embedded ? 'embedded' : 'external',
        };
      },
    },
    Mutation: {
      ping: () => true,
    },
    Subscription: {
      serverTime: {
        // A plain function, not a generator: a generator's body (and so the
        // role check) would only run at the first event, after graphql-ws
        // had already accepted the subscription.
        subscribe: (_parent, _args, context) => {
          requireRole(context.principal, 'viewer');
          return serverTimeTicks(context.clock, context.scheduler);
        },
      },
    },
  },
};
