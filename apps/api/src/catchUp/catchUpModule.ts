import { requireRole } from '../auth/authService.ts';
import { actorName } from '../auth/principal.ts';
import type { RequestContext } from '../server/context.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import { checkText, INPUT_LIMITS } from '../server/inputLimits.ts';
import type { CatchUpFilter } from './catchUpQueries.ts';

type Ctx = RequestContext;

const typeDefs = /* GraphQL */ `
  "Open: PENDING, DELIVERING. The rest are closed, with a reason."
  enum CatchUpStatus {
    PENDING
    DELIVERING
    COMPLETED
    SUPERSEDED
    INVESTIGATION
    SKIPPED
    REMOVED
    CANCELLED
  }

  "The spec's catch-up queue entry."
  type CatchUpEntry {
    id: ID!
    deviceId: String!
    targetVersion: String!
    deploymentId: String!
    queuedAt: DateTime!
    reason: String!
    attempts: Int!
    maxAttempts: Int!
    priority: String!
    lastAttempt: DateTime
    lastFailure: String
    status: CatchUpStatus!
    closedAt: DateTime
    "Why a closed entry closed, such as superseded by 2.4.0 (deploy-...)."
    closeReason: String
  }

  type CatchUpEdge {
    cursor: String!
    node: CatchUpEntry!
  }

  type CatchUpConnection {
    edges: [CatchUpEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  "Each filter given narrows the queue."
  input CatchUpFilter {
    status: CatchUpStatus
    deploymentId: ID
    deviceId: ID
    priority: String
  }

  "A device that needs a person: long offline or out of attempts."
  type InvestigationEntry {
    id: ID!
    deviceId: String!
    catchUpEntryId: ID
    reason: String!
    openedAt: DateTime!
    resolvedAt: DateTime
    resolution: String
  }

  type InvestigationEdge {
    cursor: String!
    node: InvestigationEntry!
  }

  type InvestigationConnection {
    edges: [InvestigationEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  extend type Query {
    "The catch-up queue, oldest queued first (viewer)."
    catchUpQueue(
      filter: CatchUpFilter
      first: Int
      after: String
    ): CatchUpConnection!
    "Open investigations, oldest first; resolved ones too when asked."
    investigationQueue(
      first: Int
      after: String
      includeResolved: Boolean = false
    ): InvestigationConnection!
  }

  extend type Mutation {
    "Retries an entry now (operator); an unhealthy device counts a failure."
    retryCatchUp(id: ID!): CatchUpEntry!
    "Closes an entry without delivering it (operator)."
    skipCatchUp(id: ID!, reason: String): CatchUpEntry!
    "Takes an entry off the queue (operator)."
    removeCatchUp(id: ID!): CatchUpEntry!
    "Closes an investigation with its resolution (operator)."
    resolveInvestigation(id: ID!, resolution: String!): InvestigationEntry!
  }

  extend type Subscription {
    "Each change to the queue, optionally of one device (viewer)."
    catchUpQueueChanged(deviceId: ID): CatchUpEntry!
  }
`;

function operator(context: Ctx): string {
  requireRole(context.principal, 'operator');
  return actorName(context.principal);
}

const STATUSES = [
  'pending',
  'delivering',
  'completed',
  'superseded',
  'investigation',
  'skipped',
  'removed',
  'cancelled',
];

/** The catch-up and investigation queues and their operator actions. */
export const catchUpModule: GraphqlModule = {
  name: 'catchUp',
  typeDefs,
  resolvers: {
    CatchUpStatus: Object.fromEntries(
      STATUSES.map((s) => [s.toUpperCase(), s]),
    ),
    CatchUpEntry: {
      lastAttempt: (entry: { lastAttemptAt: Date | null }) =>
        entry.lastAttemptAt,
    },
    Query: {
      catchUpQueue: (
        _: unknown,
        args: {
          filter?: CatchUpFilter | null;
          first?: number | null;
          after?: string | null;
        },
        context: Ctx,
      ) => {
        requireRole(context.principal, 'viewer');
        return context.services.catchUp.list(
          args.filter ?? {},
          args.first,
          args.after,
        );
      },
      investigationQueue: (
        _: unknown,
        args: {
          first?: number | null;
          after?: string | null;
          includeResolved?: boolean | null;
        },
        context: Ctx,
      ) => {
        requireRole(context.principal, 'viewer');
        return context.services.catchUp.investigations(
          args.includeResolved ?? false,
          args.first,
          args.after,
        );
      },
    },
    Mutation: {
      retryCatchUp: (_: unknown, args: { id: string }, context: Ctx) =>
        context.services.catchUp.retry(args.id, operator(context)),
      skipCatchUp: (
        _: unknown,
        args: { id: string; reason?: string | null },
        context: Ctx,
      ) => {
        const actor = operator(context);
        if (args.reason) checkText(args.reason, 'reason', INPUT_LIMITS.text);
        return context.services.catchUp.skip(
          args.id,
          actor,
          args.reason ?? null,
        );
      },
      removeCatchUp: (_: unknown, args: { id: string }, context: Ctx) =>
        context.services.catchUp.remove(args.id, operator(context)),
      resolveInvestigation: (
        _: unknown,
        args: { id: string; resolution: string },
        context: Ctx,
      ) => {
        const actor = operator(context);
        checkText(args.resolution, 'resolution', INPUT_LIMITS.text);
        return context.services.catchUp.resolveInvestigation(
          args.id,
          actor,
          args.resolution,
        );
      },
    },
    Subscription: {
      catchUpQueueChanged: {
        subscribe: (
          _: unknown,
          args: { deviceId?: string | null },
          context: Ctx,
        ) => {
          requireRole(context.principal, 'viewer');
          return context.services.catchUp.watch(args.deviceId || null);
        },
        resolve: (entry: unknown) => entry,
      },
    },
  },
};
