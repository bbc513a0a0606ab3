/** The catch-up queue, the investigation queue and their operator actions. */

import type { CatchUpQueueQuery } from '../generated.ts';

export const CATCH_UP_QUEUE = /* GraphQL */ `
  query CatchUpQueue($filter: CatchUpFilter, $first: Int, $after: String) {
    catchUpQueue(filter: $filter, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          deviceId
          targetVersion
          deploymentId
          queuedAt
          reason
          attempts
          maxAttempts
          priority
          lastAttempt

          lastFailure
          status
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const INVESTIGATION_QUEUE = /* GraphQL */ `
  query InvestigationQueue($first: Int) {
    investigationQueue(first: $first) {
      edges {
        node {
          id
          deviceId
          reason
          openedAt
        }
      }
    }
  }
`;

export const RETRY_CATCH_UP = /* GraphQL */ `
  mutation RetryCatchUp($id: ID!) {
    retryCatchUp(id: $id) {
      id
      status
    }
  }
`;

export const SKIP_CATCH_UP = /* GraphQL */ `
  mutation SkipCatchUp($id: ID!) {
    skipCatchUp(id: $id) {
      id
      status
    }
  }
`;

export const REMOVE_CATCH_UP = /* GraphQL */ `
  mutation RemoveCatchUp($id: ID!) {
    removeCatchUp(id: $id) {
      id
      status
    }
  }
`;

/** The operator actions on an entry and their documents. */
export const CATCH_UP_ACTIONS = {
  retry: RETRY_CATCH_UP,
  skip: SKIP_CATCH_UP,
  remove: REMOVE_CATCH_UP,
} as const;

export const RESOLVE_INVESTIGATION = /* GraphQL */ `
  mutation ResolveInvestigation($id: ID!, $resolution: String!) {
    resolveInvestigation(id: $id, resolution: $resolution) {
      id
      resolvedAt
    }
  }
`;

/** One queue entry as the spec lists its fields. */
export type CatchUpEntry =
  CatchUpQueueQuery['catchUpQueue']['edges'][number]['node'];
