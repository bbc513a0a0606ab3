import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { DEPLOYMENT_PROGRESS } from '../../api/documents/live.ts';
import type {
  DeploymentProgressSubscription,
  DeploymentProgressSubscriptionVariables,
} from '../../api/generated.ts';
import { subscribe } from '../../api/wsClient.ts';

/** States after which a deployment never changes again. */
const ENDED_STATES: ReadonlySet<string> = new Set(['COMPLETED', 'ABORTED']);

/**
 * Follows the progress of every shown deployment that has not ended, and
 * refetches the deployments on each change. Device events alone miss
 * most of them: a heartbeat reporting the target version completes a
 * wave without changing the device's state.
 */
export function useDeploymentsLive(
  deployments: readonly { id: string; state: string }[],
): void {
  const queryClient = useQueryClient();
  // A key of the followed ids, so that refetched lists (new objects with
  // the same deployments) do not resubscribe.
  const followed = deployments
    .filter((deployment) => !ENDED_STATES.has(deployment.state))
    .map((deployment) => deployment.id)
    .join('\n');

  useEffect(() => {
    const ids = followed === '' ? [] : followed.split('\n');
    const unsubscribers = ids.map((id) =>
      subscribe<DeploymentProgressSubscription>(
        DEPLOYMENT_PROGRESS,
        { id } satisfies DeploymentProgressSubscriptionVariables,
        () => void queryClient.invalidateQueries({ queryKey: ['deployments'] }),
      ),
    );
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [followed, queryClient]);
}
