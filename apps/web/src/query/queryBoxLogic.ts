/**
 * The query box's pure logic: which word the caret is in, what to suggest
 * for it, how a picked suggestion rewrites the text, how an error's
 * position splits the text for underlining and how the error reads. No
 * React, so it is unit-tested.
 */

import type { QueryError } from '../api/documents/devices.ts';

/** What kind of thing a suggestion inserts. */
export type SuggestionKind =
  'keyword' | 'prefix' | 'field' | 'tag' | 'state' | 'tier' | 'group';

/** One autocomplete option. */
export interface Suggestion {
  kind: SuggestionKind;
  /** What the list shows. */
  label: string;
  /** What replaces the word at the caret. */
  insert: string;
  /** Extra text, such as a tag's device count. */
  detail?: string;
}

/** The names the query box can complete. */
export interface Vocabulary {
  tags: readonly { name: string; deviceCount?: number }[];
  fields: readonly string[];
  states: readonly string[];
  tiers: readonly string[];
  groups: readonly string[];
}

/** The word at the caret: where it starts and ends and what precedes it. */
export interface CaretWord {
  start: number;
  end: number;
  /** The part of the word before the caret. */
  prefix: string;
  /** `tag`, `status`, `tier` or `group` after `prefix:`; null otherwise. */
  scope: 'tag' | 'status' | 'tier' | 'group' | null;
}

const KEYWORDS = ['AND', 'OR', 'NOT', 'IN'];
const PREFIXES = ['tag:', 'status:', 'tier:', 'group:'];
const BREAK = /[\s(),=!<>"\\]/;
const MAX_SUGGESTIONS = 8;

/** Finds the word around `caret` in `text` (a word stops at `:` too). */
export function caretWord(text: string, caret: number): CaretWord {
  let start = caret;
  while (
    start > 0 &&
    !BREAK.test(text[start - 1] ?? '') &&
    text[start - 1] !== ':'
  ) {
    start -= 1;
  }
  let end = caret;
  while (
    end < text.length &&
    !BREAK.test(text[end] ?? '') &&
    text[end] !== ':'
  ) {
    end += 1;
  }

  let scope: CaretWord['scope'] = null;
  if (text[start - 1] === ':') {
    let keyStart = start - 1;
    while (keyStart > 0 && /[a-z]/i.test(text[keyStart - 1] ?? ''))
      keyStart -= 1;
    const key = text.slice(keyStart, start - 1).toLowerCase();
    if (
      key === 'tag' ||
      key === 'status' ||
      key === 'tier' ||
      key === 'group'
    ) {
      scope = key;
    }
  }

  return { start, end, prefix: text.slice(start, caret), scope };
}

function matching(options: readonly string[], prefix: string): string[] {
  const lower = prefix.toLowerCase();
  return options.filter(
    (option) =>
      option.toLowerCase().startsWith(lower) && option.toLowerCase() !== lower,
  );
}

/**
 * The suggestions for the word at the caret: values of its scope after
 * `tag:`/`status:`/`tier:`/`group:`, otherwise keywords, prefixes and
 * fields. An empty word outside a scope suggests nothing.
 */
export function suggestionsFor(
  word: CaretWord,
  vocabulary: Vocabulary,
): Suggestion[] {
  const { prefix, scope } = word;
  if (scope === 'tag') {
    const lower = prefix.toLowerCase();
    return vocabulary.tags
      .filter((tag) => tag.name.startsWith(lower) && tag.name !== lower)
      .slice(0, MAX_SUGGESTIONS)
      .map((tag) => ({
        kind: 'tag',
        label: tag.name,
        insert: tag.name,
        ...(tag.deviceCount === undefined
          ? {}
          : { detail: `${tag.deviceCount} devices` }),
      }));
  }
  if (scope !== null) {
    const options =
      scope === 'status'
        ? vocabulary.states
        : scope === 'tier'
          ? vocabulary.tiers
          : vocabulary.groups;
    const kind: SuggestionKind = scope === 'status' ? 'state' : scope;
    return matching(options, prefix)
      .slice(0, MAX_SUGGESTIONS)
      .map((name) => ({ kind, label: name, insert: name }));
  }
  if (prefix === '') return [];

  const keywords = matching(KEYWORDS, prefix).map((name): Suggestion => ({
    kind: 'keyword',
    label: name,
    insert: `${name} `,
  }));
  const prefixes = matching(PREFIXES, prefix).map((name): Suggestion => ({
    kind: 'prefix',
    label: name,
    insert: name,
  }));
  const fields = matching(vocabulary.fields, prefix).map(
    (name): Suggestion => ({ kind: 'field', label: name, insert: `${name} ` }),
  );
  return [...keywords, ...prefixes, ...fields].slice(0, MAX_SUGGESTIONS);
}

/** The text with the caret word replaced by `suggestion`, and the new caret. */
export function applySuggestion(
  text: string,
  word: CaretWord,
  suggestion: Suggestion,
): { text: string; caret: number } {
  const before = text.slice(0, word.start);
  const after = text.slice(word.end);
  const isValue = word.scope !== null;
  const insert =
    isValue && !after.startsWith(' ')
      ? `${suggestion.insert} `
      : suggestion.insert;
  return {
    text: before + insert + after,
    caret: before.length + insert.length,
  };
}

/** The text split around an error for underlining. */
export interface Underline {
  before: string;
  error: string;
  after: string;
  /** True when the error is past the end (a missing term): show a marker. */
  isAtEnd: boolean;
}

/**
 * Splits `text` at an error's `offset` and `length` (UTF-16 units, as the
 * API reports them). A zero-length error underlines the next character, or
 * a marker after the text when it is at the end.
 */
export function underline(
  text: string,
  offset: number,
  length: number,
): Underline {
  const start = Math.max(0, Math.min(offset, text.length));
  const end = Math.min(text.length, start + Math.max(length, 1));
  return {
    before: text.slice(0, start),
    error: text.slice(start, end),
    after: text.slice(end),
    isAtEnd: start >= text.length,
  };
}

/** An error as the query box words it. */
export interface QueryErrorText {
  /** `Column 12: Expected …`, or `Line 2, column 5: …` past the first line. */
  summary: string;
  /** `Did you mean "status:"?`; null when the API suggests nothing. */
  didYouMean: string | null;
}

/** Words `error` with where it is and what the API suggests instead. */
export function describeQueryError(error: QueryError): QueryErrorText {
  const { line, column } = error.position;
  const where =
    line === 1 ? `Column ${column}` : `Line ${line}, column ${column}`;
  const quoted = error.suggestions.map((suggestion) =>
    JSON.stringify(suggestion),
  );
  const choices =
    quoted.length <= 1
      ? quoted.join('')
      : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;

  return {
    summary: `${where}: ${error.message}`,
    didYouMean: quoted.length === 0 ? null : `Did you mean ${choices}?`,
  };
}

/**
 * `text` with each CRLF or CR line break written as LF. The query
 * language counts all three as one line break and reads them as white
 * space, so the query means the same; but a textarea shows every break as
 * LF, and the offsets of errors under it must count what it shows.
 */
export function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** A value quoted for the query language (backslash escapes `"` and `\`). */
export function quoteValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}
