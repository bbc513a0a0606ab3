import type { GraphQLSchema, ValidationRule } from 'graphql';
import { specifiedRules, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { Principal } from '../auth/principal.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import { RollcallError } from '../errors.ts';
import { createCredentialSockets } from '../live/credentialSockets.ts';
import { createSharedSubscribe } from '../live/sharedExecution.ts';
import type { Logger } from '../logger.ts';
import { bearerToken } from './bearerToken.ts';
import type { RequestContext } from './context.ts';
import type { createFormatError } from './formatError.ts';
import type { Services } from './services.ts';
import { guardSlowConsumers } from './slowConsumer.ts';

export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  config: RollcallConfig;
  logger: Logger;
  services: Services;
  /** The HTTP endpoint's depth and cost rules, applied here too. */
  limitRules: readonly ValidationRule[];
  formatError: ReturnType<typeof createFormatError>;
  contextFor: (principal: Principal) => RequestContext;
}

/**
 * graphql-ws on the HTTP server's `/graphql`: the principal from
 * `connection_init` (sockets closed when their credential is revoked),
 * the same validation and error formatting as HTTP, one shared execution
 * per event for like subscribers, and the slow-consumer guard.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): {
  stop(): Promise<void>;
} {
  const { config, logger, services, limitRules, formatError } = options;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: config.server.max_body_bytes,
  });
  guardSlowConsumers(wsServer, {
    maxBufferedBytes: config.server.ws_max_buffered_bytes,
    logger,
  });
  const credentialSockets = createCredentialSockets({
    events: services.events,
    logger,
  });
  const sharedSubscribe = createSharedSubscribe(
    (args) => (args.contextValue as RequestContext).principal,
  );
  const wsHandle = useServer<
    Record<string, unknown>,
    { principal?: Principal }
  >(
    {
      schema: options.schema,
      subscribe: sharedSubscribe,
      validate: (wsSchema, document) =>
        validate(wsSchema, document, [...specifiedRules, ...limitRules]),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? {
              ...result,
              errors: result.errors.map((error) =>
                formatError(error.toJSON(), error),
              ),
            }
          : undefined,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        try {
          ctx.extra.principal = await credentialSockets.admit(
            ctx.extra.socket,
            () =>
              services.auth.authenticate(
                bearerToken(params.authorization ?? params.Authorization),
              ),
          );
        } catch (error) {
          if (error instanceof RollcallError) return false;
          throw error;
        }
        return true;
      },
      context: (ctx) =>
        options.contextFor(ctx.extra.principal ?? { kind: 'anonymous' }),
    },
    wsServer,
  );

  return {
    async stop() {
      credentialSockets.stop();
      await wsHandle.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
