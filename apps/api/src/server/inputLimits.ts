import { RollcallError } from '../errors.ts';

/** Default bounds on GraphQL inputs, in characters and items. */
export const INPUT_LIMITS = {
  /** Names: groups, API keys. */
  name: 128,
  /** Free text such as descriptions and notes. */
  text: 2_000,
  /** A tag query (the language's own limit is also 4096). */
  query: 4_096,
  /** Device ids in one call. */
  ids: 1_000,
  /** Tags in one list argument (`tags`, `tagMap`, `locationTags`). */
  tags: 64,
  /** Tags one device may hold, the registry's own included. */
  tagsPerDevice: 128,
} as const;

// C0/C1 controls (tab, line feed and carriage return only in free text
// and tag queries) and the invisible
// format characters that make two names look equal: zero-width spaces and
// joiners, bidirectional overrides, the BOM.
// eslint-disable-next-line no-control-regex -- finding controls is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
// eslint-disable-next-line no-control-regex -- finding controls is the point
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F-\u009F]/u;
const INVISIBLE =
  /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

/**
 * True when `value` holds a control character (tab and newline allowed
 * only when `isMultiline`) or an invisible format character. For domain
 * validators with their own error shape; `checkText` uses it too.
 */
export function hasForbiddenCharacter(
  value: string,
  options: { isMultiline?: boolean } = {},
): boolean {
  const control = options.isMultiline ? CONTROL : CONTROL_IN_LINE;
  return control.test(value) || INVISIBLE.test(value);
}

function badInput(field: string, message: string, extra = {}): RollcallError {
  return new RollcallError('BAD_USER_INPUT', message, { field, ...extra });
}

/**
 * Checks a string input: at most `maxLength` characters, no control or
 * invisible characters (newlines and tabs only when `isMultiline`).
 * Throws BAD_USER_INPUT naming the field, before anything is written.
 */
export function checkText(
  value: string,
  field: string,
  maxLength: number,
  options: { isMultiline?: boolean } = {},
): string {
  if (value.length > maxLength) {
    throw badInput(
      field,
      `${field} is ${value.length} characters long; the limit is ${maxLength}`,
      { maxLength },
    );
  }
  if (hasForbiddenCharacter(value, options)) {
    throw badInput(field, `${field} contains a control or invisible character`);
  }
  return value;
}

/**
 * Checks a tag query input: `checkText` at the language's length limit,
 * line breaks and tabs allowed, since the grammar treats them as white
 * space and reports errors by line and column (GRAMMAR.md).
 */
export function checkQueryText(value: string, field: string): string {
  return checkText(value, field, INPUT_LIMITS.query, { isMultiline: true });
}

/** Checks a list input: at most `maxItems` items. */
export function checkList<T>(
  values: readonly T[],
  field: string,
  maxItems: number,
): readonly T[] {
  if (values.length > maxItems) {
    throw badInput(
      field,
      `${field} has ${values.length} items; the limit is ${maxItems}`,
      { maxItems },
    );
  }
  return values;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Checks an identifier-like name (groups): lower-case ASCII letters,
 * digits, `.`, `_`, `-`, starting with a letter or digit, at most 128
 * characters, so that `group:NAME` in a tag query always names it.
 */
export function checkName(value: string, field: string): string {
  checkText(value, field, INPUT_LIMITS.name);
  if (!NAME.test(value)) {
    throw badInput(
      field,
      `${field} must be lower-case letters, digits, ".", "_" or "-", ` +
        'starting with a letter or digit',
    );
  }
  return value;
}
