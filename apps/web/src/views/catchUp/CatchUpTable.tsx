import type { CatchUpEntry } from '../../api/documents/catchUp.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { ErrorMessage } from '../../components/QueryState.tsx';
import { formatAge } from '../../components/format.ts';
import { useNow } from '../../components/useNow.ts';
import { Link } from '../../router/Link.tsx';
import { useCatchUpAction } from './useCatchUp.ts';

/** Catch-up entries with their spec fields and (for operators) actions. */
export function CatchUpTable({
  entries,
  showDevice = true,
}: {
  entries: readonly CatchUpEntry[];
  showDevice?: boolean;
}) {
  const now = useNow();
  const canWrite = useCan('operator');
  const action = useCatchUpAction();

  return (
    <div className="table-wrap">
      {action.isError && <ErrorMessage error={action.error} />}
      <table aria-label="Catch-up entries">
        <thead>
          <tr>
            {showDevice && <th scope="col">Device</th>}
            <th scope="col">Target version</th>
            <th scope="col">Deployment</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last failure</th>
            <th scope="col">Age</th>
            <th scope="col">Status</th>
            {canWrite && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              {showDevice && (
                <td>
                  <Link to={`/devices/${encodeURIComponent(entry.deviceId)}`}>
                    {entry.deviceId}
                  </Link>
                </td>
              )}
              <td>{entry.targetVersion}</td>
              <td>{entry.deploymentId}</td>
              <td>
                {entry.attempts} / {entry.maxAttempts}
              </td>
              <td>{entry.lastFailure ?? '—'}</td>
              <td>{formatAge(entry.queuedAt, now)}</td>
              <td>{entry.status.toLowerCase()}</td>
              {canWrite && (
                <td>
                  <div className="button-row">
                    {(['retry', 'skip', 'remove'] as const).map((name) => (
                      <button
                        key={name}
                        type="button"
                        className="secondary"
                        aria-label={`${name} ${entry.deviceId} ${entry.targetVersion}`}
                        disabled={action.isPending}
                        onClick={() =>
                          action.mutate({ id: entry.id, action: name })
                        }
                      >
                        {name === 'retry'
                          ? 'Retry now'
                          : name === 'skip'
                            ? 'Skip'
                            : 'Remove'}
                      </button>
                    ))}
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
