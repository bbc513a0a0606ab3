import { useMemo, useState } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { QueryBox } from '../../query/QueryBox.tsx';
import { buildVocabulary } from '../../query/vocabulary.ts';
import { useGroupNames } from '../groups/useGroups.ts';
import { BulkTagForm } from './BulkTagForm.tsx';
import { DevicesTable } from './DevicesTable.tsx';
import { useDevicesHeartbeatLive } from './useDevicesHeartbeatLive.ts';
import { useAllDevicesCount, useDevicesPage, useTags } from './useDevices.ts';
import { useQueryInput } from './useQueryInput.ts';

/**
 * Devices: the query box (live validation and match count), the matching
 * devices page by page, and bulk tagging. The applied query lives in
 * `?q=`.
 */
export function DevicesView() {
  const query = useQueryInput();
  const canWrite = useCan('operator');
  const tags = useTags();
  const groups = useGroupNames();
  const vocabulary = useMemo(
    () => buildVocabulary(tags.data ?? [], groups.data ?? []),
    [tags.data, groups.data],
  );

  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title">Devices</h1>
      <div className="query-row">
        <QueryBox
          value={query.text}
          onChange={query.setText}
          onSubmit={query.submit}
          vocabulary={vocabulary}
          error={query.error}
        />
        <p className="match-count" aria-live="polite" data-testid="match-count">
          {query.countText}
        </p>
      </div>
      {query.linkError && (
        <p role="alert" className="error-text" data-testid="link-error">
          {query.linkError}
        </p>
      )}
      {/* Bulk tagging acts on the typed text, never on the table's query. */}
      {canWrite && query.text.trim() !== '' && (
        <BulkTagForm
          target={query.typed}
          pendingReason={query.typedPendingReason}
        />
      )}
      {/* A new query starts again at its first page. */}
      <DevicePages
        key={query.applied}
        where={query.applied}
        matchCount={query.appliedCount}
      />
    </section>
  );
}

function DevicePages(props: { where: string; matchCount: number | null }) {
  const { where } = props;
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = useDevicesPage(where, cursors[cursors.length - 1] ?? null);
  // A typed query was counted by its validation; only "all" needs a count.
  const isAll = where === '';
  const allCount = useAllDevicesCount(isAll);
  const totalCount = isAll ? (allCount.data ?? null) : props.matchCount;
  useDevicesHeartbeatLive(page.data?.edges.map((edge) => edge.node.id) ?? []);

  return (
    <QueryState
      query={page}
      label="devices"
      isEmpty={(data) => data.edges.length === 0}
      empty="No devices match this query."
    >
      {(data) => (
        <DevicesTable
          devices={data.edges.map((edge) => edge.node)}
          totalCount={totalCount}
          pageNumber={cursors.length}
          hasNextPage={data.pageInfo.hasNextPage}
          isFetching={page.isFetching}
          onNext={() => setCursors([...cursors, data.pageInfo.endCursor])}
          onPrevious={() => setCursors(cursors.slice(0, -1))}
        />
      )}
    </QueryState>
  );
}
