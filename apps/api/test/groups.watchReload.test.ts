import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { dynamicGroup } from './support/deploymentFixtures.ts';
import {
  buffered,
  membershipPayload,
  settled,
} from './support/groupWatchFixtures.ts';
import { insertLivenessDevices } from './support/livenessFixtures.ts';

const DEVICES_READ = 'WHERE d.id = ANY($1::text[])';
const DEVICE_TAGS_READ = 'SELECT key, value FROM device_tags WHERE device_id';

// A group edit recomputes every watched group; it used to load each
// device that joined or left with three reads (record, tags, static
// groups) of which the payload uses only the record.
describe('group watches after a group edit', () => {
  let server: TestServer;
  const services = () => server.server.services;

  beforeAll(async () => {
    server = await startTestServer();
    const tag = (id: string, name: string) => ({
      id,
      tags: [[name, '']] as Array<[string, string]>,
    });
    await insertLivenessDevices(
      server.database.pool,
      [
        tag('ed-1', 'alpha'),
        tag('ed-2', 'alpha'),
        tag('ed-3', 'beta'),
        tag('ed-4', 'gamma'),
      ],
      server.clock.now(),
    );
    await dynamicGroup(server, 'edited', 'tag:alpha');
    await dynamicGroup(server, 'wide', 'group:edited OR tag:gamma');
  });
  afterAll(() => server.close());

  it('announces every join and leave of every watched group, with the devices loaded in one read, as they were announced before', async () => {
    const edited = buffered(await services().live.watchGroup('edited'));
    const wide = buffered(await services().live.watchGroup('wide'));
    await settled(server);
    server.clock.advance(1000);
    const query = vi.spyOn(server.server.db.pool, 'query');

    const result = await server.request(
      `mutation { updateGroup(name: "edited", input: { query: "tag:beta" }) {
        name
      } }`,
    );
    await settled(server);
    const texts = query.mock.calls.map(([text]) => String(text));
    query.mockRestore();

    // What the per-device loads published: each device's record.
    const payload = (group: string, id: string, change: 'joined' | 'left') =>
      membershipPayload(server, group, id, change);
    const count = (part: string) =>
      texts.filter((text) => text.includes(part)).length;
    expect({
      errors: result.errors,
      edited: await edited(),
      wide: await wide(),
      deviceReads: count(DEVICES_READ),
      deviceTagReads: count(DEVICE_TAGS_READ),
    }).toEqual({
      errors: undefined,
      edited: [
        await payload('edited', 'ed-3', 'joined'),
        await payload('edited', 'ed-1', 'left'),
        await payload('edited', 'ed-2', 'left'),
      ],
      wide: [
        await payload('wide', 'ed-3', 'joined'),
        await payload('wide', 'ed-1', 'left'),
        await payload('wide', 'ed-2', 'left'),
      ],
      deviceReads: 1,
      deviceTagReads: 0,
    });
  });
});
