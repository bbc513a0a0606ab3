import type { CatchUpEntry } from '../../api/documents/catchUp.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { ErrorMessage } from '../../components/QueryState.tsx';
import { formatAge } from '../../components/format.ts';
import { useNow } from '../../components/useNow.ts';
import { Link } from '../../router/Link.tsx';
import { ACTION_LABELS, actionsFor } from './entryActions.ts';
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
      <table aria-label="Catch-up entries" className="stack-narrow">
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
                <td data-label="Device">
                  <Link to={`/devices/${encodeURIComponent(entry.deviceId)}`}>
                    {entry.deviceId}
                  </Link>
                </td>
              )}
              <td data-label="Target version">{entry.targetVersion}</td>
              <td data-label="Deployment">{entry.deploymentId}</td>
              <td data-label="Attempts">
                {entry.attempts} / {entry.maxAttempts}
              </td>
              <td data-label="Last failure">{entry.lastFailure ?? '—'}</td>
              <td data-label="Age">{formatAge(entry.queuedAt, now)}</td>
              <td data-label="Status">{entry.status.toLowerCase()}</td>
              {canWrite && (
                <td data-label="Actions">
                  <div className="button-row">
                    {actionsFor(entry.status).map((name) => (
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
                        {ACTION_LABELS[name]}
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
