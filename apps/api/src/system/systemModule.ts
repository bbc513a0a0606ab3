import type { GraphqlModule } from '../server/graphqlModule.ts';

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
        subscribe: async function* (_parent, _args, context) {
          for (;;) {
            yield { serverTime: context.clock.now() };
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        },
      },
    },
  },
};
