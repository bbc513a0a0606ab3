import { RollcallError } from '../errors.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import { checkText, INPUT_LIMITS } from '../server/inputLimits.ts';
import { requireRole } from './authService.ts';
import { actorName, type OperatorRole, type Principal } from './principal.ts';

const typeDefs = /* GraphQL */ `
  "Who a request acts as."
  enum PrincipalKind {
    ANONYMOUS
    OPERATOR
    DEVICE
  }

  "The caller: an operator key with its role, a device, or nobody."
  type Me {
    kind: PrincipalKind!
    "The key's name, for operators."
    name: String
    role: OperatorRole
    keyId: ID
    "The device, for device tokens."
    deviceId: String
  }

  "An operator API key. The secret itself is shown once, at creation."
  type ApiKey {
    id: ID!
    name: String!
    role: OperatorRole!
    "The first characters of the key, to recognise it."
    prefix: String!
    createdAt: DateTime!
    createdBy: String
    revokedAt: DateTime
    lastUsedAt: DateTime
  }

  type CreatedApiKey {
    apiKey: ApiKey!
    "The secret: store it now, it cannot be shown again."
    key: String!
  }

  type RotatedDeviceToken {
    deviceId: String!
    "The new device token; the previous one no longer works."
    token: String!
  }

  extend type Query {
    "The caller's identity (any caller, including anonymous)."
    me: Me!
    "Operator API keys, without secrets (admin)."
    apiKeys(includeRevoked: Boolean = false): [ApiKey!]!
  }

  extend type Mutation {
    "Creates an API key and returns its secret once (admin)."
    createApiKey(name: String!, role: OperatorRole!): CreatedApiKey!
    "Revokes an API key at once (admin)."
    revokeApiKey(id: ID!): ApiKey!
    "Issues a new device token and revokes the old one at once (operator)."
    rotateDeviceToken(deviceId: String!): RotatedDeviceToken!
  }
`;

function describe(principal: Principal) {
  switch (principal.kind) {
    case 'anonymous':
      return { kind: 'ANONYMOUS' };
    case 'operator':
      return {
        kind: 'OPERATOR',
        name: principal.name,
        role: principal.role,
        keyId: principal.keyId,
      };
    case 'device':
      return { kind: 'DEVICE', deviceId: principal.deviceId };
    default: {
      const unreachable: never = principal;
      throw new Error(`Unknown principal ${JSON.stringify(unreachable)}`);
    }
  }
}

/** API keys, device token rotation and `me`. */
export const authModule: GraphqlModule = {
  name: 'auth',
  typeDefs,
  resolvers: {
    Query: {
      me: (_parent, _args, context) => describe(context.principal),
      apiKeys: (_parent, args: { includeRevoked: boolean }, context) => {
        requireRole(context.principal, 'admin');
        return context.services.credentials.listApiKeys({
          includeRevoked: args.includeRevoked,
        });
      },
    },
    Mutation: {
      createApiKey: (
        _parent,
        args: { name: string; role: OperatorRole },
        context,
      ) => {
        requireRole(context.principal, 'admin');
        const name = checkText(args.name.trim(), 'name', INPUT_LIMITS.name);
        if (!name) {
          throw new RollcallError('BAD_USER_INPUT', 'name cannot be blank', {
            field: 'name',
          });
        }
        return context.services.credentials.createApiKey(
          { name, role: args.role },
          actorName(context.principal),
        );
      },
      revokeApiKey: (_parent, args: { id: string }, context) => {
        requireRole(context.principal, 'admin');
        return context.services.credentials.revokeApiKey(
          args.id,
          actorName(context.principal),
        );
      },
      rotateDeviceToken: (_parent, args: { deviceId: string }, context) => {
        requireRole(context.principal, 'operator');
        checkText(args.deviceId, 'deviceId', INPUT_LIMITS.name);
        return context.services.credentials.rotateDeviceToken(
          args.deviceId,
          actorName(context.principal),
        );
      },
    },
  },
};
