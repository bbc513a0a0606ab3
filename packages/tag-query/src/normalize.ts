/**
 * Tag normalisation, shared by the API (on write) and the query language
 * (on read), so that a tag written as `Café` (in any Unicode form) and
 * queried as `tag:CAFé` are the same tag.
 *
 * The rule: Unicode NFC, then ASCII letters `A`-`Z` lowercased (other
 * letters keep their case, so the rule never depends on a locale). The
 * result must be 1 to 128 UTF-16 code units from the tag charset: Unicode
 * letters and digits (`\p{L}`, `\p{N}`), combining marks (`\p{M}`) and
 * `-`, `_`, `.`, `/`; it starts with a letter or digit.
 */

import { TagQueryError, quote } from './errors.ts';

/** Longest tag, key or value, in UTF-16 code units after normalisation. */
export const MAX_TAG_LENGTH = 128;

const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._/-]*$/u;
const TAG_CHARACTER = /^[\p{L}\p{M}\p{N}._/-]$/u;

/** `A`-`Z` to `a`-`z`; every other character unchanged. */
export function asciiLowercase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** NFC then ASCII lowercase: the folding step of normalisation. */
export function foldTag(text: string): string {
  return asciiLowercase(text.normalize('NFC'));
}

/**
 * Why `folded` (already folded) is not a valid tag, or null when it is.
 * With `isPrefix`, the empty string is allowed: it is the prefix of every
 * tag.
 */
export function tagProblem(folded: string, isPrefix = false): string | null {
  if (folded.length === 0) {
    return isPrefix ? null : 'a tag cannot be empty';
  }

  if (folded.length > MAX_TAG_LENGTH) {
    return `a tag is at most ${MAX_TAG_LENGTH} characters`;
  }

  if (TAG_PATTERN.test(folded)) return null;

  const first = [...folded][0] ?? '';
  if (!/^[\p{L}\p{N}]$/u.test(first)) {
    return `a tag must start with a letter or digit, not ${quote(first)}`;
  }

  const bad = [...folded].find((char) => !TAG_CHARACTER.test(char)) ?? '';
  if (bad === '*') {
    return 'a "*" is a wildcard only at the end of an unquoted tag';
  }
  return (
    `${quote(bad)} is not allowed in a tag ` +
    '(letters, digits, "-", "_", ".", "/")'
  );
}

/**
 * The normalised form of a tag, key or value: NFC, ASCII-lowercased and
 * checked against the tag charset.
 *
 * @throws TagQueryError `QUERY_VALIDATION_ERROR` (position within `text`)
 *   when the result is empty, longer than 128 characters or has a
 *   character outside the charset.
 */
export function normalizeTag(text: string): string {
  const folded = foldTag(text);
  const problem = tagProblem(folded);
  if (problem !== null) {
    throw new TagQueryError(
      'QUERY_VALIDATION_ERROR',
      `Invalid tag ${quote(text)}: ${problem}.`,
      { offset: 0, line: 1, column: 1, length: text.length },
    );
  }
  return folded;
}

/** True when `normalizeTag(text)` would succeed. */
export function isValidTag(text: string): boolean {
  return tagProblem(foldTag(text)) === null;
}
