import {
  ACTION_RULES,
  allowedActions,
  DEVICE_STATES,
  type DeviceState,
  type OperatorAction,
} from '@rollcall/fleet';
import { useState } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorMessage } from '../../components/QueryState.tsx';
import { useDeviceAction } from './useDevice.ts';

function asState(value: string): DeviceState | null {
  const lower = value.toLowerCase();
  return (DEVICE_STATES as readonly string[]).includes(lower)
    ? (lower as DeviceState)
    : null;
}

// Decommissioning is an admin right; every other action is an operator's.
function requiredRole(action: OperatorAction) {
  return action === 'decommission' ? 'admin' : 'operator';
}

// What each confirmed action asks before it runs. Activate and exit
// maintenance only bring a device into service and run on one click.
const CONFIRMATIONS: Partial<
  Record<OperatorAction, { question: string; effect: string }>
> = {
  markFailed: {
    question: 'Mark {id} as failed?',
    effect: 'It stops receiving deployments until an operator repairs it.',
  },
  enterMaintenance: {
    question: 'Put {id} into maintenance?',
    effect:
      'It stops receiving deployments and offline alerts until it exits maintenance.',
  },
  repair: {
    question: 'Mark {id} as repaired?',
    effect: 'It returns to healthy and can receive deployments again.',
  },
  decommission: {
    question: 'Decommission {id}?',
    effect:
      'Its tokens are revoked and it leaves the fleet. This cannot be undone.',
  },
};

/** A button for each action the state machine allows from `state`, and the role permits. */
export function DeviceActions({
  deviceId,
  state,
}: {
  deviceId: string;
  state: string;
}) {
  const canOperate = useCan('operator');
  const canAdminister = useCan('admin');
  const run = useDeviceAction(deviceId);
  const [asking, setAsking] = useState<OperatorAction | null>(null);
  const current = asState(state);
  const actions = current
    ? allowedActions(current).filter((action) =>
        requiredRole(action) === 'admin' ? canAdminister : canOperate,
      )
    : [];
  if (actions.length === 0) return null;

  const confirmation = asking ? CONFIRMATIONS[asking] : undefined;
  const start = (action: OperatorAction) => {
    run.reset();
    if (CONFIRMATIONS[action]) setAsking(action);
    else run.mutate({ action, reason: null });
  };

  return (
    <>
      <div className="actions" role="group" aria-label="Device actions">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'decommission' ? 'danger' : undefined}
            title={ACTION_RULES[action].description}
            disabled={run.isPending}
            onClick={() => start(action)}
          >
            {ACTION_RULES[action].label}
          </button>
        ))}
        {run.isError && !asking && <ErrorMessage error={run.error} />}
      </div>
      {asking && confirmation && (
        <ConfirmDialog
          title={confirmation.question.replace('{id}', deviceId)}
          confirmLabel={ACTION_RULES[asking].label}
          danger={asking === 'decommission' || asking === 'markFailed'}
          withReason
          pending={run.isPending}
          error={run.error}
          onCancel={() => setAsking(null)}
          onConfirm={(reason) =>
            run.mutate(
              { action: asking, reason },
              { onSuccess: () => setAsking(null) },
            )
          }
        >
          <p>{confirmation.effect}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
