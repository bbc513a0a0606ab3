import { describe, expect, it } from 'vitest';

import {
  allowedActions,
  canTransition,
  decommissionPath,
  DEVICE_STATES,
  isTerminal,
  OPERATOR_ACTIONS,
  transitionFor,
} from '../src/index.ts';
import type {
  DeviceState,
  OperatorAction,
  TransitionCause,
} from '../src/index.ts';

const EXPECTED_ACTIONS: Record<DeviceState, OperatorAction[]> = {
  provisioning: ['activate', 'decommission'],
  healthy: ['enterMaintenance', 'markFailed', 'decommission'],
  degraded: ['enterMaintenance', 'markFailed', 'decommission'],
  failed: ['enterMaintenance', 'repair', 'decommission'],
  offline: ['enterMaintenance', 'decommission'],
  maintenance: ['exitMaintenance', 'markFailed', 'decommission'],
  decommissioned: [],
};

const TARGETS: Record<OperatorAction, DeviceState> = {
  activate: 'healthy',
  enterMaintenance: 'maintenance',
  exitMaintenance: 'healthy',
  markFailed: 'failed',
  repair: 'healthy',
  decommission: 'decommissioned',
};

function pairs(): [OperatorAction, DeviceState][] {
  return OPERATOR_ACTIONS.flatMap((action) =>
    DEVICE_STATES.map((state): [OperatorAction, DeviceState] => [
      action,
      state,
    ]),
  );
}

describe('allowedActions', () => {
  it.each(DEVICE_STATES)('lists the operator actions of %s', (state) => {
    expect(allowedActions(state)).toEqual(EXPECTED_ACTIONS[state]);
  });
});

describe('transitionFor', () => {
  it.each(pairs())(
    'answers %s from %s with the target or the allowed actions',
    (action, state) => {
      const expected = EXPECTED_ACTIONS[state].includes(action)
        ? { ok: true, to: TARGETS[action] }
        : { ok: false, allowed: EXPECTED_ACTIONS[state] };
      expect(transitionFor(action, state)).toEqual(expected);
    },
  );

  it('refuses every action on a decommissioned device with none allowed', () => {
    expect(transitionFor('repair', 'decommissioned')).toEqual({
      ok: false,
      allowed: [],
    });
  });
});

describe('canTransition', () => {
  const cases: [DeviceState | null, DeviceState, TransitionCause, boolean][] = [
    [null, 'provisioning', 'registration', true],
    [null, 'healthy', 'registration', false],
    ['provisioning', 'healthy', 'operator', true],
    ['provisioning', 'healthy', 'heartbeat', false],
    ['healthy', 'degraded', 'heartbeat', true],
    ['healthy', 'degraded', 'operator', false],
    ['degraded', 'healthy', 'heartbeat', true],
    ['healthy', 'failed', 'heartbeat', true],
    ['degraded', 'failed', 'heartbeat', true],
    ['offline', 'failed', 'heartbeat', true],
    ['maintenance', 'failed', 'heartbeat', false],
    ['provisioning', 'failed', 'heartbeat', false],
    ['failed', 'healthy', 'heartbeat', false],
    ['failed', 'healthy', 'operator', true],
    ['offline', 'healthy', 'heartbeat', true],
    ['offline', 'degraded', 'heartbeat', true],
    ['offline', 'maintenance', 'heartbeat', true],
    ['healthy', 'offline', 'timeout', true],
    ['degraded', 'offline', 'timeout', true],
    ['failed', 'offline', 'timeout', false],
    ['maintenance', 'offline', 'timeout', false],
    ['provisioning', 'offline', 'timeout', false],
    ['healthy', 'offline', 'sync', true],
    ['offline', 'offline', 'sync', false],
    ['healthy', 'failed', 'deployment', true],
    ['maintenance', 'healthy', 'operator', true],
    ['maintenance', 'healthy', 'heartbeat', false],
    ['provisioning', 'maintenance', 'operator', true],
    ['offline', 'maintenance', 'operator', true],
    ['offline', 'failed', 'operator', false],
    ['maintenance', 'decommissioned', 'operator', true],
    ['healthy', 'decommissioned', 'operator', true],
    ['decommissioned', 'healthy', 'operator', false],
    ['decommissioned', 'maintenance', 'operator', false],
    ['healthy', 'healthy', 'heartbeat', false],
  ];

  it.each(cases)('answers %s -> %s by %s with %s', (from, to, cause, ok) => {
    expect(canTransition(from, to, cause)).toBe(ok);
  });

  it('allows no edge out of decommissioned for any cause', () => {
    const causes: TransitionCause[] = [
      'registration',
      'heartbeat',
      'timeout',
      'operator',
      'deployment',
      'sync',
    ];
    const out = DEVICE_STATES.flatMap((to) =>
      causes.filter((cause) => canTransition('decommissioned', to, cause)),
    );
    expect(out).toEqual([]);
  });

  it('holds every operator action edge that transitionFor allows', () => {
    const missing = pairs().filter(([action, state]) => {
      const result = transitionFor(action, state);
      return result.ok && !canTransition(state, result.to, 'operator');
    });
    expect(missing).toEqual([]);
  });
});

describe('decommissionPath', () => {
  const cases: [DeviceState, DeviceState[]][] = [
    ['provisioning', ['maintenance', 'decommissioned']],
    ['healthy', ['maintenance', 'decommissioned']],
    ['degraded', ['maintenance', 'decommissioned']],
    ['failed', ['maintenance', 'decommissioned']],
    ['offline', ['maintenance', 'decommissioned']],
    ['maintenance', ['decommissioned']],
    ['decommissioned', []],
  ];

  it.each(cases)('passes from %s through %j', (state, path) => {
    expect(decommissionPath(state)).toEqual(path);
  });

  it.each(DEVICE_STATES)('walks only operator edges from %s', (state) => {
    let from = state;
    const steps = decommissionPath(state).map((to) => {
      const ok = canTransition(from, to, 'operator');
      from = to;
      return ok;
    });
    expect(steps.every(Boolean)).toBe(true);
  });
});

describe('isTerminal', () => {
  it('is true for decommissioned alone', () => {
    expect(DEVICE_STATES.filter(isTerminal)).toEqual(['decommissioned']);
  });
});
