import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  subscribe,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/principal.ts';
import { buildSchema } from '../src/server/schema.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { deviceToken, insertDevices } from './support/deviceFixtures.ts';

/**
 * Who may call each operation. Every Query, Mutation and Subscription field
 * of the schema must be listed: a new operation fails this test until its
 * rights are written down here.
 */
type Access = 'anyone' | 'device' | 'viewer' | 'operator' | 'admin';

const EXPECTED_ACCESS: Record<string, Access> = {
  'Query.health': 'anyone',
  'Query.me': 'anyone',
  'Query.apiKeys': 'admin',
  'Mutation.ping': 'anyone',
  'Mutation.createApiKey': 'admin',
  'Mutation.revokeApiKey': 'admin',
  'Mutation.rotateDeviceToken': 'operator',
  'Subscription.serverTime': 'viewer',
  'Query.device': 'viewer',
  'Query.devices': 'viewer',
  'Query.validateQuery': 'viewer',
  'Query.stateTransitions': 'viewer',
  'Query.auditLog': 'viewer',
  'Query.tags': 'viewer',
  'Mutation.registerDevice': 'operator',
  'Mutation.transitionDevice': 'operator',
  'Mutation.activateDevice': 'operator',
  'Mutation.enterMaintenance': 'operator',
  'Mutation.exitMaintenance': 'operator',
  'Mutation.markFailed': 'operator',
  'Mutation.repairDevice': 'operator',
  'Mutation.updateDevice': 'operator',
  'Mutation.tagDevices': 'operator',
  'Mutation.untagDevices': 'operator',
  'Mutation.decommissionDevice': 'admin',
  'Mutation.defineTag': 'operator',
  'Query.groups': 'viewer',
  'Query.group': 'viewer',
  'Query.previewGroup': 'viewer',
  'Mutation.createGroup': 'operator',
  'Mutation.updateGroup': 'operator',
  'Mutation.deleteGroup': 'operator',
  'Mutation.addGroupMembers': 'operator',
  'Mutation.removeGroupMembers': 'operator',
  'Query.changesSince': 'viewer',
  'Subscription.deviceStateChanged': 'viewer',
  'Subscription.heartbeatReceived': 'viewer',
  'Subscription.offlineTierChanged': 'viewer',
  'Subscription.groupMembershipChanged': 'viewer',
  'Subscription.deviceUpdated': 'viewer',
  'Query.deployments': 'viewer',
  'Query.deployment': 'viewer',
  'Query.deploymentLog': 'viewer',
  'Query.catchUpQueue': 'viewer',
  'Query.investigationQueue': 'viewer',
  'Mutation.planDeployment': 'operator',
  'Mutation.createDeployment': 'operator',
  'Mutation.startDeployment': 'operator',
  'Mutation.pauseDeployment': 'operator',
  'Mutation.resumeDeployment': 'operator',
  'Mutation.abortDeployment': 'operator',
  'Mutation.approveWave': 'operator',
  'Mutation.rollbackDevice': 'operator',
  'Mutation.retryCatchUp': 'operator',
  'Mutation.skipCatchUp': 'operator',
  'Mutation.removeCatchUp': 'operator',
  'Mutation.resolveInvestigation': 'operator',
  'Subscription.deploymentProgress': 'viewer',
  'Subscription.catchUpQueueChanged': 'viewer',
  'Query.fleetHealth': 'viewer',
  'Query.fleetHealthHistory': 'viewer',
  'Query.heartbeats': 'viewer',
  'Query.offlineDevices': 'viewer',
  'Query.alerts': 'viewer',
  'Subscription.alertRaised': 'viewer',
  'Query.syncReports': 'viewer',
  'Query.syncReport': 'viewer',
  'Mutation.runRegistrySync': 'operator',
  'Mutation.heartbeat': 'device',
  'Mutation.heartbeatBatch': 'operator',
};

/**
 * Operations whose rights no single access level says: `heartbeatBatch`
 * is open to gateways (device tokens) and operators. (`heartbeat` needs
 * the token of the device it reports for; INPUT_FIELD_SAMPLES names the
 * role test's own device, so the plain 'device' level holds.)
 */
const OUTCOME_OVERRIDES: Record<string, Record<string, string>> = {
  'Mutation.heartbeatBatch': {
    anonymous: 'UNAUTHENTICATED',
    device: 'allowed',
    viewer: 'FORBIDDEN',
    operator: 'allowed',
    admin: 'allowed',
  },
};

const ROLES = ['anonymous', 'device', 'viewer', 'operator', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Outcome = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN';

function expectedOutcome(access: Access, role: Role): Outcome {
  if (access === 'anyone') return 'allowed';
  if (role === 'anonymous') return 'UNAUTHENTICATED';
  if (access === 'device') return role === 'device' ? 'allowed' : 'FORBIDDEN';
  if (role === 'device') return 'FORBIDDEN';

  const order: Role[] = ['viewer', 'operator', 'admin'];
  return order.indexOf(role) >= order.indexOf(access) ? 'allowed' : 'FORBIDDEN';
}

const SCALAR_SAMPLES: Record<string, unknown> = {
  String: 'tag:role-test',
  ID: '00000000-0000-0000-0000-000000000000',
  Int: 1,
  Float: 1,
  Boolean: false,
  DateTime: '2026-01-01T00:00:00.000Z',
  JSON: {},
};

// Input fields that must name the role test's device for the operation to
// reach its own check (a device may only heartbeat for itself).
const INPUT_FIELD_SAMPLES: Record<string, unknown> = {
  deviceId: 'edge-role-test-001',
};

/** A valid value of an input type: required input fields only. */
function sample(type: GraphQLInputType): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [sample(inner.ofType)];
  if (isEnumType(inner)) return inner.getValues()[0]!.name;
  if (isScalarType(inner)) return SCALAR_SAMPLES[inner.name] ?? 'x';
  if (isInputObjectType(inner)) {
    return Object.fromEntries(
      Object.values(inner.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [
          field.name,
          INPUT_FIELD_SAMPLES[field.name] ?? sample(field.type),
        ]),
    );
  }
  throw new Error(`No sample for ${String(inner)}`);
}

