import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import {
  DEVICES_COUNT,
  DEVICES_PAGE,
  TAG_DEVICES,
  TAGS,
  UNTAG_DEVICES,
  VALIDATE_QUERY,
  type TagDevicesPayload,
} from '../../api/documents/devices.ts';
import type {
  DevicesCountQuery,
  DevicesCountQueryVariables,
  DevicesPageQuery,
  DevicesPageQueryVariables,
  TagsQuery,
  TagsQueryVariables,
  ValidateQueryQuery,
  ValidateQueryQueryVariables,
} from '../../api/generated.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';
import {
  bulkTagVariables,
  matchConflict,
  type BulkTagWrite,
} from './bulkTagWrite.ts';

/** Rows per page: one screen at 1280 px, and cheap at any fleet size. */
export const PAGE_SIZE = 50;

/** One page of devices matching `where` after `cursor` (keyset pagination). */
export function useDevicesPage(where: string, cursor: string | null) {
  return useQuery({
    queryKey: ['devices', 'page', where, cursor],
    queryFn: () =>
      graphqlRequest<DevicesPageQuery, DevicesPageQueryVariables>(
        DEVICES_PAGE,
        {
          where: where.trim() === '' ? null : where,
          first: PAGE_SIZE,
          after: cursor,
        },
      ),
    select: (data) => data.devices,
    // Paging keeps the old rows on screen instead of flashing "Loading".
    placeholderData: keepPreviousData,
  });
}

/**
 * How many devices there are in all: the count of the blank query, which
 * no validation counts (a typed query's count is its validation's).
 */
export function useAllDevicesCount(isEnabled: boolean) {
  return useQuery({
    queryKey: ['devices', 'count', ''],
    queryFn: () =>
      graphqlRequest<DevicesCountQuery, DevicesCountQueryVariables>(
        DEVICES_COUNT,
        { where: null },
      ),
    select: (data) => data.devices.totalCount,
    enabled: isEnabled,
  });
}

/**
 * The authoritative validation and match count of `query` (already
 * debounced). `tag:a` and `tag:a ` (as completion leaves it) share one
 * request: trailing white space changes neither the meaning nor where a
 * token is (an error at the very end is a syntax error, which the box
 * shows from its own parse of the whole text).
 */
export function useValidateQuery(query: string) {
  const text = query.trimEnd();
  return useQuery({
    queryKey: ['devices', 'validate', text],
    queryFn: () =>
      graphqlRequest<ValidateQueryQuery, ValidateQueryQueryVariables>(
        VALIDATE_QUERY,
        { query: text },
      ),
    select: (data) => data.validateQuery,
    enabled: text.trim() !== '',
    placeholderData: keepPreviousData,
  });
}

/** The tag taxonomy with device counts, for autocomplete. */
export function useTags() {
  return useQuery({
    queryKey: ['tags'],
    queryFn: () => graphqlRequest<TagsQuery, TagsQueryVariables>(TAGS),
    select: (data) => data.tags,
    staleTime: 60_000,
  });
}

/**
 * Adds or removes tags on every device matching a query, in one
 * transaction, only while it matches the count the operator confirmed.
 */
export function useBulkTagging() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (write: BulkTagWrite) =>
      graphqlRequest<Record<string, TagDevicesPayload>>(
        write.remove ? UNTAG_DEVICES : TAG_DEVICES,
        bulkTagVariables(write),
      ).then((data) => Object.values(data)[0] ?? null),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['devices'] });
      void queryClient.invalidateQueries({ queryKey: ['tags'] });
    },
    onError: (error) => {
      // The match changed: the count line should show what matches now.
      if (matchConflict(error)) {
        void queryClient.invalidateQueries({ queryKey: ['devices'] });
      }
    },
  });
}
