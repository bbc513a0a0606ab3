import { isTagQueryError, parse } from '@rollcall/tag-query';
import type { QueryError } from '../api/documents/devices.ts';

/**
 * Parses `text` in the browser for instant feedback while the server's
 * validation (which also knows fields, groups and the match count) is on
 * its way. Returns the syntax error, or null when the text parses.
 */
export function localSyntaxError(text: string): QueryError | null {
  if (text.trim() === '') return null;

  try {
    parse(text);
    return null;
  } catch (error) {
    if (!isTagQueryError(error)) throw error;

    return {
      code: error.code,
      message: error.message,
      expected: error.expected,
      suggestions: error.suggestions,
      position: error.position,
    };
  }
}
