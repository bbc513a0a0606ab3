import { describe, expect, it } from 'vitest';
import {
  GraphqlRequestError,
  type GraphqlErrorEntry,
} from '../src/api/graphqlClient.ts';
import { queryErrorOf } from '../src/query/queryErrorOf.ts';

function failure(message: string, extensions: GraphqlErrorEntry['extensions']) {
  return new GraphqlRequestError(200, [
    { message, path: ['previewGroup'], extensions },
  ]);
}

describe('queryErrorOf', () => {
  it('reads a validation error with its position and suggestions', () => {
    const error = failure(
      '"helthy" is not a device state (provisioning, healthy).',
      {
        code: 'QUERY_VALIDATION_ERROR',
        position: { offset: 7, line: 1, column: 8, length: 6 },
        expected: ['provisioning', 'healthy'],
        suggestions: ['healthy'],
      },
    );
    expect(queryErrorOf(error)).toEqual({
      code: 'QUERY_VALIDATION_ERROR',
      message: '"helthy" is not a device state (provisioning, healthy).',
      position: { offset: 7, line: 1, column: 8, length: 6 },
      expected: ['provisioning', 'healthy'],
      suggestions: ['healthy'],
    });
  });

  it('reads a syntax error without suggestions as having none', () => {
    const error = failure('Expected an expression, found "AND".', {
      code: 'QUERY_SYNTAX_ERROR',
      position: { offset: 10, line: 1, column: 11, length: 3 },
    });
    expect(queryErrorOf(error)).toEqual({
      code: 'QUERY_SYNTAX_ERROR',
      message: 'Expected an expression, found "AND".',
      position: { offset: 10, line: 1, column: 11, length: 3 },
      expected: [],
      suggestions: [],
    });
  });

  it('is null for other failures and for a query error without a position', () => {
    expect([
      queryErrorOf(
        failure('query is longer than 4096 characters', {
          code: 'BAD_USER_INPUT',
          field: 'query',
          maxLength: 4096,
        }),
      ),
      queryErrorOf(
        failure('Query nests too deep.', {
          code: 'QUERY_TOO_COMPLEX',
          position: { offset: 'x' },
        }),
      ),
      queryErrorOf(new TypeError('Failed to fetch')),
    ]).toEqual([null, null, null]);
  });
});
