import { requireRole } from '../auth/authService.ts';
import { actorName } from '../auth/principal.ts';
import type { RequestContext } from '../server/context.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';

const typeDefs = /* GraphQL */ `
  "A tag of the taxonomy (the spec's tag_categories)."
  type TagDefinition {
    name: String!
    "hardware, environment, location, role or fleet."
    category: String!
    description: String
    "Devices carrying it (as a plain tag, key or value), decommissioned ones not counted."
    deviceCount: Int!
  }

  extend type Query {
    "The tag taxonomy, optionally one category, with device counts (viewer)."
    tags(category: String): [TagDefinition!]!
  }

  extend type Mutation {
    "Adds a tag to the taxonomy or redefines it (operator)."
    defineTag(
      name: String!
      category: String!
      description: String
    ): TagDefinition!
  }
`;

/** The tag taxonomy: categories, descriptions and device counts. */
export const tagsModule: GraphqlModule = {
  name: 'tags',
  typeDefs,
  resolvers: {
    Query: {
      tags: (
        _: unknown,
        args: { category?: string | null },
        context: RequestContext,
      ) => {
        requireRole(context.principal, 'viewer');
        return context.services.tags.list(args.category ?? null);
      },
    },
    Mutation: {
      defineTag: (
        _: unknown,
        args: { name: string; category: string; description?: string | null },
        context: RequestContext,
      ) => {
        requireRole(context.principal, 'operator');
        return context.services.tags.define(
          {
            name: args.name,
            category: args.category,
            description: args.description ?? null,
          },
          actorName(context.principal),
        );
      },
    },
  },
};
