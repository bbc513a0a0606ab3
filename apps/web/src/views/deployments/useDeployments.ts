import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  APPROVE_WAVE,
  DEPLOYMENTS,
  PLAN_DEPLOYMENT,
  type DeploymentsData,
  type PlanDeploymentData,
} from '../../api/documents/deployments.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';

/** Recent deployments with their waves. */
export function useDeployments() {
  return useQuery({
    queryKey: ['deployments'],
    queryFn: () => graphqlRequest<DeploymentsData>(DEPLOYMENTS, { first: 20 }),
    select: (data) => data.deployments.edges.map((edge) => edge.node),
  });
}

/** Plans a manifest (YAML) without starting it. */
export function usePlanDeployment() {
  return useMutation({
    mutationFn: (yaml: string) =>
      graphqlRequest<PlanDeploymentData>(PLAN_DEPLOYMENT, { yaml }),
  });
}

/** Approves a wave that waits for approval. */
export function useApproveWave() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { deploymentId: string; waveIndex: number }) =>
      graphqlRequest(APPROVE_WAVE, input),
    onSettled: () =>
      void queryClient.invalidateQueries({ queryKey: ['deployments'] }),
  });
}
