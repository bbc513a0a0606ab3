/**
 * How the devices view keeps its applied query in the URL (`?q=`): the
 * query the table shows, never text still being typed or in error, so
 * that a reload or a shared link shows the same devices. Each edit of
 * the query is one history entry, so Back returns to the query before it.
 * No React here: useQueryInput feeds it events and performs its writes.
 */
import { localSyntaxError } from '../../query/localCheck.ts';

/** What the view knows about the URL and the history entry it is on. */
export interface QueryHistory {
  /** `?q=` as the view last wrote or read it, trimmed. */
  inUrl: string;
  /** True while the current entry holds a query still being edited. */
  isEditing: boolean;
  /** The text Enter was pressed on, which ends the edit once applied. */
  submitted: string | null;
}

/** A change to make to the URL. */
export type UrlWrite =
  { kind: 'none' } | { kind: 'push' | 'replace'; query: string };

/** The state on a page load, or after Back, Forward or a link. */
export function historyAt(urlQuery: string): QueryHistory {
  return { inUrl: urlQuery.trim(), isEditing: false, submitted: null };
}

/**
 * The query the table starts with from `?q=`: the URL's, unless it does
 * not parse (a mangled link), when the table shows every device and the
 * box shows the error. Text that parses but names what does not exist is
 * left to the server's validation.
 */
export function startingQuery(urlQuery: string): string {
  return localSyntaxError(urlQuery) === null ? urlQuery : '';
}

/**
 * The URL write for a newly applied (validated) query: none when `?q=`
 * holds it already; a new entry for the first query of an edit; the same
 * entry, replaced, while the edit goes on, so that typing leaves one
 * entry and not one per pause. An applied query Enter was pressed on
 * ends the edit.
 */
export function afterApplied(
  history: QueryHistory,
  applied: string,
): { history: QueryHistory; write: UrlWrite } {
  const query = applied.trim();
  const write: UrlWrite =
    query === history.inUrl
      ? { kind: 'none' }
      : { kind: history.isEditing ? 'replace' : 'push', query };

  if (history.submitted === query) return { history: historyAt(query), write };
  if (write.kind === 'none') return { history, write };

  return { history: { ...history, inUrl: query, isEditing: true }, write };
}

/** Enter in the box: the edit ends with this text once it is applied. */
export function afterSubmitted(
  history: QueryHistory,
  text: string,
): QueryHistory {
  const query = text.trim();
  if (query === history.inUrl) return historyAt(query);

  return { ...history, submitted: query };
}
