import { requireRole } from '../auth/authService.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import { checkQueryText } from '../server/inputLimits.ts';
import { fleetHealth, fleetHealthHistory } from './fleetHealth.ts';
import { listHeartbeats } from './heartbeatHistory.ts';
import type { HeartbeatInputArgs } from './heartbeatInput.ts';
import type { ReportedHardware } from './heartbeatTypes.ts';
import { livenessTypeDefs } from './livenessTypeDefs.ts';

type HardwareArgs = Omit<ReportedHardware, 'hardwareType'> & {
  type?: string | null;
};
type InputArgs = Omit<HeartbeatInputArgs, 'hardware'> & {
  hardware?: HardwareArgs | null;
};

// The GraphQL input says `type` as the record's HardwareInput does.
function toInput(input: InputArgs): HeartbeatInputArgs {
  if (!input.hardware) return { ...input, hardware: null };

  const { type, ...rest } = input.hardware;
  return {
    ...input,
    hardware: {
      ...rest,
      ...(type === undefined ? {} : { hardwareType: type }),
    },
  };
}

/** Heartbeats, fleet health and heartbeat history. */
export const livenessModule: GraphqlModule = {
  name: 'liveness',
  typeDefs: livenessTypeDefs,
  resolvers: {
    Query: {
      fleetHealth: (_parent, args: { where?: string | null }, context) => {
        requireRole(context.principal, 'viewer');
        if (args.where != null) checkQueryText(args.where, 'where');
        return fleetHealth(
          context.db.pool,
          args.where ?? null,
          context.clock.now(),
        );
      },
      fleetHealthHistory: (
        _parent,
        args: { hours?: number | null },
        context,
      ) => {
        requireRole(context.principal, 'viewer');
        return fleetHealthHistory(
          context.db.pool,
          args.hours ?? 24,
          context.clock.now(),
        );
      },
      heartbeats: (
        _parent,
        args: {
          deviceId: string;
          first?: number | null;
          after?: string | null;
        },
        context,
      ) => {
        requireRole(context.principal, 'viewer');
        return listHeartbeats(context.db.pool, context.config, args);
      },
    },
    Mutation: {
      heartbeat: (_parent, args: { input: InputArgs }, context) =>
        context.services.liveness.heartbeat(
          context.principal,
          toInput(args.input),
        ),
      heartbeatBatch: (_parent, args: { inputs: InputArgs[] }, context) =>
        context.services.liveness.heartbeatBatch(
          context.principal,
          args.inputs.map(toInput),
        ),
    },
  },
};
