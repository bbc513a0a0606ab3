import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { RequestContext } from '../server/context.ts';
import type { RateLimiter } from './rateLimiter.ts';

/**
 * Limits operations per operator API key (config
 * auth.rate_limit_per_minute). Over the limit, the operation is refused
 * before it runs with a retryable RATE_LIMITED error, HTTP 429 and a
 * Retry-After header. Device tokens are limited on the heartbeat path.
 */
export function rateLimitPlugin(
  limiter: RateLimiter,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          const { principal } = contextValue;
          if (principal.kind !== 'operator') return;

          const decision = limiter.take(`key:${principal.keyId}`);
          if (decision.isAllowed) return;

          const seconds = decision.retryAfterSeconds;
          throw new GraphQLError(
            `Too many requests for this API key; retry in ${seconds} s`,
            {
              extensions: {
                code: 'RATE_LIMITED',
                retryable: true,
                retryAfterSeconds: seconds,
                http: {
                  status: 429,
                  headers: new HeaderMap([['retry-after', String(seconds)]]),
                },
              },
            },
          );
        },
      };
    },
  };
}