/** A one-field operation with sample variables for its required args. */
function operationFor(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
): { text: string; variables: Record<string, unknown> } {
  const args = field.args.filter((arg: GraphQLArgument) =>
    isNonNullType(arg.type),
  );
  const declarations = args.map((arg) => `$${arg.name}: ${String(arg.type)}`);
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`);
  const selection = getNamedType(field.type).toString();
  const isLeaf =
    ['String', 'Boolean', 'Int', 'ID', 'Float', 'DateTime', 'JSON'].includes(
      selection,
    ) || isEnumType(getNamedType(field.type));
  const text =
    `${kind} RoleCheck${declarations.length ? `(${declarations.join(', ')})` : ''} ` +
    `{ ${field.name}${passed.length ? `(${passed.join(', ')})` : ''}` +
    `${isLeaf ? '' : ' { __typename }'} }`;
  return {
    text,
    variables: Object.fromEntries(
      args.map((arg) => [arg.name, sample(arg.type)]),
    ),
  };
}

function classify(codes: Array<string | undefined>): Outcome {
  if (codes.includes('UNAUTHENTICATED')) return 'UNAUTHENTICATED';
  if (codes.includes('FORBIDDEN')) return 'FORBIDDEN';
  return 'allowed';
}

describe('operation access by role', () => {
  const schema = buildSchema();
  const operations = (['query', 'mutation', 'subscription'] as const).flatMap(
    (kind) => {
      const root = schema.getRootType(kind as never);
      const typeName = {
        query: 'Query',
        mutation: 'Mutation',
        subscription: 'Subscription',
      }[kind];
      return Object.values(root?.getFields() ?? {}).map((field) => ({
        kind,
        key: `${typeName}.${field.name}`,
        field,
      }));
    },
  );

  let server: TestServer;
  const tokens: Partial<Record<Role, string | null>> = { anonymous: null };

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, [{ id: 'edge-role-test-001' }]);
    tokens.device = await deviceToken(
      server.database.pool,
      'edge-role-test-001',
    );
    tokens.admin = server.adminKey;
    for (const role of ['viewer', 'operator'] as const) {
      const created = await server.request<{ createApiKey: { key: string } }>(
        'mutation ($role: OperatorRole!) { createApiKey(name: "role-test", role: $role) { key } }',
        { role: role.toUpperCase() },
      );
      tokens[role] = created.data!.createApiKey.key;
    }
  });
  afterAll(() => server.close());

  it('lists every operation of the schema in the expected-access map, and nothing else', () => {
    const inSchema = operations.map((operation) => operation.key).sort();
    expect(inSchema).toEqual(Object.keys(EXPECTED_ACCESS).sort());
  });

  async function outcomeOf(
    operation: (typeof operations)[number],
    role: Role,
  ): Promise<Outcome> {
    const { text, variables } = operationFor(operation.kind, operation.field);
    if (operation.kind !== 'subscription') {
      const result = await server.request(text, variables, tokens[role]);
      // An error without a path means the operation never ran (a bad
      // sample); that must fail loudly, not count as allowed.
      const notRun = (result.errors ?? []).filter((error) => !error.path);
      if (result.status >= 500 || notRun.length > 0) {
        throw new Error(
          `${operation.key} as ${role}: ${JSON.stringify(result)}`,
        );
      }
      return classify(
        (result.errors ?? []).map((error) => error.extensions?.code),
      );
    }

    // Subscriptions run in process with the principal the WebSocket
    // handshake would have resolved, so no test waits for an event.
    const principal: Principal = await server.server.services.auth.authenticate(
      tokens[role] ?? null,
    );
    const result = await subscribe({
      schema,
      document: parse(text),
      variableValues: variables,
      contextValue: { ...server.server.app, requestId: 'role-test', principal },
    });
    if (Symbol.asyncIterator in result) {
      await result.return?.();
      return 'allowed';
    }
    return classify(
      (result.errors ?? []).map((error) => {
        const original = error.originalError as { code?: string } | undefined;
        return original?.code ?? (error.extensions?.code as string | undefined);
      }),
    );
  }

  it('gives each role exactly the outcome the map expects for every operation', async () => {
    const actual: Record<string, Record<Role, Outcome>> = {};
    const expected: Record<string, Record<Role, Outcome>> = {};
    for (const operation of operations) {
      const access = EXPECTED_ACCESS[operation.key];
      if (!access) continue;

      actual[operation.key] = {} as Record<Role, Outcome>;
      expected[operation.key] = {} as Record<Role, Outcome>;
      for (const role of ROLES) {
        actual[operation.key]![role] = await outcomeOf(operation, role);
        expected[operation.key]![role] =
          (OUTCOME_OVERRIDES[operation.key]?.[role] as Outcome | undefined) ??
          expectedOutcome(access, role);
      }
    }
    expect(actual).toEqual(expected);
  });
});
