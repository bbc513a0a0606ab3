/**
 * The one error type of the tag query language.
 *
 * | code                     | raised when                                                    |
 * | ------------------------ | -------------------------------------------------------------- |
 * | `QUERY_SYNTAX_ERROR`     | the text is not a sentence of the grammar (GRAMMAR.md)         |
 * | `QUERY_VALIDATION_ERROR` | it parses but names an unknown field, state, tier or group,    |
 * |                          | a value of the wrong type, an invalid tag, or a group cycle    |
 * | `QUERY_TOO_COMPLEX`      | it exceeds a limit: text length, nesting depth or term count   |
 */

import type { Location } from './ast.ts';

/** The three error codes, also the GraphQL `extensions.code`. */
export type TagQueryErrorCode =
  'QUERY_SYNTAX_ERROR' | 'QUERY_VALIDATION_ERROR' | 'QUERY_TOO_COMPLEX';

/**
 * Where an error is in the query text. `offset` is a 0-based index in
 * UTF-16 code units; `line` and `column` are 1-based (column in UTF-16 code
 * units); `length` is how many code units the offending token spans (0 at
 * the end of the text).
 */
export interface ErrorPosition {
  offset: number;
  line: number;
  column: number;
  length: number;
}

/** Options of the `TagQueryError` constructor. */
export interface TagQueryErrorOptions {
  /** What the parser would have accepted here, e.g. `['AND', 'OR', ')']`. */
  expected?: string[];
  /** Did-you-mean alternatives, best first. */
  suggestions?: string[];
}

/**
 * A mistake in a query that a user can fix: a stable `code`, a safe
 * `message`, the `position` of the offending text, what was `expected`
 * there and did-you-mean `suggestions` (both possibly empty).
 */
export class TagQueryError extends Error {
  readonly code: TagQueryErrorCode;
  readonly position: ErrorPosition;
  readonly expected: string[];
  readonly suggestions: string[];

  constructor(
    code: TagQueryErrorCode,
    message: string,
    position: ErrorPosition,
    options: TagQueryErrorOptions = {},
  ) {
    super(message);
    this.name = 'TagQueryError';
    this.code = code;
    this.position = position;
    this.expected = options.expected ?? [];
    this.suggestions = options.suggestions ?? [];
  }

  /** A plain object with the public fields, for logs and GraphQL. */
  toJSON(): {
    code: TagQueryErrorCode;
    message: string;
    position: ErrorPosition;
    expected: string[];
    suggestions: string[];
  } {
    return {
      code: this.code,
      message: this.message,
      position: this.position,
      expected: this.expected,
      suggestions: this.suggestions,
    };
  }
}

/** True when `value` is a `TagQueryError`. */
export function isTagQueryError(value: unknown): value is TagQueryError {
  return value instanceof TagQueryError;
}

/** The position of a located node; offset 0 when the node has no location. */
export function positionOf(loc: Location | undefined): ErrorPosition {
  if (!loc) return { offset: 0, line: 1, column: 1, length: 0 };

  return {
    offset: loc.start,
    line: loc.line,
    column: loc.column,
    length: loc.end - loc.start,
  };
}

/** Quotes a piece of user text for a message, keeping messages one line. */
export function quote(text: string): string {
  return JSON.stringify(text);
}
