import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';

// Device ids are exact: registration accepts upper-case letters
// (`checkDeviceId`), so `EDGE-JETSON-PROD-001` may be another device than
// `edge-jetson-prod-001`, and no id is ever folded to lower case.
/** The errors of a change refused for one unknown id. */
const notFound = (id: string) => [
  [
    `Device "${id}" does not exist`,
    { code: 'NOT_FOUND', kind: 'Device', id, ids: [id] },
  ],
];

describe('static group member ids', () => {
  let server: TestServer;

  /** Runs a member change; answers its errors and the members after it. */
  const change = async (mutation: string, deviceIds: string[]) => {
    const result = await server.request(
      `mutation ($ids: [String!]!) {
         ${mutation}(name: "critical-devices", deviceIds: $ids) { name }
       }`,
      { ids: deviceIds },
    );
    const { rows } = await server.database.pool.query<{ device_id: string }>(
      `SELECT m.device_id FROM group_members m
       JOIN groups g ON g.id = m.group_id
       WHERE g.name = 'critical-devices' ORDER BY m.device_id`,
    );
    return {
      errors: result.errors?.map((e) => [e.message, e.extensions]),
      members: rows.map((row) => row.device_id),
    };
  };

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, [
      { id: 'edge-jetson-prod-001' },
      { id: 'edge-jetson-prod-002' },
    ]);
    await server.request(
      `mutation { createGroup(input: {
         name: "critical-devices", membership: STATIC,
         devices: ["edge-jetson-prod-001"]
       }) { name } }`,
    );
    // A member whose device is gone, as an import can leave one.
    await server.database.pool.query(
      `INSERT INTO group_members (group_id, device_id)
       SELECT id, 'edge-gateway-prod-001' FROM groups
       WHERE name = 'critical-devices'`,
    );
  });
  afterAll(() => server.close());

  it('refuses adding an id in another case than the device, naming it', async () => {
    expect(await change('addGroupMembers', ['EDGE-JETSON-PROD-002'])).toEqual({
      errors: notFound('EDGE-JETSON-PROD-002'),
      members: ['edge-gateway-prod-001', 'edge-jetson-prod-001'],
    });
  });

  it('refuses removing an id in another case than the member, removing nothing', async () => {
    expect(
      await change('removeGroupMembers', [
        'EDGE-JETSON-PROD-001',
        'edge-jetson-prod-001',
      ]),
    ).toEqual({
      errors: notFound('EDGE-JETSON-PROD-001'),
      members: ['edge-gateway-prod-001', 'edge-jetson-prod-001'],
    });
  });

  it('removes a member whose device is gone, and a device that is no member, without error', async () => {
    expect(
      await change('removeGroupMembers', [
        'edge-gateway-prod-001',
        'edge-jetson-prod-002',
      ]),
    ).toEqual({ errors: undefined, members: ['edge-jetson-prod-001'] });
  });
});
