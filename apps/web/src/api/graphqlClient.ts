/**
 * The dashboard's HTTP GraphQL transport: one POST per operation to the
 * API's /graphql on the same origin, with the operator key as a bearer.
 */
import { currentKey } from '../auth/session.ts';

/** One GraphQL error as the API formats it (code in extensions). */
export interface GraphqlErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

/** A failed operation: the first error's code and message, and all errors. */
export class GraphqlRequestError extends Error {
  readonly code: string;
  readonly errors: readonly GraphqlErrorEntry[];
  readonly status: number;

  constructor(status: number, errors: readonly GraphqlErrorEntry[]) {
    const first = errors[0];
    super(first?.message ?? `Request failed with HTTP ${status}`);
    this.name = 'GraphqlRequestError';
    this.status = status;
    this.errors = errors;
    this.code =
      first?.extensions?.code ??
      (status >= 500 ? 'SERVER_ERROR' : 'REQUEST_FAILED');
  }
}

/** Variables of an operation. */
export type Variables = Record<string, unknown>;

interface GraphqlBody<T> {
  data?: T | null;
  errors?: GraphqlErrorEntry[];
}

/**
 * Runs one operation and returns its data; throws GraphqlRequestError when
 * the API answers with errors, and a network error when it cannot be
 * reached. `key` defaults to the signed-in operator's key. `T` and `V` are
 * the operation's generated result and variable types (api/generated.ts).
 */
export async function graphqlRequest<T, V extends Variables = Variables>(
  query: string,
  variables: V = {} as V,
  key: string | null = currentKey(),
): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });

  const body = (await response.json().catch(() => ({}))) as GraphqlBody<T>;
  if (body.errors && body.errors.length > 0) {
    throw new GraphqlRequestError(response.status, body.errors);
  }
  if (!response.ok || body.data == null) {
    throw new GraphqlRequestError(response.status, []);
  }

  return body.data;
}

// Answers that a repeat of the same request may change: the server or the
// network failed, or asked to come back later. Every other code (a query
// error, a missing key or device, a conflict) says the request itself is
// wrong, and repeating it only delays the message.
const TRANSIENT_CODES = new Set([
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
  'SERVER_ERROR',
  'REQUEST_FAILED',
]);

/** True when repeating the failed request could succeed. */
export function isTransientError(error: unknown): boolean {
  return (
    !(error instanceof GraphqlRequestError) || TRANSIENT_CODES.has(error.code)
  );
}
