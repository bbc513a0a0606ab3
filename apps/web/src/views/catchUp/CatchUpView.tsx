import { useState } from 'react';
import { useDebounced } from '../../components/useDebounced.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { formatAge, formatCount } from '../../components/format.ts';
import { useNow } from '../../components/useNow.ts';
import { Link } from '../../router/Link.tsx';
import { CatchUpTable } from './CatchUpTable.tsx';
import {
  useCatchUpQueue,
  useInvestigationQueue,
  type CatchUpFilter,
} from './useCatchUp.ts';

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
            <p className="muted">{formatCount(data.totalCount)} entries</p>
            <CatchUpTable entries={data.edges.map((edge) => edge.node)} />
          </>
        )}
      </QueryState>
      <InvestigationQueue />
    </section>
  );
}

function InvestigationQueue() {
  const investigation = useInvestigationQueue();
  const now = useNow();
  return (
    <section aria-labelledby="investigation-title">
      <h2 id="investigation-title">Investigation queue</h2>
      <QueryState
        query={investigation}
        label="investigations"
        isEmpty={(data) => data.length === 0}
        empty="Nothing to investigate."
      >
        {(data) => (
          <ul className="plain-list" aria-label="Investigations">
            {data.map((entry) => (
              <li key={entry.id}>
                <Link to={`/devices/${encodeURIComponent(entry.deviceId)}`}>
                  {entry.deviceId}
                </Link>{' '}
                — {entry.reason}{' '}
                <span className="muted">
                  opened {formatAge(entry.openedAt, now)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}
