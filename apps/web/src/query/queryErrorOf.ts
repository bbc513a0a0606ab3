import type { QueryError } from '../api/documents/devices.ts';
import { GraphqlRequestError } from '../api/graphqlClient.ts';

/** The codes of the tag query language's errors (ERROR_CODES.md). */
const QUERY_ERROR_CODES = new Set([
  'QUERY_SYNTAX_ERROR',
  'QUERY_VALIDATION_ERROR',
  'QUERY_TOO_COMPLEX',
]);

type Position = QueryError['position'];

function isWhole(value: unknown): value is number {
  return Number.isInteger(value);
}

function positionOf(value: unknown): Position | null {
  if (typeof value !== 'object' || value === null) return null;

  const { offset, line, column, length } = value as Record<string, unknown>;
  if (isWhole(offset) && isWhole(line) && isWhole(column) && isWhole(length))
    return { offset, line, column, length };

  return null;
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];

  return value.filter((item): item is string => typeof item === 'string');
}

/**
 * The tag query error a failed request carries (an operation that takes
 * a query, such as `previewGroup`, answers a mistake with its code, its
 * position and maybe suggestions in `extensions`), in the shape
 * `validateQuery` reports errors in, so that the query box shows both
 * alike. Null for any other failure, or a query error without a position
 * (a text over the length limit is `BAD_USER_INPUT`).
 */
export function queryErrorOf(error: unknown): QueryError | null {
  if (!(error instanceof GraphqlRequestError)) return null;

  const extensions = error.errors[0]?.extensions ?? {};
  if (!QUERY_ERROR_CODES.has(error.code)) return null;

  const position = positionOf(extensions.position);
  if (position === null) return null;

  return {
    code: error.code,
    message: error.message,
    position,
    expected: strings(extensions.expected),
    suggestions: strings(extensions.suggestions),
  };
}
