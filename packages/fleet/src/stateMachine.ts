/**
 * The spec's device state machine ("Device State Machine" diagram) as data.
 *
 * Operator actions move devices along the edges an operator owns; the
 * heartbeat, timeout, sync and deployment edges are listed beside them so
 * that every recorded transition can be checked against one table.
 * Decisions the diagram leaves open, and how they are resolved here:
 *
 * - MAINTENANCE can be entered from HEALTHY (drawn), and also from
 *   DEGRADED, FAILED and OFFLINE: the status definitions name hardware
 *   repair and relocation, which apply to exactly those devices. Not from
 *   PROVISIONING: leaving maintenance lands in HEALTHY, which would skip
 *   activation.
 * - FAILED is entered by an operator from HEALTHY, DEGRADED and MAINTENANCE
 *   (the three arrows into FAILED). An OFFLINE device cannot be judged
 *   failed; put it in MAINTENANCE instead.
 * - There is no operator action for HEALTHY -> DEGRADED: degradation is an
 *   observation from heartbeats, and the next healthy heartbeat within
 *   thresholds would undo an operator's flag within one interval.
 * - "ANY STATE -> DECOMMISSIONED" means every non-terminal state. The
 *   decommission protocol passes through MAINTENANCE first (see
 *   `decommissionPath`), so PROVISIONING -> MAINTENANCE is an edge of the
 *   `decommission` action only.
 * - DECOMMISSIONED is terminal: no edge leaves it.
 */

import type { DeviceState, TransitionCause } from './vocabulary.ts';

/** Every operator action, in the order the dashboard shows its buttons. */
export const OPERATOR_ACTIONS = [
  'activate',
  'enterMaintenance',
  'exitMaintenance',
  'markFailed',
  'repair',
  'decommission',
] as const;

export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

/** What an operator action does: where it applies and where it leads. */
export interface ActionRule {
  /** States the action may start from. */
  from: readonly DeviceState[];
  /** The state the action ends in. */
  to: DeviceState;
  /** Short label for a button. */
  label: string;
  /** Which edge of the spec's diagram the action is. */
  description: string;
}

/** States that are not terminal: every state except DECOMMISSIONED. */
export const NON_TERMINAL_STATES: readonly DeviceState[] = [
  'provisioning',
  'healthy',
  'degraded',
  'failed',
  'offline',
  'maintenance',
];

/** The rule of each operator action. */
export const ACTION_RULES: Readonly<Record<OperatorAction, ActionRule>> = {
  activate: {
    from: ['provisioning'],
    to: 'healthy',
    label: 'Activate',
    description: 'provision complete: PROVISIONING -> HEALTHY',
  },
  enterMaintenance: {
    from: ['healthy', 'degraded', 'failed', 'offline'],
    to: 'maintenance',
    label: 'Enter maintenance',
    description: 'take the device out for repair, upgrade or relocation',
  },
  exitMaintenance: {
    from: ['maintenance'],
    to: 'healthy',
    label: 'Exit maintenance',
    description: 'restore: MAINTENANCE -> HEALTHY, only by an operator',
  },
  markFailed: {
    from: ['healthy', 'degraded', 'maintenance'],
    to: 'failed',
    label: 'Mark failed',
    description: 'fail: HEALTHY, DEGRADED or MAINTENANCE -> FAILED',
  },
  repair: {
    from: ['failed'],
    to: 'healthy',
    label: 'Repair',
    description: 'recover/repair: FAILED -> HEALTHY, only by an operator',
  },
  decommission: {
    from: NON_TERMINAL_STATES,
    to: 'decommissioned',
    label: 'Decommission',
    description: 'any non-terminal state -> MAINTENANCE -> DECOMMISSIONED',
  },
};

/** One edge of the state machine. */
export interface TransitionEdge {
  /** Null for the registration edge that creates the record. */
  from: DeviceState | null;
  to: DeviceState;
  cause: TransitionCause;
  /** The operator action of an `operator` edge; null for other causes. */
  action: OperatorAction | null;
}

function edges(
  from: readonly (DeviceState | null)[],
  to: DeviceState,
  cause: TransitionCause,
  action: OperatorAction | null = null,
): TransitionEdge[] {
  return from.map((state) => ({ from: state, to, cause, action }));
}

