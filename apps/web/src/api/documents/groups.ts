/** Static and dynamic groups, and the membership preview. */

export const GROUPS = /* GraphQL */ `
  query Groups {
    groups {
      id
      name
      description
      membership
      query
      memberCount
    }
  }
`;

/** One group in the list. `membership` is STATIC or DYNAMIC. */
export interface GroupSummary {
  id: string;
  name: string;
  description: string | null;
  membership: string;
  query: string | null;
  memberCount: number;
}

/** Shape of GROUPS. */
export interface GroupsData {
  groups: GroupSummary[];
}

export const GROUP_MEMBERS = /* GraphQL */ `
  query GroupMembers($name: String!, $first: Int) {
    group(name: $name) {
      id
      missingDevices
      members(first: $first) {
        edges {
          node {
            id
          }
        }
      }
    }
  }
`;

/** Shape of GROUP_MEMBERS. */
export interface GroupMembersData {
  group: {
    id: string;
    missingDevices: string[];
    members: { edges: { node: { id: string } }[] };
  } | null;
}

export const PREVIEW_GROUP = /* GraphQL */ `
  query PreviewGroup($query: String!, $name: String) {
    previewGroup(query: $query, name: $name) {
      count
      sample {
        id
      }
      joining
      leaving
    }
  }
`;

/** Shape of PREVIEW_GROUP. */
export interface PreviewGroupData {
  previewGroup: {
    count: number;
    sample: { id: string }[];
    joining: string[];
    leaving: string[];
  };
}

export const CREATE_GROUP = /* GraphQL */ `
  mutation CreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) {
      id
      name
    }
  }
`;

export const UPDATE_GROUP = /* GraphQL */ `
  mutation UpdateGroup($name: String!, $input: UpdateGroupInput!) {
    updateGroup(name: $name, input: $input) {
      id
      name
    }
  }
`;

export const ADD_GROUP_MEMBERS = /* GraphQL */ `
  mutation AddGroupMembers($name: String!, $deviceIds: [String!]!) {
    addGroupMembers(name: $name, deviceIds: $deviceIds) {
      id
    }
  }
`;

export const REMOVE_GROUP_MEMBERS = /* GraphQL */ `
  mutation RemoveGroupMembers($name: String!, $deviceIds: [String!]!) {
    removeGroupMembers(name: $name, deviceIds: $deviceIds) {
      id
    }
  }
`;
