import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema } from 'graphql';
import { modules } from './modules.ts';

const baseTypeDefs = /* GraphQL */ `
  "An ISO-8601 date-time in UTC, such as 2025-01-16T10:45:00.000Z."
  scalar DateTime
  "Any JSON value."
  scalar JSON

  type Query {
    "Liveness of the API and its database."
    health: Health!
  }

  type Mutation {
    "Returns true; lets clients check that writes are reachable."
    ping: Boolean!
  }

  type Subscription {
    "Emits the server time every second, for connection checks."
    serverTime: DateTime!
  }

  type Health {
    ok: Boolean!
    version: String!
    database: String!
  }
`;

const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) {
      throw new GraphQLError('DateTime cannot represent an invalid date');
    }
    return date.toISOString();
  },
  parseValue(value) {
    return parseDate(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be an ISO-8601 string', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return parseDate(ast.value);
  },
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
    throw new GraphQLError(
      `DateTime must be an ISO-8601 string, got ${JSON.stringify(value)}`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  return date;
}

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
});

/** The whole API: the base types plus every domain module. */
export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [baseTypeDefs, ...modules.map((module) => module.typeDefs)],
    resolvers: [
      { DateTime: DateTimeScalar, JSON: JSONScalar },
      ...modules.map((module) => module.resolvers),
    ],
  });
}
