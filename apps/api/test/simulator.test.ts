import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import {
  FleetSimulator,
  type SimulatorEvent,
} from '../src/simulator/fleetSimulator.ts';
import {
  graphqlTransport,
  TransportError,
  type HeartbeatTransport,
} from '../src/simulator/heartbeatTransport.ts';
import { ManualScheduler } from '../src/scheduler.ts';
import { issueDeviceTokens } from '../src/simulator/simulatorTokens.ts';
import {
  ManualClock,
  startTestServer,
  type TestServer,
} from '../src/testing/index.ts';

const START = '2025-01-16T16:00:00.000Z';
const IDS = ['edge-rpi-prod-001', 'edge-rpi-prod-002', 'edge-rpi-prod-003'];

let server: TestServer;
let registry: string;
let tokens: Map<string, string>;

function deviceFile(id: string, index: number): string {
  return `device:
  id: ${id}
  hostname: ${id}.local
  serial_number: "SN-${index}"
  hardware:
    type: raspberry-pi-5
    ram_mb: 8192
  deployment:
    current_version: 2.3.0
  status:
    state: healthy
    last_heartbeat: ${START}
  tags:
    environment: production
`;
}

interface Run {
  simulator: FleetSimulator;
  scheduler: ManualScheduler;
  events: SimulatorEvent[];
}

function simulate(transport?: HeartbeatTransport, jitter = 0): Run {
  const scheduler = new ManualScheduler(server.clock);
  const events: SimulatorEvent[] = [];
  const simulator = new FleetSimulator({
    devices: IDS.map((deviceId) => ({
      deviceId,
      token: tokens.get(deviceId)!,
      hardwareType: 'raspberry-pi-5',
      intervalSeconds: 60,
      appVersion: '2.3.0',
    })),
    transport: transport ?? graphqlTransport(server.graphqlUrl),
    scheduler,
    jitter,
    onEvent: (event) => events.push(event),
  });
  return { simulator, scheduler, events };
}

async function states(): Promise<Record<string, string>> {
  const { rows } = await server.database.pool.query<{
    device_id: string;
    state: string;
  }>(`SELECT device_id, state FROM device_status ORDER BY device_id`);
  return Object.fromEntries(rows.map((row) => [row.device_id, row.state]));
}

function acks(events: SimulatorEvent[], deviceId: string) {
  return events.flatMap((event) =>
    event.kind === 'acknowledged' && event.deviceId === deviceId
      ? [{ accepted: event.ack.accepted, duplicate: event.ack.duplicate }]
      : [],
  );
}

beforeAll(async () => {
  server = await startTestServer({ clock: new ManualClock(START) });
  registry = mkdtempSync(join(tmpdir(), 'rollcall-sim-'));
  mkdirSync(join(registry, 'devices'));
  IDS.forEach((id, index) =>
    writeFileSync(
      join(registry, 'devices', `${id}.yaml`),
      deviceFile(id, index),
    ),
  );
  await importRegistry(server.database.pool, {
    directory: registry,
    now: server.clock.now(),
    timing: { intervalSeconds: 60, timeoutSeconds: 180 },
  });
  tokens = (await issueDeviceTokens(server.database.pool, IDS)).tokens;
});

beforeEach(async () => {
  await server.database.pool.query(
    `UPDATE device_status SET state = 'healthy', offline_since = NULL,
       offline_tier = NULL, desired_version = NULL`,
  );
});

afterAll(async () => {
  await server.close();
  rmSync(registry, { recursive: true, force: true });
});

