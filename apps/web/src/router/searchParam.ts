/** One search parameter as a link gave it. */
export type SearchParam =
  | { isMalformed: false; value: string }
  /** Its value is not percent-encoded UTF-8: it cannot be read at all. */
  | { isMalformed: true; value: '' };

// decodeURIComponent throws on a malformed escape where URLSearchParams
// substitutes U+FFFD.
function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/**
 * The first parameter `name` of `search` ('' when absent). Unlike
 * URLSearchParams, which reads a malformed escape (`%E0%A4%A`, from a
 * truncated or hand-edited link) as replacement characters, it reports
 * such a value as malformed rather than guess what it meant.
 */
export function readSearchParam(search: string, name: string): SearchParam {
  for (const pair of search.replace(/^\?/, '').split('&')) {
    const separator = pair.indexOf('=');
    const rawName = separator === -1 ? pair : pair.slice(0, separator);
    if (decodeComponent(rawName) !== name) continue;

    const value = decodeComponent(
      separator === -1 ? '' : pair.slice(separator + 1),
    );
    return value === null
      ? { isMalformed: true, value: '' }
      : { isMalformed: false, value };
  }

  return { isMalformed: false, value: '' };
}
