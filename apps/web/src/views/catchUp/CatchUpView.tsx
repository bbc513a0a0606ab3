import { useState } from 'react';
import { useDebounced } from '../../components/useDebounced.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { formatCountOf } from '../../components/format.ts';
import { CatchUpTable } from './CatchUpTable.tsx';
import { InvestigationQueue } from './InvestigationQueue.tsx';
import { useCatchUpQueue, type CatchUpFilter } from './useCatchUp.ts';

const CATCH_UP_STATUSES = [
  'PENDING',
  'DELIVERING',
  'INVESTIGATION',
  'COMPLETED',
  'SUPERSEDED',
  'SKIPPED',
  'REMOVED',
  'CANCELLED',
] as const;

/** The catch-up queue with filters, and the investigation queue. */
export function CatchUpView() {
  const [filter, setFilter] = useState<CatchUpFilter>({});
  const queue = useCatchUpQueue(useDebounced(filter, 300));
  const field = (name: keyof CatchUpFilter, labelText: string) => (
    <div>
      <label htmlFor={`filter-${name}`}>{labelText}</label>
      <input
        id={`filter-${name}`}
        value={filter[name] ?? ''}
        onChange={(event) =>
          setFilter({ ...filter, [name]: event.target.value })
        }
      />
    </div>
  );

  return (
    <section aria-labelledby="catch-up-title">
      <h1 id="catch-up-title">Catch-up queue</h1>
      <form
        className="filters"
        aria-label="Filters"
        onSubmit={(event) => event.preventDefault()}
      >
        {field('deviceId', 'Device')}
        {field('deploymentId', 'Deployment')}
        <div>
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={filter.status ?? ''}
            onChange={(event) =>
              setFilter({ ...filter, status: event.target.value })
            }
          >
            <option value="">Open and closed</option>
            {CATCH_UP_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
      </form>
      <QueryState
        query={queue}
        label="catch-up entries"
        isEmpty={(data) => data.edges.length === 0}
        empty="The catch-up queue is empty."
      >
        {(data) => (
          <>
            <p className="muted">
              {formatCountOf(data.totalCount, 'entry', 'entries')}
            </p>
            <CatchUpTable entries={data.edges.map((edge) => edge.node)} />
          </>
        )}
      </QueryState>
      <InvestigationQueue />
    </section>
  );
}
