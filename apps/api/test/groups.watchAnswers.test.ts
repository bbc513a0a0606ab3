import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import type { MembershipPayload } from '../src/live/groupWatches.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { dynamicGroup, staticGroup } from './support/deploymentFixtures.ts';
import {
  buffered,
  settled as settledEvents,
} from './support/groupWatchFixtures.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';

const MINUTE = 60_000;

const DYNAMIC_GROUPS: Record<string, string> = {
  'factory-gpu': 'tag:site-factory-a AND tag:gpu-capable',
  'region-b': 'tag:region=factory-b',
  racked: 'tag:rack*',
  'healthy-fleet': 'tag:fleet AND status:healthy',
  'not-troubled': 'NOT status IN (degraded, failed)',
  warned: 'tier:warning',
  'pinned-or-gpu': 'group:pinned OR group:factory-gpu',
  'big-ram': 'hardware.ram_mb >= 8192',
  'seen-recently': 'status.last_heartbeat > now-1m',
};
const GROUPS = ['pinned', ...Object.keys(DYNAMIC_GROUPS)];

const line = (group: string, deviceId: string, change: string) =>
  `${group} ${change === 'joined' ? '+' : '-'}${deviceId}`;

// Group watches now recheck a device only for the groups an event can
// concern, in memory. The oracle is what they did before: after every
// stateChanged, tierChanged and deviceChanged event, the SQL member
// query of every watched group for the event's device; after a group
// edit, every group's members again.
describe('group watches on a mixed run of events', () => {
  let server: TestServer;
  const seen: RegistryEvent[] = [];

  const services = () => server.server.services;
  const request = async (query: string, variables: object = {}) => {
    const result = await server.request(query, { ...variables });
    expect(result.errors).toBeUndefined();
  };
  const heartbeat = (deviceId: string, status: string, sequence: number) =>
    sendHeartbeat(server, {
      deviceId,
      status,
      sequence,
      metrics: { cpuPercent: 20 },
    });

  const settled = () => settledEvents(server);

  /** The changes the SQL member queries find for the events seen. */
  async function sqlChanges(members: Map<string, Set<string>>) {
    const changes: string[] = [];
    const record = (group: string, deviceId: string, isMember: boolean) => {
      const own = members.get(group)!;
      if (isMember === own.has(deviceId)) return;

      if (isMember) own.add(deviceId);
      else own.delete(deviceId);
      changes.push(line(group, deviceId, isMember ? 'joined' : 'left'));
    };
    for (const event of seen.splice(0)) {
      if (event.kind === 'groupChanged') {
        for (const group of GROUPS) {
          const now = new Set(await services().groups.resolveMembers(group));
          for (const id of members.get(group)!) record(group, id, now.has(id));
          for (const id of now) record(group, id, true);
        }
        continue;
      }
      if (!('deviceId' in event)) continue;

      for (const group of GROUPS) {
        const isMember = await services().groups.isMember(
          group,
          event.deviceId,
        );
        record(group, event.deviceId, isMember);
      }
    }
    return changes.sort();
  }

  beforeAll(async () => {
    server = await startTestServer();
    // Past the restart grace of the server's first sweep.
    await services().liveness.sweeper.runOnce();
    server.clock.advance(200_000);
    await services().liveness.sweeper.runOnce();
    const now = server.clock.now();
    const tags = (...names: string[]): Array<[string, string]> =>
      names.map((name) => {
        const [key, value = ''] = name.split('=');
        return [key!, value];
      });
    await insertLivenessDevices(
      server.database.pool,
      [
        {
          id: 'wa-1',
          tags: tags(
            'fleet',
            'site-factory-a',
            'gpu-capable',
            'region=factory-a',
          ),
        },
        { id: 'wa-2', tags: tags('fleet', 'site-factory-a') },
        { id: 'wa-3', tags: tags('fleet', 'region=factory-b') },
        { id: 'wa-4', tags: tags('fleet', 'rack-7') },
        { id: 'wa-5', tags: tags('fleet') },
        {
          id: 'wa-6',
          tags: tags('fleet', 'gpu-capable'),
          state: 'offline',
          lastHeartbeatAt: new Date(now.getTime() - 9 * MINUTE),
          offlineSince: new Date(now.getTime() - 6 * MINUTE),
          dueAt: now,
        },
      ],
      now,
    );
    await staticGroup(server, 'pinned', ['wa-2', 'wa-5']);
    for (const [name, query] of Object.entries(DYNAMIC_GROUPS)) {
      await dynamicGroup(server, name, query);
    }
  });
  afterAll(() => server.close());

  it('announces exactly the joins and leaves the member queries found', async () => {
    const watches = await Promise.all(
      GROUPS.map(async (group) => ({
        group,
        drain: buffered(await services().live.watchGroup(group)),
      })),
    );
    await settled();
    const members = new Map<string, Set<string>>();
    for (const group of GROUPS) {
      members.set(
        group,
        new Set(await services().groups.resolveMembers(group)),
      );
    }
    services().events.subscribe(
      ['stateChanged', 'tierChanged', 'deviceChanged', 'groupChanged'],
      (event) => seen.push(event),
    );
    const tag = (ids: string[] | null, where: string | null, name: string) => {
      const [key, value = null] = name.split('=');
      return request(
        `mutation ($ids: [ID!], $where: String, $tag: TagInput!) {
          tagDevices(ids: $ids, where: $where, tags: [$tag]) { affectedCount }
        }`,
        { ids, where, tag: { key, value } },
      );
    };

    const steps: Array<[string, () => Promise<unknown>]> = [
      ['a tag a group reads', () => tag(['wa-2'], null, 'gpu-capable')],
      ['a bulk tag under a prefix', () => tag(null, 'tag:fleet', 'rack-1')],
      [
        'a key/value tag replacing another',
        () => tag(['wa-1'], null, 'region=factory-b'),
      ],
      [
        'an untag another tag covers',
        () =>
          request(
            'mutation { untagDevices(ids: ["wa-4"], tags: [{ key: "rack-7" }]) { affectedCount } }',
          ),
      ],
      [
        'a heartbeat degrading a device',
        () => heartbeat('wa-3', 'DEGRADED', 1),
      ],
      ['a heartbeat failing it', () => heartbeat('wa-3', 'FAILED', 2)],
      [
        'a heartbeat two minutes later, no state change',
        () => {
          server.clock.advance(2 * MINUTE);
          return heartbeat('wa-1', 'HEALTHY', 1);
        },
      ],
      ['a tag no query reads', () => tag(['wa-3'], null, 'x-ray')],
      [
        'an operator transition',
        () => request('mutation { enterMaintenance(id: "wa-4") { id } }'),
      ],
      [
        'static members added and removed',
        async () => {
          await request(
            'mutation { addGroupMembers(name: "pinned", deviceIds: ["wa-4"]) { name } }',
          );
          await request(
            'mutation { removeGroupMembers(name: "pinned", deviceIds: ["wa-2"]) { name } }',
          );
        },
      ],
      [
        'a record edit',
        () =>
          request(
            'mutation { updateDevice(id: "wa-2", input: { hardware: { ramMb: 16384 } }) { id } }',
          ),
      ],
      [
        'a sweep moving a device up a tier',
        () => services().liveness.sweeper.runOnce(),
      ],
      [
        'a decommissioning',
        () =>
          request(
            'mutation { decommissionDevice(id: "wa-5") { device { id } } }',
          ),
      ],
      [
        'a sweep timing the silent out',
        () => {
          server.clock.advance(200_000);
          return services().liveness.sweeper.runOnce();
        },
      ],
    ];

    const announced: Array<[string, string[]]> = [];
    const sql: Array<[string, string[]]> = [];
    for (const [name, act] of steps) {
      await act();
      await settled();
      const own: string[] = [];
      for (const { drain } of watches) {
        for (const change of (await drain()) as MembershipPayload[]) {
          own.push(line(change.group, change.deviceId, change.change));
        }
      }
      announced.push([name, own.sort()]);
      sql.push([name, await sqlChanges(members)]);
    }

    const expected: Array<[string, string[]]> = [
      ['a tag a group reads', ['factory-gpu +wa-2']],
      [
        'a bulk tag under a prefix',
        [
          'racked +wa-1',
          'racked +wa-2',
          'racked +wa-3',
          'racked +wa-5',
          'racked +wa-6',
        ],
      ],
      ['a key/value tag replacing another', ['region-b +wa-1']],
      ['an untag another tag covers', []],
      [
        'a heartbeat degrading a device',
        ['healthy-fleet -wa-3', 'not-troubled -wa-3', 'seen-recently +wa-3'],
      ],
      ['a heartbeat failing it', []],
      // Time moved no group: only a device's own events recheck it here
      // (the periodic recheck is groups.volatileRecheck.test.ts).
      ['a heartbeat two minutes later, no state change', []],
      ['a tag no query reads', ['seen-recently -wa-3']],
      ['an operator transition', ['healthy-fleet -wa-4']],
      [
        'static members added and removed',
        // The group edit recomputes every watched group.
        [
          'pinned +wa-4',
          'pinned -wa-2',
          'pinned-or-gpu +wa-4',
          'seen-recently +wa-1',
        ],
      ],
      ['a record edit', ['big-ram +wa-2']],
      ['a sweep moving a device up a tier', ['warned +wa-6']],
      [
        'a decommissioning',
        [
          'healthy-fleet -wa-5',
          'not-troubled -wa-5',
          'pinned -wa-5',
          'pinned-or-gpu -wa-5',
          'racked -wa-5',
        ],
      ],
      [
        'a sweep timing the silent out',
        ['healthy-fleet -wa-1', 'healthy-fleet -wa-2', 'seen-recently -wa-1'],
      ],
    ];
    expect({ announced, sql }).toEqual({ announced: expected, sql: expected });
  });
});
