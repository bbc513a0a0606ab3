import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';

// The bus reads a sweep's transitions back from device_events only for
// handlers that want them: the catch-up timeline, always subscribed,
// follows only moves into DECOMMISSIONED, so a sweep of thousands of
// moves to OFFLINE must cost its process no read at all.
describe('a sweep announced to a process', () => {
  let server: TestServer;
  const markers: RegistryEvent[] = [];
  const ids = Array.from({ length: 12 }, (_, i) => `skip-${i}`);

  const services = () => server.server.services;
  const mark = (deviceId: string) =>
    services().events.publish(server.database.pool, [
      {
        kind: 'deviceChanged',
        deviceId,
        change: 'record',
        at: server.clock.now().toISOString(),
      },
    ]);
  /** Sweeps `ids` offline; returns the listener's reads of their rows. */
  const sweepAndCountReads = async (marker: string) => {
    server.clock.advance(1000);
    for (const id of ids) await sendHeartbeat(server, { deviceId: id });
    server.clock.advance(10 * 60_000);
    const query = vi.spyOn(pg.Client.prototype, 'query');
    const swept = await services().liveness.sweeper.runOnce();
    // Payloads are handled in arrival order: once the marker is here,
    // the sweep's announcement was handled (read or skipped).
    await mark(marker);
    await vi.waitFor(() =>
      expect(markers.map((m) => 'deviceId' in m && m.deviceId)).toContain(
        marker,
      ),
    );
    const reads = query.mock.calls.filter(([sql]) =>
      /FROM device_events\s+WHERE id > \$1/.test(String(sql)),
    ).length;
    query.mockRestore();
    return { moved: swept.timedOut.length, reads };
  };

  beforeAll(async () => {
    server = await startTestServer();
    await insertLivenessDevices(
      server.database.pool,
      ids.map((id) => ({ id })),
      server.clock.now(),
    );
    services().events.subscribe(['deviceChanged'], (event) =>
      markers.push(event),
    );
  });
  afterAll(() => server.close());

  it('is not read back when no handler wants moves to OFFLINE', async () => {
    expect(await sweepAndCountReads('marker-1')).toEqual({
      moved: 12,
      reads: 0,
    });
  });

  it('is read back, and delivered, once a handler wants every state change', async () => {
    const offline: string[] = [];
    services().events.subscribe(['stateChanged'], (event) => {
      if (event.kind === 'stateChanged' && event.to === 'offline') {
        offline.push(event.deviceId);
      }
    });
    const counted = await sweepAndCountReads('marker-2');

    expect({ ...counted, offline: offline.sort() }).toEqual({
      moved: 12,
      reads: 1,
      offline: [...ids].sort(),
    });
  });
});
