import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import {
  CATCH_UP_ACTIONS,
  CATCH_UP_QUEUE,
  INVESTIGATION_QUEUE,
  RESOLVE_INVESTIGATION,
} from '../../api/documents/catchUp.ts';
import type {
  CatchUpFilter as CatchUpQueueFilter,
  CatchUpQueueQuery,
  CatchUpQueueQueryVariables,
  InvestigationQueueQuery,
  InvestigationQueueQueryVariables,
  ResolveInvestigationMutation,
  ResolveInvestigationMutationVariables,
  RetryCatchUpMutationVariables,
} from '../../api/generated.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';

/** Filters of the queue view; empty strings mean "any". */
export interface CatchUpFilter {
  deviceId?: string;
  deploymentId?: string;
  status?: string;
}

// The status select offers only the schema's CatchUpStatus values.
function cleaned(filter: CatchUpFilter): CatchUpQueueFilter | null {
  const entries = Object.entries(filter).filter(([, value]) => value);
  return entries.length === 0
    ? null
    : (Object.fromEntries(entries) as CatchUpQueueFilter);
}

/** One page of catch-up entries matching `filter`. */
export function useCatchUpQueue(
  filter: CatchUpFilter,
  cursor: string | null = null,
) {
  return useQuery({
    queryKey: ['catchUp', 'queue', filter, cursor],
    queryFn: () =>
      graphqlRequest<CatchUpQueueQuery, CatchUpQueueQueryVariables>(
        CATCH_UP_QUEUE,
        {
          filter: cleaned(filter),
          first: 50,
          after: cursor,
        },
      ),
    select: (data) => data.catchUpQueue,
    placeholderData: keepPreviousData,
  });
}

/** Open investigation entries. */
export function useInvestigationQueue() {
  return useQuery({
    queryKey: ['catchUp', 'investigation'],
    queryFn: () =>
      graphqlRequest<InvestigationQueueQuery, InvestigationQueueQueryVariables>(
        INVESTIGATION_QUEUE,
        {
          first: 100,
        },
      ),
    select: (data) => data.investigationQueue.edges.map((edge) => edge.node),
  });
}

/** Retry now, skip or remove one entry. */
export function useCatchUpAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      id: string;
      action: keyof typeof CATCH_UP_ACTIONS;
      // Retry, skip and remove take the same variables.
    }) =>
      graphqlRequest<unknown, RetryCatchUpMutationVariables>(
        CATCH_UP_ACTIONS[input.action],
        { id: input.id },
      ),
    onSettled: () =>
      void queryClient.invalidateQueries({ queryKey: ['catchUp'] }),
  });
}

/** Closes an investigation with the operator's resolution. */
export function useResolveInvestigation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; resolution: string }) =>
      graphqlRequest<
        ResolveInvestigationMutation,
        ResolveInvestigationMutationVariables
      >(RESOLVE_INVESTIGATION, input),
    onSettled: () =>
      void queryClient.invalidateQueries({ queryKey: ['catchUp'] }),
  });
}
