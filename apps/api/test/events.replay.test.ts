import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LISTENER_NAME } from '../src/events/eventBus.ts';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';

describe('event bus reconnect', () => {
  let server: TestServer;
  const seen: RegistryEvent[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    server.server.services.events.subscribe(['deviceChanged'], (event) =>
      seen.push(event),
    );
  });
  afterAll(() => server.close());

  const publish = (deviceId: string) =>
    server.server.services.events.publish(server.database.pool, [
      {
        kind: 'deviceChanged',
        deviceId,
        change: 'tags',
        at: server.clock.now().toISOString(),
      },
    ]);
  const listenerPids = async () =>
    (
      await server.database.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE application_name = $1 AND datname = current_database()`,
        [LISTENER_NAME],
      )
    ).rows.map((r) => r.pid);

  it('replays the recorded events committed while its listener was gone, each once', async () => {
    await publish('replay-before');
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const [pid] = await listenerPids();
    await server.database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await vi.waitFor(async () =>
      expect(await listenerPids()).not.toContain(pid),
    );

    // Committed with no listener: announced to nobody.
    const [missed] = await publish('replay-missed');
    await vi.waitFor(async () => expect(await listenerPids()).toHaveLength(1), {
      timeout: 5000,
    });
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 5000 });
    const [after] = await publish('replay-after');
    await vi.waitFor(() => expect(seen).toHaveLength(3));

    expect(
      seen.map((e) => [
        (e as { deviceId: string }).deviceId,
        (e as { version?: number }).version,
      ]),
    ).toEqual([
      ['replay-before', expect.any(Number)],
      ['replay-missed', (missed as { version?: number }).version],
      ['replay-after', (after as { version?: number }).version],
    ]);
  });
});
