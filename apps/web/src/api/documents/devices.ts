/** Device list, query validation, tags and bulk tagging. */

import type {
  DevicesPageQuery,
  TagDevicesMutation,
  ValidateQueryQuery,
} from '../generated.ts';

// The page and the count are separate requests: the first rows show as
// soon as the page is read (milliseconds) instead of after counting every
// match, and paging does not count again.
export const DEVICES_PAGE = /* GraphQL */ `
  query DevicesPage($where: String, $first: Int, $after: String) {
    devices(where: $where, first: $first, after: $after) {
      edges {
        node {
          id
          hostname
          hardware {
            type
          }
          deployment {
            currentVersion
          }
          status {
            state
            lastHeartbeat
            offlineTier
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const DEVICES_COUNT = /* GraphQL */ `
  query DevicesCount($where: String) {
    devices(where: $where, first: 0) {
      totalCount
    }
  }
`;

export const VALIDATE_QUERY = /* GraphQL */ `
  query ValidateQuery($query: String!) {
    validateQuery(query: $query) {
      valid
      canonical
      matchCount
      errors {
        code
        message
        expected
        suggestions
        position {
          offset
          line
          column
          length
        }
      }
    }
  }
`;

export const TAGS = /* GraphQL */ `
  query Tags {
    tags {
      name
      category
      deviceCount
    }
  }
`;

export const TAG_DEVICES = /* GraphQL */ `
  mutation TagDevices(
    $where: String!
    $tags: [TagInput!]!
    $expectedCount: Int
  ) {
    tagDevices(where: $where, tags: $tags, expectedCount: $expectedCount) {
      matchedCount
      affectedCount
    }
  }
`;

export const UNTAG_DEVICES = /* GraphQL */ `
  mutation UntagDevices(
    $where: String!
    $tags: [TagInput!]!
    $expectedCount: Int
  ) {
    untagDevices(where: $where, tags: $tags, expectedCount: $expectedCount) {
      matchedCount
      affectedCount
    }
  }
`;

/** `key=value` as a key/value tag, anything else as a plain tag. */
export function toTagInput(text: string): {
  key: string;
  value: string | null;
} {
  const equals = text.indexOf('=');
  if (equals <= 0) return { key: text, value: null };

  return { key: text.slice(0, equals), value: text.slice(equals + 1) };
}

/** One row of the devices table. */
export type DeviceSummary =
  DevicesPageQuery['devices']['edges'][number]['node'];

/** One query error with its position (offsets in UTF-16 units). */
export type QueryError = ValidateQueryQuery['validateQuery']['errors'][number];

/** What a bulk tag change did. */
export type TagDevicesPayload = TagDevicesMutation['tagDevices'];
