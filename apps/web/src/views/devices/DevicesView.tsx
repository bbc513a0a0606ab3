import { useEffect, useMemo, useRef, useState } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatCount } from '../../components/format.ts';
import { useDebounced } from '../../components/useDebounced.ts';
import { localSyntaxError } from '../../query/localCheck.ts';
import { QueryBox } from '../../query/QueryBox.tsx';
import { buildVocabulary } from '../../query/vocabulary.ts';
import {
  navigate,
  useSearchParam,
  withSearchParam,
} from '../../router/router.ts';
import { useGroupNames } from '../groups/useGroups.ts';
import { BulkTagForm } from './BulkTagForm.tsx';
import { DevicesTable } from './DevicesTable.tsx';
import { useDevicesPage, useTags, useValidateQuery } from './useDevices.ts';

const VALIDATE_DELAY_MS = 250;

/**
 * Devices: the query box (live validation and match count), the matching
 * devices page by page, and bulk tagging. The query lives in `?q=`.
 */
export function DevicesView() {
  const urlQuery = useSearchParam('q');
  const [text, setText] = useState(urlQuery);
  const debounced = useDebounced(text, VALIDATE_DELAY_MS);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const canWrite = useCan('operator');

  const written = useRef(urlQuery);

  // Back/forward and pasted links change ?q=: the box follows the URL.
  useEffect(() => {
    if (urlQuery !== written.current) setText(urlQuery);
  }, [urlQuery]);

  useEffect(() => {
    written.current = debounced;
    navigate(withSearchParam('/devices', 'q', debounced), { replace: true });
    setCursors([null]);
  }, [debounced]);

  const tags = useTags();
  const groups = useGroupNames();
  const vocabulary = useMemo(
    () => buildVocabulary(tags.data ?? [], groups.data ?? []),
    [tags.data, groups.data],
  );

  const validation = useValidateQuery(debounced);
  const localError = useMemo(() => localSyntaxError(text), [text]);
  const isCurrent =
    validation.data !== undefined &&
    debounced === text &&
    !validation.isPlaceholderData;
  const serverError = isCurrent ? (validation.data?.errors[0] ?? null) : null;
  const error = localError ?? serverError;
  const isValid =
    debounced.trim() === '' || (isCurrent && validation.data?.valid === true);
  const where = isValid ? debounced.trim() : urlQuery;

  const page = useDevicesPage(where, cursors[cursors.length - 1] ?? null);

  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title">Devices</h1>
      <div className="query-row">
        <QueryBox
          value={text}
          onChange={setText}
          onSubmit={() => setText(text.trim())}
          vocabulary={vocabulary}
          error={error}
        />
        <p className="match-count" aria-live="polite" data-testid="match-count">
          {debounced.trim() === ''
            ? 'All devices'
            : isCurrent && validation.data?.matchCount != null
              ? `${formatCount(validation.data.matchCount)} matching`
              : validation.isFetching
                ? 'Counting…'
                : ''}
        </p>
      </div>
      {validation.isError && (
        <p role="alert" className="error-text">
          Validation failed: {validation.error.message}
        </p>
      )}
      {canWrite && where !== '' && (
        <BulkTagForm
          where={where}
          matchCount={validation.data?.matchCount ?? null}
        />
      )}
      <QueryState
        query={page}
        label="devices"
        isEmpty={(data) => data.edges.length === 0}
        empty="No devices match this query."
      >
        {(data) => (
          <DevicesTable
            devices={data.edges.map((edge) => edge.node)}
            totalCount={data.totalCount}
            pageNumber={cursors.length}
            hasNextPage={data.pageInfo.hasNextPage}
            isFetching={page.isFetching}
            onNext={() => setCursors([...cursors, data.pageInfo.endCursor])}
            onPrevious={() => setCursors(cursors.slice(0, -1))}
          />
        )}
      </QueryState>
    </section>
  );
}
