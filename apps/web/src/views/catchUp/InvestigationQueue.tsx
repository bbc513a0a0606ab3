import { useState, type FormEvent } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { ErrorMessage, QueryState } from '../../components/QueryState.tsx';
import { formatAge } from '../../components/format.ts';
import { useNow } from '../../components/useNow.ts';
import { Link } from '../../router/Link.tsx';
import {
  useInvestigationQueue,
  useResolveInvestigation,
} from './useCatchUp.ts';

/** Open investigations (entries out of attempts, devices long silent). */
export function InvestigationQueue() {
  const investigation = useInvestigationQueue();
  const now = useNow();
  const canWrite = useCan('operator');

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
                {canWrite && <ResolveForm id={entry.id} />}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

function ResolveForm({ id }: { id: string }) {
  const [resolution, setResolution] = useState('');
  const resolve = useResolveInvestigation();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    resolve.mutate({ id, resolution: resolution.trim() });
  };

  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={`resolution-${id}`}>Resolution</label>
      <input
        id={`resolution-${id}`}
        value={resolution}
        onChange={(event) => setResolution(event.target.value)}
      />
      <button
        type="submit"
        disabled={resolution.trim() === '' || resolve.isPending}
      >
        Resolve
      </button>
      {resolve.isError && <ErrorMessage error={resolve.error} />}
    </form>
  );
}