describe('FleetSimulator', () => {
  it('sends each device one heartbeat per interval over the real API', async () => {
    const { simulator, scheduler } = simulate();
    const { rows: before } = await server.database.pool.query(
      `SELECT count(*)::int AS n FROM heartbeats`,
    );
    simulator.start();
    await scheduler.advance(10 * 60_000);
    await simulator.stop();

    const { rows } = await server.database.pool.query(
      `SELECT count(*)::int AS n FROM heartbeats`,
    );
    expect([simulator.stats(), rows[0].n - before[0].n]).toEqual([
      {
        sent: 30,
        acknowledged: 30,
        duplicates: 0,
        retries: 0,
        failures: 0,
        installs: 0,
      },
      30,
    ]);
  });

  it('degrades, fails, goes offline and returns as the scenarios say', async () => {
    const { simulator, scheduler } = simulate(undefined, 0.1);
    simulator.apply(IDS[0]!, {
      kind: 'degrade',
      metric: 'temperature',
      forMs: 5 * 60_000,
    });
    simulator.apply(IDS[1]!, { kind: 'fail', forMs: 60 * 60_000 });
    simulator.apply(IDS[2]!, { kind: 'offline', forMs: 20 * 60_000 });
    simulator.start();
    await scheduler.advance(4 * 60_000);
    await server.server.services.liveness.sweeper.runOnce();
    const early = await states();

    await scheduler.advance(14 * 60_000);
    await server.server.services.liveness.sweeper.runOnce();
    const silent = await states();

    await scheduler.advance(5 * 60_000);
    await simulator.stop();
    expect([early, silent, await states()]).toEqual([
      { [IDS[0]!]: 'degraded', [IDS[1]!]: 'failed', [IDS[2]!]: 'offline' },
      { [IDS[0]!]: 'healthy', [IDS[1]!]: 'failed', [IDS[2]!]: 'offline' },
      { [IDS[0]!]: 'healthy', [IDS[1]!]: 'failed', [IDS[2]!]: 'healthy' },
    ]);
  });

  it('delivers duplicated and reordered heartbeats, which the server ignores', async () => {
    const { simulator, events } = simulate();
    simulator.apply(IDS[0]!, { kind: 'duplicate', count: 1 });
    await simulator.heartbeatNow(IDS[0]!);
    simulator.apply(IDS[1]!, { kind: 'reorder' });
    await simulator.heartbeatNow(IDS[1]!);
    await server.clock.advance(1000);
    await simulator.heartbeatNow(IDS[1]!);

    expect([acks(events, IDS[0]!), acks(events, IDS[1]!)]).toEqual([
      [
        { accepted: true, duplicate: false },
        { accepted: false, duplicate: true },
      ],
      [
        { accepted: true, duplicate: false },
        { accepted: false, duplicate: false },
      ],
    ]);
  });

  it('retries a failed send with the configured backoff and the same sequence', async () => {
    const real = graphqlTransport(server.graphqlUrl);
    const sent: Array<{ at: string; sequence: number }> = [];
    let failuresLeft = 2;
    const flaky: HeartbeatTransport = {
      send: async (token, input) => {
        sent.push({
          at: server.clock.now().toISOString(),
          sequence: input.sequence,
        });
        if (failuresLeft-- > 0)
          throw new TransportError('NETWORK', 'connection reset', true);
        return real.send(token, input);
      },
      sendBatch: real.sendBatch,
    };
    const { simulator, scheduler, events } = simulate(flaky);
    await simulator.heartbeatNow(IDS[0]!);
    await scheduler.advance(20_000);

    const sequence = sent[0]!.sequence;
    expect([
      sent,
      events.map((e) => e.kind),
      simulator.stats().retries,
    ]).toEqual([
      [
        { at: sent[0]!.at, sequence },
        {
          at: new Date(Date.parse(sent[0]!.at) + 5_000).toISOString(),
          sequence,
        },
        {
          at: new Date(Date.parse(sent[0]!.at) + 15_000).toISOString(),
          sequence,
        },
      ],
      ['retry', 'retry', 'acknowledged'],
      2,
    ]);
  });

  it('installs the version a heartbeat ack instructs and reports it afterwards', async () => {
    await server.database.pool.query(
      `UPDATE device_status SET desired_version = '2.4.0' WHERE device_id = $1`,
      [IDS[0]],
    );
    const { simulator, scheduler, events } = simulate();
    await simulator.heartbeatNow(IDS[0]!);
    await scheduler.advance(30_000);
    await simulator.heartbeatNow(IDS[0]!);

    const { rows } = await server.database.pool.query(
      `SELECT app_version FROM heartbeats WHERE device_id = $1 ORDER BY id DESC LIMIT 2`,
      [IDS[0]],
    );
    expect([
      events.filter((e) => e.kind === 'installed'),
      simulator.device(IDS[0]!).appVersion,
      rows.map((row) => row.app_version),
    ]).toEqual([
      [{ kind: 'installed', deviceId: IDS[0], version: '2.4.0' }],
      '2.4.0',
      ['2.4.0', '2.3.0'],
    ]);
  });
});
