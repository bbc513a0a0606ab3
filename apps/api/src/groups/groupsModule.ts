import { requireRole } from '../auth/authService.ts';
import { actorName } from '../auth/principal.ts';
import type { RequestContext } from '../server/context.ts';
import { checkQueryText } from '../server/inputLimits.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import type { GroupRow } from './groupMembership.ts';
import type { GroupInput, GroupUpdate } from './groupWrites.ts';

const typeDefs = /* GraphQL */ `
  "How a group's members are decided."
  enum GroupMembership {
    "An explicit list of device ids."
    STATIC
    "A saved tag query, resolved whenever the group is read."
    DYNAMIC
  }

  "A named set of devices for deployment targeting (the spec's groups)."
  type Group {
    id: ID!
    name: String!
    description: String
    membership: GroupMembership!
    "The tag query of a dynamic group; null for a static group."
    query: String
    "Free-form rollout policy, such as canary-only-first-wave."
    deployPolicy: String
    "Members now (never decommissioned devices)."
    memberCount: Int!
    members(first: Int, after: String): DeviceConnection!
    """
    Static members naming a device that was deleted or decommissioned:
    reported here instead of failing the group.
    """
    missingDevices: [String!]!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  "What a dynamic group query would select, before saving it."
  type GroupPreview {
    "Devices the query selects now."
    count: Int!
    "The first 20 of them, in id order."
    sample: [Device!]!
    "Device ids the saved group lacks and the query selects."
    joining: [String!]!
    "Device ids in the saved group that the query would drop."
    leaving: [String!]!
    "The saved group compared with; null when there is none."
    comparedWith: String
  }

  input CreateGroupInput {
    name: String!
    description: String
    membership: GroupMembership!
    "Required for dynamic groups, and must not be blank."
    query: String
    "Device ids of a static group."
    devices: [String!]
    deployPolicy: String
  }

  "Fields left out keep their value; null clears a description or policy."
  input UpdateGroupInput {
    description: String
    query: String
    deployPolicy: String
  }

  extend type Query {
    "Every group, by name (viewer)."
    groups: [Group!]!
    "One group; null when there is none (viewer)."
    group(name: String!): Group
    """
    Validates a dynamic group query as saving would, and shows what it
    selects and how that differs from the saved group \`name\` (viewer).
    """
    previewGroup(query: String!, name: String): GroupPreview!
  }

  extend type Mutation {
    "Creates a static or dynamic group (operator)."
    createGroup(input: CreateGroupInput!): Group!
    "Changes a group's description, query or deploy policy (operator)."
    updateGroup(name: String!, input: UpdateGroupInput!): Group!
    "Deletes a group no other group and no unfinished deployment refers to (operator)."
    deleteGroup(name: String!): Group!
    "Adds registered, not decommissioned devices to a static group (operator)."
    addGroupMembers(name: String!, deviceIds: [String!]!): Group!
    """
    Removes devices from a static group (operator). Ids are exact: one that
    names neither a member nor a device is NOT_FOUND, and nothing is removed.
    """
    removeGroupMembers(name: String!, deviceIds: [String!]!): Group!
  }
`;

type Ctx = RequestContext;

function readable(context: Ctx) {
  requireRole(context.principal, 'viewer');
  return context.services.groups;
}

function writable(context: Ctx) {
  requireRole(context.principal, 'operator');
  return context.services.groups;
}

/** Groups: static and dynamic, with previews before saving. */
export const groupsModule: GraphqlModule = {
  name: 'groups',
  typeDefs,
  resolvers: {
    GroupMembership: { STATIC: 'static', DYNAMIC: 'dynamic' },
    Group: {
      memberCount: (group: GroupRow, _: unknown, context: Ctx) =>
        context.services.groups.memberCount(group.name),
      members: (
        group: GroupRow,
        args: { first?: number | null; after?: string | null },
        context: Ctx,
      ) => context.services.groups.members(group.name, args),
      missingDevices: (group: GroupRow, _: unknown, context: Ctx) =>
        context.services.groups.missingDevices(group.name),
    },
    Query: {
      groups: (_parent, _args, context) => readable(context).list(),
      group: (_parent, args: { name: string }, context) =>
        readable(context).get(args.name),
      previewGroup: (
        _parent,
        args: { query: string; name?: string | null },
        context,
      ) => {
        checkQueryText(args.query, 'query');
        return readable(context).preview(args.query, args.name ?? null);
      },
    },
    Mutation: {
      createGroup: (_parent, args: { input: GroupInput }, context) =>
        writable(context).create(args.input, actorName(context.principal)),
      updateGroup: (
        _parent,
        args: { name: string; input: GroupUpdate },
        context,
      ) =>
        writable(context).update(
          args.name,
          args.input,
          actorName(context.principal),
        ),
      deleteGroup: (_parent, args: { name: string }, context) =>
        writable(context).delete(args.name, actorName(context.principal)),
      addGroupMembers: (
        _parent,
        args: { name: string; deviceIds: string[] },
        context,
      ) =>
        writable(context).addMembers(
          args.name,
          args.deviceIds,
          actorName(context.principal),
        ),
      removeGroupMembers: (
        _parent,
        args: { name: string; deviceIds: string[] },
        context,
      ) =>
        writable(context).removeMembers(
          args.name,
          args.deviceIds,
          actorName(context.principal),
        ),
    },
  },
};
