import type { Client } from 'graphql-ws';
import type { MockInstance } from 'vitest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';
import { collect, connect, type Collector } from './support/wsClient.ts';

const PROGRESS = /* GraphQL */ `
  subscription ($id: ID!) {
    deploymentProgress(id: $id) {
      id
      state
    }
  }
`;
// Another selection: its subscribers share the read, not the execution.
const PROGRESS_WITH_WAVE = /* GraphQL */ `
  subscription ($id: ID!) {
    deploymentProgress(id: $id) {
      id
      state
      currentWave
    }
  }
`;
const CATCH_UP = /* GraphQL */ `
  subscription ($deviceId: ID) {
    catchUpQueueChanged(deviceId: $deviceId) {
      id
      deviceId
      status
    }
  }
`;

type Message = Record<string, Record<string, unknown>>;

// 50 operators watching one deployment used to cost 50 identical reads of
// it per event; each event is now read once for all of them.
describe('deployment progress and catch-up subscriptions', () => {
  let server: TestServer;
  let clients: Client[];

  const publish = (event: RegistryEvent) =>
    server.server.services.events.publish(server.database.pool, [event]);

  /** How often `table` was read by id, per id, since `query` spied. */
  function readsOf(query: MockInstance, table: string) {
    const reads: Record<string, number> = {};
    for (const [text, values] of query.mock.calls as Array<
      [unknown, unknown]
    >) {
      const isRead =
        typeof text === 'string' &&
        text.includes(`FROM ${table} WHERE id = $1`) &&
        Array.isArray(values);
      if (!isRead) continue;

      const id = String(values[0]);
      reads[id] = (reads[id] ?? 0) + 1;
    }
    return reads;
  }

  /** The next `count` messages of each subscriber. */
  async function nextOfEach(subscribers: Array<Collector<Message>>, count = 1) {
    const received: Message[][] = [];
    for (const subscriber of subscribers) {
      const own: Message[] = [];
      for (let i = 0; i < count; i += 1) own.push(await subscriber.next());
      received.push(own);
    }
    return received;
  }

  async function insertDeployment(id: string) {
    await server.database.pool.query(
      `INSERT INTO deployments (id, artifact, target_version, manifest, state, created_by)
       VALUES ($1, 'inference-app:v2.3.1', '2.3.1', '{}', 'planned', 'test')`,
      [id],
    );
  }

  async function insertEntry(deviceId: string) {
    const { rows } = await server.database.pool.query<{ id: string }>(
      `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id,
         queued_at, reason, attempts, max_attempts, priority, status)
       VALUES (gen_random_uuid(), $1, '2.3.1', 'deploy-a', now(),
               'device offline during deployment', 0, 3, 'normal', 'pending')
       RETURNING id`,
      [deviceId],
    );
    return rows[0]!.id;
  }

  beforeAll(async () => {
    server = await startTestServer();
    await insertDeployment('deploy-a');
    await insertDeployment('deploy-b');
    await insertDevices(
      server.database.pool,
      ['cu-1', 'cu-2', 'cu-3'].map((id) => ({ id })),
    );
    clients = [0, 1].map(() => connect(server.wsUrl, server.adminKey));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await server.close();
  });

  it('reads a deployment once per change, for every subscriber of it', async () => {
    const [first, second] = clients as [Client, Client];
    const watchers = [
      ...[first, first, second].map((c) =>
        collect<Message>(c, PROGRESS, { id: 'deploy-a' }),
      ),
      ...[first, second].map((c) =>
        collect<Message>(c, PROGRESS_WITH_WAVE, { id: 'deploy-a' }),
      ),
    ];
    const other = collect<Message>(second, PROGRESS, { id: 'deploy-b' });
    const deployments = server.server.services.deployments;
    await vi.waitFor(() =>
      expect(deployments.progressSubscriberCount()).toBe(6),
    );
    const query = vi.spyOn(server.server.db.pool, 'query');

    const at = server.clock.now().toISOString();
    await publish({ kind: 'deploymentChanged', deploymentId: 'deploy-b', at });
    const received: Message[][] = watchers.map(() => []);
    for (const state of ['running', 'paused']) {
      await server.database.pool.query(
        `UPDATE deployments SET state = $1 WHERE id = 'deploy-a'`,
        [state],
      );
      await publish({
        kind: 'deploymentChanged',
        deploymentId: 'deploy-a',
        at,
      });
      // Read before the next change, so that each message shows its own.
      const messages = await nextOfEach(watchers);
      messages.forEach(([message], i) => received[i]!.push(message!));
    }
    const fromOther = await other.next();
    const reads = readsOf(query, 'deployments');
    query.mockRestore();
    for (const subscriber of [...watchers, other]) subscriber.dispose();

    const states = received.map((messages) =>
      messages.map((message) => message.deploymentProgress!.state),
    );
    expect({ states, fromOther, reads }).toEqual({
      states: Array.from({ length: 5 }, () => ['RUNNING', 'PAUSED']),
      fromOther: { deploymentProgress: { id: 'deploy-b', state: 'PLANNED' } },
      reads: { 'deploy-a': 2, 'deploy-b': 1 },
    });
  });

  it('reads a changed catch-up entry once, for the subscribers of its device and of all', async () => {
    const [first, second] = clients as [Client, Client];
    const ofDevice = [first, second, second].map((c) =>
      collect<Message>(c, CATCH_UP, { deviceId: 'cu-1' }),
    );
    const ofAll = [first, first, second].map((c) =>
      collect<Message>(c, CATCH_UP),
    );
    const ofOther = collect<Message>(first, CATCH_UP, { deviceId: 'cu-2' });
    const catchUp = server.server.services.catchUp;
    await vi.waitFor(() => expect(catchUp.watchSubscriberCount()).toBe(7));
    const entryOne = await insertEntry('cu-1');
    const entryThree = await insertEntry('cu-3');
    const query = vi.spyOn(server.server.db.pool, 'query');

    const at = server.clock.now().toISOString();
    for (const [deviceId, entryId] of [
      ['cu-1', entryOne],
      ['cu-3', entryThree],
    ] as const) {
      await publish({ kind: 'catchUpChanged', deviceId, entryId, at });
    }
    const fromDevice = await nextOfEach(ofDevice);
    const fromAll = await nextOfEach(ofAll, 2);
    const reads = readsOf(query, 'catch_up_queue');
    query.mockRestore();
    for (const subscriber of [...ofDevice, ...ofAll, ofOther]) {
      subscriber.dispose();
    }

    const entry = (id: string, deviceId: string) => ({
      catchUpQueueChanged: { id, deviceId, status: 'PENDING' },
    });
    expect({ fromDevice, fromAll, reads }).toEqual({
      fromDevice: Array.from({ length: 3 }, () => [entry(entryOne, 'cu-1')]),
      fromAll: Array.from({ length: 3 }, () => [
        entry(entryOne, 'cu-1'),
        entry(entryThree, 'cu-3'),
      ]),
      reads: { [entryOne]: 1, [entryThree]: 1 },
    });
  });
});
