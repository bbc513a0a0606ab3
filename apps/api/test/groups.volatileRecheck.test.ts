import type { MockInstance } from 'vitest';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import type { MembershipPayload } from '../src/live/groupWatches.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { dynamicGroup } from './support/deploymentFixtures.ts';
import {
  buffered,
  membershipPayload,
  settled,
} from './support/groupWatchFixtures.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

// The statements a recheck or a group edit makes, by what they read.
const MEMBER_QUERY = 'SELECT d.id FROM devices d JOIN device_status s';
const DEVICES_READ = 'WHERE d.id = ANY($1::text[])';
const DEVICE_TAGS_READ = 'SELECT key, value FROM device_tags WHERE device_id';

function reads(query: MockInstance) {
  const texts = (query.mock.calls as Array<[unknown]>).map(([text]) =>
    typeof text === 'string' ? text : '',
  );
  const count = (part: string) =>
    texts.filter((text) => text.includes(part)).length;
  return {
    memberQueries: count(MEMBER_QUERY),
    deviceReads: count(DEVICES_READ),
    deviceTagReads: count(DEVICE_TAGS_READ),
  };
}

// Live membership used to be rechecked only on a device's own events and
// on group edits, so a group on a relative time, an offline duration or
// a field heartbeats rewrite (last heartbeat, uptime) never announced
// the devices the clock or a heartbeat moved.
describe('the periodic recheck of time and heartbeat groups', () => {
  let server: TestServer;
  let start: Date;
  const services = () => server.server.services;
  const pool = () => server.database.pool;
  const recheck = async () => {
    // The server's own pool, which the live hub reads through.
    const query = vi.spyOn(server.server.db.pool, 'query');
    await services().live.recheckVolatileGroups();
    const made = reads(query);
    query.mockRestore();
    return made;
  };
  const payload = (group: string, id: string, change: 'joined' | 'left') =>
    membershipPayload(server, group, id, change);
  const open: Array<AsyncIterableIterator<MembershipPayload>> = [];
  const watch = async (group: string) => {
    const iterator = await services().live.watchGroup(group);
    open.push(iterator);
    return buffered(iterator);
  };

  beforeAll(async () => {
    server = await startTestServer();
    start = server.clock.now();
    const ago = (ms: number) => new Date(start.getTime() - ms);
    await insertLivenessDevices(
      pool(),
      [
        { id: 'vr-fresh', tags: [['fleet', '']], lastHeartbeatAt: start },
        {
          id: 'vr-quiet',
          tags: [['fleet', '']],
          lastHeartbeatAt: ago(150 * SECOND),
        },
        {
          id: 'vr-down',
          state: 'offline',
          lastHeartbeatAt: ago(12 * MINUTE),
          offlineSince: ago(9 * MINUTE),
        },
      ],
      start,
    );
    await dynamicGroup(server, 'seen-recently', 'last_heartbeat > now-1m');
    await dynamicGroup(server, 'down-10m', 'offline_for >= 10m');
    await dynamicGroup(server, 'up-an-hour', 'status.uptime_seconds >= 3600');
    await dynamicGroup(server, 'fleet', 'tag:fleet');
  });
  afterEach(async () => {
    for (const iterator of open.splice(0)) await iterator.return?.();
  });
  afterAll(() => server.close());

  it('announces a device leaving and another joining as the clock passes their thresholds, with no event of theirs', async () => {
    const seen = await watch('seen-recently');
    const down = await watch('down-10m');
    const fleet = await watch('fleet');

    server.clock.set(new Date(start.getTime() + MINUTE - 1));
    const early = await recheck();
    const beforeThresholds = [...(await seen()), ...(await down())];
    server.clock.set(new Date(start.getTime() + MINUTE));
    const atThresholds = await recheck();

    expect({
      early,
      beforeThresholds,
      atThresholds,
      seen: await seen(),
      down: await down(),
      fleet: await fleet(),
    }).toEqual({
      // One member query per group that time moves; none for tag:fleet.
      early: { memberQueries: 2, deviceReads: 0, deviceTagReads: 0 },
      beforeThresholds: [],
      atThresholds: { memberQueries: 2, deviceReads: 1, deviceTagReads: 0 },
      seen: [await payload('seen-recently', 'vr-fresh', 'left')],
      down: [await payload('down-10m', 'vr-down', 'joined')],
      fleet: [],
    });
  });

  it('announces a device a heartbeat moves into groups on its last heartbeat and uptime, at the next recheck', async () => {
    const seen = await watch('seen-recently');
    const uptime = await watch('up-an-hour');

    server.clock.advance(SECOND);
    const beat = await sendHeartbeat(server, {
      deviceId: 'vr-quiet',
      sequence: 1,
      metrics: { uptimeSeconds: 7200 },
    });
    // A heartbeat that changes no state is no membership event.
    await settled(server);
    const onTheHeartbeat = [...(await seen()), ...(await uptime())];
    server.clock.advance(SECOND);
    await recheck();

    expect({
      state: beat.data?.heartbeat.state,
      onTheHeartbeat,
      seen: await seen(),
      uptime: await uptime(),
    }).toEqual({
      state: 'HEALTHY',
      onTheHeartbeat: [],
      seen: [await payload('seen-recently', 'vr-quiet', 'joined')],
      uptime: [await payload('up-an-hour', 'vr-quiet', 'joined')],
    });
  });

  it('reads nothing when no watched group depends on time or heartbeats', async () => {
    const fleet = await watch('fleet');
    server.clock.advance(10 * MINUTE);

    expect({ reads: await recheck(), fleet: await fleet() }).toEqual({
      reads: { memberQueries: 0, deviceReads: 0, deviceTagReads: 0 },
      fleet: [],
    });
  });
});
