import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/QueryState.tsx';
import { allowedControls } from './allowedControls.ts';
import { useDeploymentControl } from './useDeployments.ts';

/** Start / pause / resume / abort buttons of a deployment, for operators. */
export function DeploymentControls({
  id,
  state,
}: {
  id: string;
  state: string;
}) {
  const control = useDeploymentControl();
  const [isConfirming, setIsConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const allowed = allowedControls(state);
  if (allowed.length === 0) return null;

  const confirmAbort = (event: FormEvent) => {
    event.preventDefault();
    control.mutate(
      { id, control: 'abort', reason: reason.trim() },
      { onSuccess: () => setIsConfirming(false) },
    );
  };

  return (
    <div className="deployment-controls">
      <div className="button-row" role="group" aria-label={`Control ${id}`}>
        {allowed.includes('start') && (
          <button
            type="button"
            disabled={control.isPending}
            onClick={() => control.mutate({ id, control: 'start' })}
          >
            Start
          </button>
        )}
        {allowed.includes('pause') && (
          <button
            type="button"
            className="secondary"
            disabled={control.isPending}
            onClick={() => control.mutate({ id, control: 'pause' })}
          >
            Pause
          </button>
        )}
        {allowed.includes('resume') && (
          <button
            type="button"
            className="secondary"
            disabled={control.isPending}
            onClick={() => control.mutate({ id, control: 'resume' })}
          >
            Resume
          </button>
        )}
        {!isConfirming && (
          <button
            type="button"
            className="danger"
            disabled={control.isPending}
            onClick={() => setIsConfirming(true)}
          >
            Abort
          </button>
        )}
      </div>
      {isConfirming && (
        <form
          className="inline-form"
          aria-label={`Abort ${id}`}
          onSubmit={confirmAbort}
        >
          <label htmlFor={`abort-reason-${id}`}>Reason (optional)</label>
          <input
            id={`abort-reason-${id}`}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          <button type="submit" className="danger" disabled={control.isPending}>
            Confirm abort
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => setIsConfirming(false)}
          >
            Cancel
          </button>
        </form>
      )}
      {control.isError && <ErrorMessage error={control.error} />}
    </div>
  );
}
