/** Static and dynamic groups, and the membership preview. */

import type { GroupsQuery } from '../generated.ts';

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

export const DELETE_GROUP = /* GraphQL */ `
  mutation DeleteGroup($name: String!) {
    deleteGroup(name: $name) {
      id
    }
  }
`;

/** One group in the list. */
export type GroupSummary = GroupsQuery['groups'][number];
