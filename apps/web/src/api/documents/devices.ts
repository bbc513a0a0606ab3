/** Device list, query validation, tags and bulk tagging. */

export const DEVICES_PAGE = /* GraphQL */ `
  query DevicesPage($where: String, $first: Int, $after: String) {
    devices(where: $where, first: $first, after: $after) {
      totalCount
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

/** One row of the devices table. */
export interface DeviceSummary {
  id: string;
  hostname: string;
  hardware: { type: string };
  deployment: { currentVersion: string | null };
  status: {
    state: string;
    lastHeartbeat: string | null;
    offlineTier: string | null;
  };
}

/** Shape of DEVICES_PAGE. */
export interface DevicesPageData {
  devices: {
    totalCount: number;
    edges: { node: DeviceSummary }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

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

/** One query error with its position (offsets in UTF-16 units). */
export interface QueryError {
  code: string;
  message: string;
  expected: string[] | null;
  suggestions: string[] | null;
  position: {
    offset: number;
    line: number;
    column: number;
    length: number;
  } | null;
}

/** Shape of VALIDATE_QUERY. */
export interface ValidateQueryData {
  validateQuery: {
    valid: boolean;
    canonical: string | null;
    matchCount: number | null;
    errors: QueryError[];
  };
}

export const TAGS = /* GraphQL */ `
  query Tags {
    tags {
      name
      category
      deviceCount
    }
  }
`;

/** Shape of TAGS. */
export interface TagsData {
  tags: { name: string; category: string | null; deviceCount: number }[];
}

export const TAG_DEVICES = /* GraphQL */ `
  mutation TagDevices($where: String!, $tags: [TagInput!]!) {
    tagDevices(where: $where, tags: $tags) {
      matchedCount
      affectedCount
    }
  }
`;

export const UNTAG_DEVICES = /* GraphQL */ `
  mutation UntagDevices($where: String!, $tags: [TagInput!]!) {
    untagDevices(where: $where, tags: $tags) {
      matchedCount
      affectedCount
    }
  }
`;

/** What a bulk tag change did. */
export interface TagDevicesPayload {
  matchedCount: number;
  affectedCount: number;
}

/** `key=value` as a key/value tag, anything else as a plain tag. */
export function toTagInput(text: string): {
  key: string;
  value: string | null;
} {
  const equals = text.indexOf('=');
  if (equals <= 0) return { key: text, value: null };

  return { key: text.slice(0, equals), value: text.slice(equals + 1) };
}
