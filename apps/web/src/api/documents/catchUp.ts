/** The catch-up queue, the investigation queue and their operator actions. */

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

/** One queue entry as the spec lists its fields. */
export interface CatchUpEntry {
  id: string;
  deviceId: string;
  targetVersion: string;
  deploymentId: string;
  queuedAt: string;
  reason: string;
  attempts: number;
  maxAttempts: number;
  priority: string;
  lastAttempt: string | null;
  lastFailure: string | null;
  status: string;
}

/** Shape of CATCH_UP_QUEUE. */
export interface CatchUpQueueData {
  catchUpQueue: {
    totalCount: number;
    edges: { node: CatchUpEntry }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

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

/** Shape of INVESTIGATION_QUEUE. */
export interface InvestigationQueueData {
  investigationQueue: {
    edges: {
      node: { id: string; deviceId: string; reason: string; openedAt: string };
    }[];
  };
}

/** The operator actions on an entry and their mutations. */
export const CATCH_UP_ACTIONS = {
  retry: 'retryCatchUp',
  skip: 'skipCatchUp',
  remove: 'removeCatchUp',
} as const;

/** The document for one entry action. */
export function catchUpActionDocument(field: string): string {
  return /* GraphQL */ `
    mutation CatchUpAction($id: ID!) {
      ${field}(id: $id) {
        id
        status
      }
    }
  `;
}

export const RESOLVE_INVESTIGATION = /* GraphQL */ `
  mutation ResolveInvestigation($id: ID!, $resolution: String!) {
    resolveInvestigation(id: $id, resolution: $resolution) {
      id
      resolvedAt
    }
  }
`;
