import { useEffect, useMemo, useRef, useState } from 'react';
import type { QueryError } from '../../api/documents/devices.ts';
import { useDebounced } from '../../components/useDebounced.ts';
import { localSyntaxError } from '../../query/localCheck.ts';
import { normalizeLineBreaks } from '../../query/queryBoxLogic.ts';
import {
  navigate,
  useSearchParam,
  withSearchParam,
} from '../../router/router.ts';
import {
  afterApplied,
  afterSubmitted,
  historyAt,
  startingQuery,
} from './queryHistory.ts';
import { useValidateQuery } from './useDevices.ts';
import { describeCount } from './queryCountText.ts';

const VALIDATE_DELAY_MS = 250;

/** The query box's state: what is typed, its error, count and applied query. */
export interface QueryInput {
  text: string;
  setText(text: string): void;
  /** Enter in the box: ends this edit of the query (one history entry). */
  submit(): void;
  error: QueryError | null;
  /** What the match-count line says. */
  countText: string;
  /** The last valid query, trimmed: what the table shows ('' for all). */
  applied: string;
  /** How many devices `applied` selects; null while unknown or blank. */
  appliedCount: number | null;
  /**
   * Exactly what the box holds, trimmed, with its match count, once the
   * server has validated this very text; null while it is blank, being
   * typed, being checked or invalid.
   */
  typed: TypedQuery | null;
  /** Why `typed` is null, for the controls that need it; null if it is not. */
  typedPendingReason: string | null;
  /** Why the link's `?q=` was not applied; null when it was readable. */
  linkError: string | null;
}

/** What the view says when `?q=` holds a malformed percent-escape. */
export const MALFORMED_LINK_MESSAGE =
  'The query in this link cannot be read: its ?q= holds a malformed ' +
  '%-escape (a truncated or hand-edited link). Showing every device; ' +
  'type the query again.';

/** A typed query the server has validated, with its match count. */
export interface TypedQuery {
  query: string;
  matchCount: number;
}

/**
 * The devices query: typed text checked locally at once and by
 * `validateQuery` after a pause, and applied to the table only once the
 * server calls it valid. The applied query is kept in `?q=` (see
 * queryHistory.ts), so a reload, a shared link, Back and Forward show
 * the same devices. The validation's match count is also the table's
 * total, so a query is counted once.
 */
export function useQueryInput(): QueryInput {
  const urlParam = useSearchParam('q');
  // The box shows line breaks as LF; error offsets count what it shows.
  const urlQuery = normalizeLineBreaks(urlParam.value);
  const [text, setText] = useState(urlQuery);
  // As validated, untrimmed, so that its validation is the box's request.
  const [applied, setApplied] = useState(() => startingQuery(urlQuery));
  const debounced = useDebounced(text, VALIDATE_DELAY_MS);
  const history = useRef(historyAt(urlQuery));

  // Back/forward and links change ?q=: the box and the table follow.
  useEffect(() => {
    if (urlQuery.trim() === history.current.inUrl) return;

    history.current = historyAt(urlQuery);
    setText(urlQuery);
    setApplied(startingQuery(urlQuery));
  }, [urlQuery]);

  const validation = useValidateQuery(debounced);
  const localError = useMemo(() => localSyntaxError(text), [text]);
  const isBlank = debounced.trim() === '';
  const isCurrent =
    debounced === text && validation.isSuccess && !validation.isPlaceholderData;
  const result = isCurrent ? validation.data : undefined;
  const isValid = isBlank || result?.valid === true;

  useEffect(() => {
    if (!isValid) return;

    setApplied(debounced);
    const next = afterApplied(history.current, debounced);
    history.current = next.history;
    if (next.write.kind === 'none') return;

    const to = withSearchParam('/devices', 'q', next.write.query);
    navigate(to, { replace: next.write.kind === 'replace' });
  }, [isValid, debounced]);

  // A query from the URL that the server finds invalid (an unknown state
  // or group) leaves the table showing every device, not a failing page.
  const isInvalid = isCurrent && result?.valid === false;
  useEffect(() => {
    if (!isInvalid) return;

    setApplied((current) =>
      current.trim() === debounced.trim() ? '' : current,
    );
  }, [isInvalid, debounced]);

  // Still observed while the box holds other text, so that bulk tagging
  // refreshes the table's total.
  const appliedValidation = useValidateQuery(applied);

  const error = localError ?? result?.errors[0] ?? null;
  const countText = describeCount({
    isFailed: validation.isError,
    hasError: error !== null,
    isBlank: text.trim() === '' && isBlank,
    matchCount: result?.matchCount ?? null,
    applied: applied.trim(),
  });

  // Only the validation of exactly this text may name what a write acts on.
  const typedCount =
    error === null && result?.valid === true && text.trim() !== ''
      ? result.matchCount
      : null;
  const typed =
    typedCount === null ? null : { query: text.trim(), matchCount: typedCount };

  const isAppliedCounted =
    applied.trim() !== '' && !appliedValidation.isPlaceholderData;

  const submit = () => {
    history.current = afterSubmitted(history.current, text);
    setText(text.trim());
  };

  return {
    text,
    setText,
    submit,
    error,
    countText,
    applied: applied.trim(),
    appliedCount: isAppliedCounted
      ? (appliedValidation.data?.matchCount ?? null)
      : null,
    typed,
    typedPendingReason: describePending({
      isTyped: typed !== null,
      isBlank: text.trim() === '',
      isFailed: validation.isError,
      hasError: error !== null || result?.valid === false,
    }),
    linkError: urlParam.isMalformed ? MALFORMED_LINK_MESSAGE : null,
  };
}

/** Why the typed text cannot be acted on yet; null when it can. */
function describePending(state: {
  isTyped: boolean;
  isBlank: boolean;
  isFailed: boolean;
  hasError: boolean;
}): string | null {
  if (state.isTyped) return null;
  if (state.isBlank) return 'Type a query first.';
  if (state.isFailed) return 'Could not check the query.';
  if (state.hasError) return 'Fix the query first.';

  return 'Waiting for the query to be checked…';
}
