import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';

const STATES = [
  'provisioning',
  'healthy',
  'degraded',
  'failed',
  'offline',
  'maintenance',
  'decommissioned',
] as const;

const ACTIONS = [
  'ACTIVATE',
  'ENTER_MAINTENANCE',
  'EXIT_MAINTENANCE',
  'MARK_FAILED',
  'REPAIR',
] as const;

/** The spec's state machine, written out: the actions each state allows. */
const ALLOWED: Record<(typeof STATES)[number], string[]> = {
  provisioning: ['ACTIVATE', 'DECOMMISSION'],
  healthy: ['ENTER_MAINTENANCE', 'MARK_FAILED', 'DECOMMISSION'],
  degraded: ['ENTER_MAINTENANCE', 'MARK_FAILED', 'DECOMMISSION'],
  failed: ['ENTER_MAINTENANCE', 'REPAIR', 'DECOMMISSION'],
  offline: ['ENTER_MAINTENANCE', 'DECOMMISSION'],
  maintenance: ['EXIT_MAINTENANCE', 'MARK_FAILED', 'DECOMMISSION'],
  decommissioned: [],
};

const TARGET: Record<(typeof ACTIONS)[number], string> = {
  ACTIVATE: 'HEALTHY',
  ENTER_MAINTENANCE: 'MAINTENANCE',
  EXIT_MAINTENANCE: 'HEALTHY',
  MARK_FAILED: 'FAILED',
  REPAIR: 'HEALTHY',
};

const TRANSITION = `mutation ($id: ID!, $action: DeviceAction!, $reason: String) {
  transitionDevice(id: $id, action: $action, reason: $reason) {
    id status { state stateSince } allowedActions
  }
}`;

type HistoryPage = {
  stateTransitions: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { from: string; to: string } }>;
  };
};

const CASES = STATES.flatMap((state) =>
  ACTIONS.map((action) => ({
    state,
    action,
    isAllowed: ALLOWED[state].includes(action),
  })),
);

