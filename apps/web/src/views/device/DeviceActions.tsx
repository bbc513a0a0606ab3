import {
  ACTION_RULES,
  allowedActions,
  DEVICE_STATES,
  type DeviceState,
  type OperatorAction,
} from '@rollcall/fleet';
import { useCan } from '../../auth/AuthContext.tsx';
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
  const current = asState(state);
  const actions = current
    ? allowedActions(current).filter((action) =>
        requiredRole(action) === 'admin' ? canAdminister : canOperate,
      )
    : [];
  if (actions.length === 0) return null;

  const confirmAndRun = (action: OperatorAction) => {
    if (
      action === 'decommission' &&
      !window.confirm(`Decommission ${deviceId}? This cannot be undone.`)
    )
      return;

    run.mutate(action);
  };

  return (
    <div className="actions" role="group" aria-label="Device actions">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          className={action === 'decommission' ? 'danger' : undefined}
          title={ACTION_RULES[action].description}
          disabled={run.isPending}
          onClick={() => confirmAndRun(action)}
        >
          {ACTION_RULES[action].label}
        </button>
      ))}
      {run.isError && <ErrorMessage error={run.error} />}
    </div>
  );
}
