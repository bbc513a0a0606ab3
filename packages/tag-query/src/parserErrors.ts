/** The errors the parser raises, built in one place so messages agree. */

import type { Location } from './ast.ts';
import { TagQueryError, positionOf, quote } from './errors.ts';
import type { Token } from './lexer.ts';
import { describeToken, lineAndColumn } from './lexer.ts';
import { foldTag, tagProblem } from './normalize.ts';

/** What may start an expression, as error messages list it. */
export const EXPRESSION_START = [
  'NOT',
  '(',
  'tag:',
  'status:',
  'tier:',
  'group:',
  'field name',
];

/** `QUERY_TOO_COMPLEX` at the first character past `maxLength`. */
export function tooLong(text: string, maxLength: number): TagQueryError {
  return new TagQueryError(
    'QUERY_TOO_COMPLEX',
    `Query is longer than ${maxLength} characters.`,
    {
      offset: maxLength,
      ...lineAndColumn(text, maxLength),
      length: text.length - maxLength,
    },
  );
}

/** `QUERY_SYNTAX_ERROR` at a UTF-16 surrogate that is not in a pair. */
export function loneSurrogate(text: string, offset: number): TagQueryError {
  return new TagQueryError(
    'QUERY_SYNTAX_ERROR',
    'Invalid text: a lone UTF-16 surrogate is not a character.',
    { offset, ...lineAndColumn(text, offset), length: 1 },
  );
}

/** `QUERY_SYNTAX_ERROR` for empty or blank text, at offset 0. */
export function blankQuery(): TagQueryError {
  return new TagQueryError(
    'QUERY_SYNTAX_ERROR',
    'Expected an expression, found end of query.',
    { offset: 0, line: 1, column: 1, length: 0 },
    { expected: EXPRESSION_START },
  );
}

/** `QUERY_TOO_COMPLEX` at the `(` or `NOT` that nests too deep. */
export function tooDeep(token: Token, maxDepth: number): TagQueryError {
  return new TagQueryError(
    'QUERY_TOO_COMPLEX',
    `Query nests deeper than ${maxDepth} levels.`,
    positionOf(token),
  );
}

/** `QUERY_TOO_COMPLEX` at the first term past `maxTerms`. */
export function tooManyTerms(
  loc: Location | undefined,
  maxTerms: number,
): TagQueryError {
  return new TagQueryError(
    'QUERY_TOO_COMPLEX',
    `Query has more than ${maxTerms} terms.`,
    positionOf(loc),
  );
}

/** `QUERY_SYNTAX_ERROR`: "Expected <what>, found <token>." */
export function unexpectedToken(
  token: Token,
  expected: string[],
  what: string,
  suggestions: string[] = [],
): TagQueryError {
  return new TagQueryError(
    'QUERY_SYNTAX_ERROR',
    `Expected ${what}, found ${describeToken(token)}.`,
    positionOf(token),
    { expected, suggestions },
  );
}

/** `QUERY_SYNTAX_ERROR` for `word:` where word is not a prefix. */
export function unknownPrefix(
  token: Token,
  prefixes: readonly string[],
): TagQueryError {
  return new TagQueryError(
    'QUERY_SYNTAX_ERROR',
    `Unknown prefix ${quote(token.value)}; expected tag, status, tier or ` +
      'group.',
    positionOf(token),
    {
      expected: prefixes.map((prefix) => `${prefix}:`),
      suggestions: suggestPrefix(token.value.toLowerCase()),
    },
  );
}

/**
 * The normalised tag of a tag token, without the trailing `*` of a prefix.
 *
 * @throws TagQueryError `QUERY_VALIDATION_ERROR` at the token when it is not
 *   a valid tag (or tag prefix).
 */
export function checkTag(token: Token, isPrefix: boolean): string {
  const raw = isPrefix ? token.value.slice(0, -1) : token.value;
  const folded = foldTag(raw);
  const problem = tagProblem(folded, isPrefix);
  if (problem !== null) {
    throw new TagQueryError(
      'QUERY_VALIDATION_ERROR',
      `Invalid tag ${quote(token.value)}: ${problem}.`,
      positionOf(token),
    );
  }
  return folded;
}

function suggestPrefix(prefix: string): string[] {
  if (prefix === 'tags') return ['tag:'];
  if (prefix === 'state' || prefix === 'status.state') return ['status:'];
  if (prefix === 'groups') return ['group:'];
  return [];
}

/** `["AND", "OR", ")"]` as `"AND", "OR" or ")"`. */
export function listWords(words: string[]): string {
  const quoted = words.map((w) => (w === 'end of query' ? w : quote(w)));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