describe('guarded state transitions', () => {
  let server: TestServer;
  const idFor = (state: string, action: string) =>
    `t-${state}-${action.toLowerCase()}`;
  const rowsOf = async (id: string) => {
    const transitions = await server.database.pool.query(
      `SELECT from_state, to_state, cause, actor, reason FROM state_transitions
       WHERE device_id = $1 ORDER BY id`,
      [id],
    );
    const events = await server.database.pool.query(
      `SELECT kind, payload->>'from' AS "from", payload->>'to' AS "to"
       FROM device_events WHERE device_id = $1 ORDER BY id`,
      [id],
    );
    const status = await server.database.pool.query(
      'SELECT state, state_since FROM device_status WHERE device_id = $1',
      [id],
    );
    return {
      transitions: transitions.rows,
      events: events.rows,
      status: status.rows[0],
    };
  };

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(
      server.database.pool,
      CASES.map(({ state, action }) => ({ id: idFor(state, action), state })),
    );
    server.clock.set('2026-02-01T12:00:00.000Z');
  });
  afterAll(() => server.close());

  it.each(CASES.filter((c) => c.isAllowed))(
    'moves a $state device with $action and records it',
    async ({ state, action }) => {
      const id = idFor(state, action);
      const result = await server.request(TRANSITION, {
        id,
        action,
        reason: 'checked',
      });
      const to = TARGET[action];
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        transitionDevice: {
          id,
          status: { state: to, stateSince: '2026-02-01T12:00:00.000Z' },
          allowedActions: ALLOWED[to.toLowerCase() as keyof typeof ALLOWED],
        },
      });
      expect(await rowsOf(id)).toEqual({
        transitions: [
          {
            from_state: state,
            to_state: to.toLowerCase(),
            cause: 'operator',
            actor: 'operator:bootstrap-admin',
            reason: 'checked',
          },
        ],
        events: [{ kind: 'stateChanged', from: state, to: to.toLowerCase() }],
        status: {
          state: to.toLowerCase(),
          state_since: new Date('2026-02-01T12:00:00.000Z'),
        },
      });
    },
  );

  it.each(CASES.filter((c) => !c.isAllowed))(
    'refuses $action for a $state device with INVALID_TRANSITION',
    async ({ state, action }) => {
      const id = idFor(state, action);
      const result = await server.request(TRANSITION, { id, action });
      expect(result.errors?.map((e) => e.extensions)).toEqual([
        {
          code: 'INVALID_TRANSITION',
          deviceId: id,
          action,
          state: state.toUpperCase(),
          allowedActions: ALLOWED[state],
        },
      ]);
      expect(await rowsOf(id)).toEqual({
        transitions: [],
        events: [],
        status: { state, state_since: new Date('2026-01-01T00:00:00.000Z') },
      });
    },
  );

  it.each([
    ['activateDevice', 'provisioning', 'HEALTHY'],
    ['enterMaintenance', 'healthy', 'MAINTENANCE'],
    ['exitMaintenance', 'maintenance', 'HEALTHY'],
    ['markFailed', 'degraded', 'FAILED'],
    ['repairDevice', 'failed', 'HEALTHY'],
  ])('offers %s as a named wrapper (%s -> %s)', async (mutation, state, to) => {
    const id = `named-${mutation}`;
    await insertDevices(server.database.pool, [{ id, state }]);
    const result = await server.request(
      `mutation ($id: ID!) { ${mutation}(id: $id, reason: "named") { status { state } } }`,
      { id },
    );
    expect(result.data).toEqual({ [mutation]: { status: { state: to } } });
  });

  it('refuses DECOMMISSION through transitionDevice, pointing at decommissionDevice', async () => {
    await insertDevices(server.database.pool, [{ id: 'via-transition' }]);
    const result = await server.request(TRANSITION, {
      id: 'via-transition',
      action: 'DECOMMISSION',
    });
    expect(result.errors?.map((e) => [e.message, e.extensions])).toEqual([
      [
        'Decommission a device with decommissionDevice',
        { code: 'BAD_USER_INPUT', argument: 'action' },
      ],
    ]);
  });

  it('answers NOT_FOUND for an unknown device', async () => {
    const result = await server.request(TRANSITION, {
      id: 'nope',
      action: 'ACTIVATE',
    });
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      { code: 'NOT_FOUND', kind: 'Device', id: 'nope' },
    ]);
  });

  it('lets exactly one of two concurrent identical transitions through', async () => {
    await insertDevices(server.database.pool, [{ id: 'race' }]);
    const results = await Promise.all([
      server.request(TRANSITION, { id: 'race', action: 'ENTER_MAINTENANCE' }),
      server.request(TRANSITION, { id: 'race', action: 'ENTER_MAINTENANCE' }),
    ]);
    const outcomes = results
      .map((r) => r.errors?.[0]?.extensions?.code ?? 'ok')
      .sort();
    const { transitions } = await rowsOf('race');
    expect([outcomes, transitions.length]).toEqual([
      ['INVALID_TRANSITION', 'ok'],
      1,
    ]);
  });

  it('clears the offline escalation when an offline device enters maintenance', async () => {
    await insertDevices(server.database.pool, [
      { id: 'silent', state: 'offline' },
    ]);
    await server.database.pool.query(
      `UPDATE device_status SET offline_since = '2026-01-20T00:00:00Z',
         offline_tier = 'escalate', tier_since = '2026-01-25T00:00:00Z'
       WHERE device_id = 'silent'`,
    );
    const result = await server.request(
      `mutation { enterMaintenance(id: "silent") {
         status { state offlineSince offlineTier tierSince } } }`,
    );
    expect(result.data).toEqual({
      enterMaintenance: {
        status: {
          state: 'MAINTENANCE',
          offlineSince: null,
          offlineTier: null,
          tierSince: null,
        },
      },
    });
  });

  it('gives an activated device one full heartbeat timeout before it can go offline', async () => {
    await insertDevices(server.database.pool, [
      { id: 'fresh', state: 'provisioning' },
    ]);
    await server.request('mutation { activateDevice(id: "fresh") { id } }');
    const { rows } = await server.database.pool.query(
      `SELECT due_at FROM device_status WHERE device_id = 'fresh'`,
    );
    expect(rows).toEqual([{ due_at: new Date('2026-02-01T12:03:00.000Z') }]);
  });

  it('pages through a device history newest first with exact cursors', async () => {
    await insertDevices(server.database.pool, [
      { id: 'busy', state: 'healthy' },
    ]);
    const steps = [
      'enterMaintenance',
      'exitMaintenance',
      'markFailed',
      'repairDevice',
      'enterMaintenance',
    ];
    for (const step of steps) {
      server.clock.advance(60_000);
      await server.request(`mutation { ${step}(id: "busy") { id } }`);
    }
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: HistoryPage | null } =
        await server.request<HistoryPage>(
          `query ($after: String) { stateTransitions(deviceId: "busy", first: 2, after: $after) {
           totalCount pageInfo { hasNextPage endCursor } edges { node { from to } } } }`,
          { after },
        );
      const connection = page.data!.stateTransitions;
      expect(connection.totalCount).toBe(5);
      pages.push(connection.edges.map((e) => `${e.node.from}->${e.node.to}`));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toEqual([
      ['HEALTHY->MAINTENANCE', 'FAILED->HEALTHY'],
      ['HEALTHY->FAILED', 'MAINTENANCE->HEALTHY'],
      ['HEALTHY->MAINTENANCE'],
    ]);
  });

  it('refuses a device token and a viewer key', async () => {
    const viewer = await server.request<{ createApiKey: { key: string } }>(
      'mutation { createApiKey(name: "v", role: VIEWER) { key } }',
    );
    const result = await server.request(
      TRANSITION,
      { id: 'busy', action: 'EXIT_MAINTENANCE' },
      viewer.data!.createApiKey.key,
    );
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      { code: 'FORBIDDEN', requiredRole: 'operator' },
    ]);
  });
});
