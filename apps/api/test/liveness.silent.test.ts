import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';

describe('silent devices that never time out', () => {
  let server: TestServer;
  let seq = 0;
  const fresh = async (state: string) => {
    const id = `silent-${++seq}`;
    await insertLivenessDevices(
      server.database.pool,
      [{ id, state }],
      server.clock.now(),
    );
    return id;
  };
  const sweep = () => server.server.services.liveness.sweeper.runOnce();
  const liveness = async (ids: string[]) => {
    const { rows } = await server.database.pool.query(
      `SELECT device_id, state, connectivity FROM device_status
       WHERE device_id = ANY($1::text[]) ORDER BY device_id`,
      [ids],
    );
    return rows;
  };

  beforeAll(async () => {
    server = await startTestServer();
    // Past the restart grace of the test server's first sweep.
    await sweep();
    server.clock.advance(200_000);
    await sweep();
  });
  afterAll(() => server.close());

  it('turns a silent FAILED, MAINTENANCE or PROVISIONING device offline in connectivity only, 1 ms past its timeout', async () => {
    const failed = await fresh('failed');
    const maintenance = await fresh('maintenance');
    const provisioning = await fresh('provisioning');
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: failed, status: 'FAILED' });
    await sendHeartbeat(server, { deviceId: maintenance });
    await sendHeartbeat(server, { deviceId: provisioning });

    server.clock.advance(180_000);
    const atTimeout = await sweep();
    server.clock.advance(1);
    const past = await sweep();
    const again = await sweep();

    expect(atTimeout.wentSilent).toEqual([]);
    expect(past.wentSilent).toEqual([failed, maintenance, provisioning]);
    expect(again.wentSilent).toEqual([]);
    expect(past.timedOut).toEqual([]);
    expect(await liveness([failed, maintenance, provisioning])).toEqual([
      { device_id: failed, state: 'failed', connectivity: 'offline' },
      { device_id: maintenance, state: 'maintenance', connectivity: 'offline' },
      {
        device_id: provisioning,
        state: 'provisioning',
        connectivity: 'offline',
      },
    ]);
  });

  it('brings a silent device online again with its next heartbeat', async () => {
    const failed = await fresh('failed');
    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: failed, status: 'FAILED' });
    server.clock.advance(180_001);
    await sweep();

    server.clock.advance(1000);
    await sendHeartbeat(server, { deviceId: failed, status: 'FAILED' });

    expect(await liveness([failed])).toEqual([
      { device_id: failed, state: 'failed', connectivity: 'online' },
    ]);
  });
});
