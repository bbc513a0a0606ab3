import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useEffect } from 'react';
import {
  ADD_GROUP_MEMBERS,
  CREATE_GROUP,
  DELETE_GROUP,
  GROUP_MEMBERS,
  GROUPS,
  PREVIEW_GROUP,
  REMOVE_GROUP_MEMBERS,
  UPDATE_GROUP,
} from '../../api/documents/groups.ts';
import { GROUP_MEMBERSHIP_CHANGED } from '../../api/documents/live.ts';
import { graphqlRequest, type Variables } from '../../api/graphqlClient.ts';
import { subscribe } from '../../api/wsClient.ts';
import type {
  CreateGroupInput,
  DeleteGroupMutation,
  DeleteGroupMutationVariables,
  GroupMembersQuery,
  GroupMembersQueryVariables,
  GroupsQuery,
  GroupsQueryVariables,
  PreviewGroupQuery,
  PreviewGroupQueryVariables,
} from '../../api/generated.ts';

/** Every group with its member count. */
export function useGroups() {
  return useQuery({
    queryKey: ['groups'],
    queryFn: () => graphqlRequest<GroupsQuery, GroupsQueryVariables>(GROUPS),
    select: (data) => data.groups,
  });
}

/** Group names only, for autocomplete. */
export function useGroupNames() {
  return useQuery({
    queryKey: ['groups'],
    queryFn: () => graphqlRequest<GroupsQuery, GroupsQueryVariables>(GROUPS),
    select: (data) => data.groups.map((group) => group.name),
  });
}

/** A static group's first members (for editing). */
export function useGroupMembers(name: string) {
  return useQuery({
    queryKey: ['groups', 'members', name],
    queryFn: () =>
      graphqlRequest<GroupMembersQuery, GroupMembersQueryVariables>(
        GROUP_MEMBERS,
        { name, first: 200 },
      ),
    select: (data) =>
      data.group?.members.edges.map((edge) => edge.node.id) ?? [],
  });
}

/** Who a dynamic group's query would select, compared with the saved group. */
export function usePreviewGroup(query: string, name: string | null) {
  return useQuery({
    queryKey: ['groups', 'preview', query, name],
    queryFn: () =>
      graphqlRequest<PreviewGroupQuery, PreviewGroupQueryVariables>(
        PREVIEW_GROUP,
        { query, name },
      ),
    select: (data) => data.previewGroup,
    enabled: query.trim() !== '',
    placeholderData: keepPreviousData,
    retry: false,
  });
}

type GroupWrite =
  | { kind: 'create'; input: CreateGroupInput }
  | { kind: 'update'; name: string; input: Variables }
  | { kind: 'addMembers' | 'removeMembers'; name: string; deviceIds: string[] };

function documentFor(write: GroupWrite): [string, Variables] {
  switch (write.kind) {
    case 'create':
      return [CREATE_GROUP, { input: write.input }];
    case 'update':
      return [UPDATE_GROUP, { name: write.name, input: write.input }];
    case 'addMembers':
      return [
        ADD_GROUP_MEMBERS,
        { name: write.name, deviceIds: write.deviceIds },
      ];
    case 'removeMembers':
      return [
        REMOVE_GROUP_MEMBERS,
        { name: write.name, deviceIds: write.deviceIds },
      ];
  }
}

/** Creates and edits groups; refreshes every group query afterwards. */
export function useGroupWrite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (write: GroupWrite) => {
      const [document, variables] = documentFor(write);
      return graphqlRequest(document, variables);
    },
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: ['groups'] }),
  });
}

/**
 * Deletes a group by name; the API refuses (CONFLICT, naming the users)
 * while another group's query or a deployment references it.
 */
export function useDeleteGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      graphqlRequest<DeleteGroupMutation, DeleteGroupMutationVariables>(
        DELETE_GROUP,
        { name },
      ),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: ['groups'] }),
  });
}

/**
 * Refreshes the group list when a device joins or leaves one of `names`
 * (dynamic groups included: a tag change moves a device at once).
 */
export function useGroupsLive(names: readonly string[]): void {
  const queryClient = useQueryClient();
  const key = names.join('\n');

  useEffect(() => {
    const unsubscribers = key
      .split('\n')
      .filter((name) => name !== '')
      .map((group) =>
        subscribe(GROUP_MEMBERSHIP_CHANGED, { group }, () => {
          void queryClient.invalidateQueries({ queryKey: ['groups'] });
        }),
      );
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [key, queryClient]);
}
