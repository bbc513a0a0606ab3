import { makeExecutableSchema } from '@graphql-tools/schema';
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  type GraphQLSchema,
} from 'graphql';
import {
  DEVICE_STATES,
  OFFLINE_TIERS,
  REPORTED_STATUSES,
  TRANSITION_CAUSES,
} from '@rollcall/fleet';
import { OPERATOR_ROLES } from '../auth/principal.ts';
import { modules } from './modules.ts';
import { parseIsoInstant } from '../isoInstant.ts';

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
    "Emits the server time every second, for connection checks and clock offsets (viewer)."
    serverTime: DateTime!
  }

  "A device's place in the spec's state machine."
  enum DeviceState {
    PROVISIONING
    HEALTHY
    DEGRADED
    FAILED
    OFFLINE
    MAINTENANCE
    DECOMMISSIONED
  }

  "How long an offline device has been silent, on the escalation ladder."
  enum OfflineTier {
    WARNING
    ALERT
    CRITICAL
    MONITOR
    ESCALATE
    INVESTIGATE
    DECOMMISSION_REVIEW
  }

  "Why a device changed state."
  enum TransitionCause {
    REGISTRATION
    HEARTBEAT
    TIMEOUT
    OPERATOR
    DEPLOYMENT
    SYNC
  }

  "The status a device reports about itself in a heartbeat."
  enum ReportedStatus {
    HEALTHY
    DEGRADED
    FAILED
  }

  "An operator API key's rights: viewer reads, operator writes, admin all."
  enum OperatorRole {
    VIEWER
    OPERATOR
    ADMIN
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
  // `new Date` alone also reads "Dec 4 2026", a bare date, or a time
  // without zone (as local time), and rolls 2025-02-30 over to March.
  const date = typeof value === 'string' ? parseIsoInstant(value) : null;
  if (date === null) {
    throw new GraphQLError(
      `DateTime must be an ISO-8601 date and time with a zone (2026-01-15T14:30:00Z), got ${JSON.stringify(value)}`,
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

// GraphQL enums are upper case by convention; inside Rollcall (database,
// @rollcall/fleet, the tag query language) the same values are lower case.
function lowerCaseEnum(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((value) => [value.toUpperCase(), value]),
  );
}

const enumResolvers = {
  DeviceState: lowerCaseEnum(DEVICE_STATES),
  OfflineTier: lowerCaseEnum(OFFLINE_TIERS),
  TransitionCause: lowerCaseEnum(TRANSITION_CAUSES),
  ReportedStatus: lowerCaseEnum(REPORTED_STATUSES),
  OperatorRole: lowerCaseEnum(OPERATOR_ROLES),
};

/** The whole API: the base types plus every domain module. */
export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [baseTypeDefs, ...modules.map((module) => module.typeDefs)],
    resolvers: [
      { DateTime: DateTimeScalar, JSON: JSONScalar, ...enumResolvers },
      ...modules.map((module) => module.resolvers),
    ],
  });
}
