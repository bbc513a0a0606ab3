import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { HEARTBEAT_BATCH, statusOf } from './support/livenessFixtures.ts';

// Tags are stored ASCII-lowercased while device ids keep their case, so
// the tag an operator writes as gateway=GW-Hall-7 is stored as
// gateway=gw-hall-7, which no exact comparison with the id matches.
describe('gateway rights of a gateway whose id has upper-case letters', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function register(id: string): Promise<string> {
    const result = await server.request<{
      registerDevice: { deviceToken: string };
    }>(
      `mutation ($input: RegisterDeviceInput!) {
         registerDevice(input: $input) { deviceToken }
       }`,
      {
        input: {
          id,
          hostname: `${id.toLowerCase()}.local`,
          environment: 'production',
          hardware: { type: 'x86-gateway' },
        },
      },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.registerDevice.deviceToken;
  }

  async function tagGateway(deviceId: string, gatewayId: string) {
    const result = await server.request(
      `mutation ($ids: [ID!], $tags: [TagInput!]!) {
         tagDevices(ids: $ids, tags: $tags) { affectedCount }
       }`,
      { ids: [deviceId], tags: [{ key: 'gateway', value: gatewayId }] },
    );
    expect(result.errors).toBeUndefined();
  }

  function batchFor(deviceId: string, token: string) {
    return server.request(
      HEARTBEAT_BATCH,
      { inputs: [{ deviceId, status: 'HEALTHY' }] },
      token,
    );
  }

  it('lets it report for a device tagged gateway=<its id>', async () => {
    const gatewayToken = await register('GW-Hall-7');
    await register('sensor-hall-7');
    await tagGateway('sensor-hall-7', 'GW-Hall-7');

    const result = await batchFor('sensor-hall-7', gatewayToken);

    expect(result.data).toEqual({
      heartbeatBatch: [
        {
          deviceId: 'sensor-hall-7',
          ack: { accepted: true, duplicate: false, state: 'PROVISIONING' },
          error: null,
        },
      ],
    });
  });

  it('refuses both gateways whose ids differ only in case, writing nothing', async () => {
    const upperToken = await register('GW-Dock-2');
    const lowerToken = await register('gw-dock-2');
    await register('sensor-dock-2');
    await tagGateway('sensor-dock-2', 'GW-Dock-2');

    const fromUpper = await batchFor('sensor-dock-2', upperToken);
    const fromLower = await batchFor('sensor-dock-2', lowerToken);

    const refusal = (gateway: string) => ({
      heartbeatBatch: [
        {
          deviceId: 'sensor-dock-2',
          ack: null,
          error: {
            code: 'FORBIDDEN',
            message:
              `Gateway "${gateway}" may not report for "sensor-dock-2": ` +
              'its tag gateway=gw-dock-2 names more than one device ' +
              '(GW-Dock-2, gw-dock-2)',
          },
        },
      ],
    });
    expect(fromUpper.data).toEqual(refusal('GW-Dock-2'));
    expect(fromLower.data).toEqual(refusal('gw-dock-2'));
    const status = await statusOf(server.database.pool, 'sensor-dock-2');
    expect(status.lastHeartbeatAt).toBeNull();
  });
});
