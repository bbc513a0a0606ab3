import { describe, expect, it } from 'vitest';
import {
  GraphqlRequestError,
  isTransientError,
} from '../src/api/graphqlClient.ts';

const answer = (code: string) =>
  new GraphqlRequestError(200, [{ message: code, extensions: { code } }]);

describe('isTransientError', () => {
  it('retries what a repeat could fix: the network, the server, a busy database', () => {
    expect([
      isTransientError(new TypeError('Failed to fetch')),
      isTransientError(new GraphqlRequestError(502, [])),
      isTransientError(answer('SERVICE_UNAVAILABLE')),
      isTransientError(answer('RATE_LIMITED')),
    ]).toEqual([true, true, true, true]);
  });

  it('never repeats a request the API refused for what it says', () => {
    expect([
      isTransientError(answer('QUERY_SYNTAX_ERROR')),
      isTransientError(answer('QUERY_VALIDATION_ERROR')),
      isTransientError(answer('UNAUTHENTICATED')),
      isTransientError(answer('NOT_FOUND')),
      isTransientError(answer('BAD_USER_INPUT')),
    ]).toEqual([false, false, false, false, false]);
  });
});
