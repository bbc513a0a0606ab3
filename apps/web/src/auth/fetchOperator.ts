import { graphqlRequest, GraphqlRequestError } from '../api/graphqlClient.ts';
import { parseRole, type OperatorRole } from './roles.ts';

/** Who the key belongs to. */
export interface Operator {
  name: string;
  role: OperatorRole | null;
}

const ME = /* GraphQL */ `
  query Me {
    me {
      kind
      name
      role
    }
  }
`;

const HEALTH = /* GraphQL */ `
  query SignInCheck {
    health {
      ok
    }
  }
`;

const NOT_AN_OPERATOR = {
  message: 'This key does not belong to an operator',
  extensions: { code: 'UNAUTHENTICATED' },
};

/**
 * Checks `key` against the API and returns its operator. Throws
 * GraphqlRequestError (UNAUTHENTICATED for a wrong key).
 */
export async function fetchOperator(key: string): Promise<Operator> {
  try {
    const data = await graphqlRequest<{
      me: { kind: string; name: string | null; role: string | null };
    }>(ME, {}, key);
    if (data.me.kind !== 'OPERATOR') {
      throw new GraphqlRequestError(401, [NOT_AN_OPERATOR]);
    }

    return {
      name: data.me.name ?? 'operator',
      role: parseRole(data.me.role),
    };
  } catch (error) {
    // An API without `me` still authenticates the key on every request;
    // the role is then unknown and the server alone enforces it.
    if (
      error instanceof GraphqlRequestError &&
      error.code === 'GRAPHQL_VALIDATION_FAILED'
    ) {
      await graphqlRequest(HEALTH, {}, key);
      return { name: 'operator', role: null };
    }
    throw error;
  }
}
