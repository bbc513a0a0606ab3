import type { IResolvers } from '@graphql-tools/utils';
import type { RequestContext } from './context.ts';

/**
 * One domain's slice of the API: its SDL (extending Query, Mutation and
 * Subscription) and the thin resolvers that call its service.
 */
export interface GraphqlModule {
  name: string;
  typeDefs: string;
  resolvers: IResolvers<unknown, RequestContext>;
}
