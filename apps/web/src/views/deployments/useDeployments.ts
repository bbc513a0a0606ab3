import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ABORT_DEPLOYMENT,
  APPROVE_WAVE,
  DEPLOYMENTS,
  PAUSE_DEPLOYMENT,
  PLAN_DEPLOYMENT,
  RESUME_DEPLOYMENT,
  START_DEPLOYMENT,
} from '../../api/documents/deployments.ts';
import type {
  AbortDeploymentMutationVariables,
  ApproveWaveMutation,
  ApproveWaveMutationVariables,
  DeploymentsQuery,
  DeploymentsQueryVariables,
  PlanDeploymentMutation,
  PlanDeploymentMutationVariables,
} from '../../api/generated.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';

/** Recent deployments with their waves. */
export function useDeployments() {
  return useQuery({
    queryKey: ['deployments'],
    queryFn: () =>
      graphqlRequest<DeploymentsQuery, DeploymentsQueryVariables>(DEPLOYMENTS, {
        first: 20,
      }),
    select: (data) => data.deployments.edges.map((edge) => edge.node),
  });
}

/** Plans a manifest (YAML) without starting it. */
export function usePlanDeployment() {
  return useMutation({
    mutationFn: (yaml: string) =>
      graphqlRequest<PlanDeploymentMutation, PlanDeploymentMutationVariables>(
        PLAN_DEPLOYMENT,
        { yaml },
      ),
  });
}

/** Approves a wave that waits for approval. */
export function useApproveWave() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { deploymentId: string; waveIndex: number }) =>
      graphqlRequest<ApproveWaveMutation, ApproveWaveMutationVariables>(
        APPROVE_WAVE,
        input,
      ),
    onSettled: () =>
      void queryClient.invalidateQueries({ queryKey: ['deployments'] }),
  });
}

/** An operator's control over a whole deployment. */
export type DeploymentControl = 'start' | 'pause' | 'resume' | 'abort';

const CONTROL_DOCUMENTS: Record<DeploymentControl, string> = {
  start: START_DEPLOYMENT,
  pause: PAUSE_DEPLOYMENT,
  resume: RESUME_DEPLOYMENT,
  abort: ABORT_DEPLOYMENT,
};

/** Starts, pauses, resumes or aborts (with an optional reason) a deployment. */
export function useDeploymentControl() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      id: string;
      control: DeploymentControl;
      reason?: string;
    }) =>
      // Abort's variables are the others' plus the reason.
      graphqlRequest<unknown, AbortDeploymentMutationVariables>(
        CONTROL_DOCUMENTS[input.control],
        {
          id: input.id,
          ...(input.control === 'abort'
            ? { reason: input.reason || null }
            : {}),
        },
      ),
    onSettled: () =>
      void queryClient.invalidateQueries({ queryKey: ['deployments'] }),
  });
}
