import type { DeploymentControl } from './useDeployments.ts';

/**
 * The controls a deployment's state allows (the API's state machine:
 * start while planned, pause while running, resume while paused, abort
 * until it has ended).
 */
export function allowedControls(state: string): DeploymentControl[] {
  switch (state) {
    case 'PLANNED':
      return ['start', 'abort'];
    case 'RUNNING':
      return ['pause', 'abort'];
    case 'PAUSED':
      return ['resume', 'abort'];
    default:
      return [];
  }
}
