import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import { RollcallError } from '../errors.ts';
import type { RequestContext } from './context.ts';
import { checkOperationCost } from './queryLimits.ts';

/**
 * Repeats the cost check of `queryLimitRules` with the request's real
 * variables (validation results are cached per document, so the rule
 * cannot see them): `devices(first: $n)` is priced at the `n` sent.
 */
export function queryCostPlugin(
  maxCost: number,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;

          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) {
              fragments.set(definition.name.value, definition);
            }
          }
          try {
            checkOperationCost(
              schema,
              operation,
              (name) => fragments.get(name),
              request.variables ?? {},
              maxCost,
            );
          } catch (error) {
            if (!(error instanceof RollcallError)) throw error;
            throw new GraphQLError(error.message, {
              extensions: {
                ...error.details,
                code: error.code,
                http: { status: 400 },
              },
              originalError: error,
            });
          }
        },
      };
    },
  };
}