function operatorEdges(): TransitionEdge[] {
  return OPERATOR_ACTIONS.flatMap((action) => {
    const rule = ACTION_RULES[action];
    return edges(rule.from, rule.to, 'operator', action);
  });
}

/**
 * Every edge of the state machine:
 * - registration: (new record) -> PROVISIONING;
 * - heartbeat: the spec's "Heartbeat-Based State Transitions" (OFFLINE ->
 *   HEALTHY/DEGRADED on resume, HEALTHY <-> DEGRADED, HEALTHY, DEGRADED and
 *   OFFLINE -> FAILED), plus OFFLINE -> the sticky state it left (FAILED,
 *   MAINTENANCE, PROVISIONING) so a silence never launders a state;
 * - timeout and sync: HEALTHY or DEGRADED -> OFFLINE;
 * - deployment: HEALTHY or DEGRADED -> FAILED when the post-install health
 *   check fails;
 * - operator: the `ACTION_RULES`, plus PROVISIONING -> MAINTENANCE as the
 *   first step of `decommission`.
 */
export const TRANSITIONS: readonly TransitionEdge[] = [
  ...edges([null], 'provisioning', 'registration'),
  ...edges(['offline', 'degraded'], 'healthy', 'heartbeat'),
  ...edges(['offline', 'healthy'], 'degraded', 'heartbeat'),
  ...edges(['offline', 'healthy', 'degraded'], 'failed', 'heartbeat'),
  ...edges(['offline'], 'maintenance', 'heartbeat'),
  ...edges(['offline'], 'provisioning', 'heartbeat'),
  ...edges(['healthy', 'degraded'], 'offline', 'timeout'),
  ...edges(['healthy', 'degraded'], 'offline', 'sync'),
  ...edges(['healthy', 'degraded'], 'failed', 'deployment'),
  ...operatorEdges(),
  ...edges(['provisioning'], 'maintenance', 'operator', 'decommission'),
];

/** The result of asking whether an operator action applies to a state. */
export type ActionTransition =
  { ok: true; to: DeviceState } | { ok: false; allowed: OperatorAction[] };

/** True for DECOMMISSIONED, the only terminal state. */
export function isTerminal(state: DeviceState): boolean {
  return state === 'decommissioned';
}

/**
 * The operator actions allowed from `state`, in `OPERATOR_ACTIONS` order.
 * Empty for DECOMMISSIONED. The dashboard shows a button for each.
 */
export function allowedActions(state: DeviceState): OperatorAction[] {
  return OPERATOR_ACTIONS.filter((action) =>
    ACTION_RULES[action].from.includes(state),
  );
}

/**
 * Where `action` takes a device in `state`: `{ ok: true, to }`, or
 * `{ ok: false, allowed }` naming the actions that are allowed instead
 * (the data of an `INVALID_TRANSITION` error). For `decommission`, `to` is
 * the final state; `decommissionPath` lists the states on the way.
 */
export function transitionFor(
  action: OperatorAction,
  state: DeviceState,
): ActionTransition {
  const rule = ACTION_RULES[action];
  if (!rule.from.includes(state)) {
    return { ok: false, allowed: allowedActions(state) };
  }

  return { ok: true, to: rule.to };
}

/**
 * True when `TRANSITIONS` holds the edge `from -> to` with `cause`. `from`
 * is null for the registration edge. A same-state pair is never a
 * transition.
 */
export function canTransition(
  from: DeviceState | null,
  to: DeviceState,
  cause: TransitionCause,
): boolean {
  return TRANSITIONS.some(
    (edge) => edge.from === from && edge.to === to && edge.cause === cause,
  );
}

/**
 * The states a device passes through when decommissioned from `state`, in
 * order, each to be recorded as one `operator` transition: MAINTENANCE (to
 * exclude it from deployments while it is cleaned) then DECOMMISSIONED.
 * A device already in MAINTENANCE goes straight on; a DECOMMISSIONED one
 * has no path (empty list).
 */
export function decommissionPath(state: DeviceState): DeviceState[] {
  if (isTerminal(state)) return [];

  if (state === 'maintenance') return ['decommissioned'];

  return ['maintenance', 'decommissioned'];
}
