import { withTransaction } from '../db/transaction.ts';
import { importRegistry } from '../importExport/importRegistry.ts';
import type { Logger } from '../logger.ts';
import type { RollcallServer } from '../server/rollcallServer.ts';
import { FleetSimulator } from '../simulator/fleetSimulator.ts';
import { graphqlTransport } from '../simulator/heartbeatTransport.ts';
import { realScheduler } from '../scheduler.ts';
import {
  issueDeviceTokens,
  loadSimulatableDevices,
} from '../simulator/simulatorTokens.ts';
import {
  DEMO_FLEET_DIRECTORY,
  DEMO_STATE_KEY,
  demoDeviceIds,
  readDemoState,
  type DemoState,
} from './demoDevices.ts';
import { demoScript } from './demoScript.ts';
import { rebaseDemoTimes } from './rebaseDemoTimes.ts';

export { DEMO_FLEET_DIRECTORY } from './demoDevices.ts';

export interface RunningDemo {
  stop(): Promise<void>;
}

async function writeState(
  server: RollcallServer,
  state: DemoState,
): Promise<void> {
  await server.db.pool.query(
    `INSERT INTO runtime_state (key, value, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
    [DEMO_STATE_KEY, JSON.stringify(state), server.app.clock.now()],
  );
}

/**
 * Imports the demo fleet into an empty registry, as of its files' own
 * reference time, then moves every time to now, all in one transaction.
 */
async function seed(server: RollcallServer, logger: Logger): Promise<string[]> {
  const { pool } = server.db;
  const { config } = server.app;
  const timing = {
    intervalSeconds: config.heartbeat.interval_seconds,
    timeoutSeconds: config.heartbeat.timeout_seconds,
  };
  const reference = new Date('2025-01-16T16:00:00Z');
  const summary = await importRegistry(pool, {
    directory: DEMO_FLEET_DIRECTORY,
    now: reference,
    timing,
  });
  await withTransaction(pool, (client) =>
    rebaseDemoTimes(
      client,
      server.app.clock.now().getTime() - reference.getTime(),
    ),
  );
  logger.info(
    { devices: summary.devices.created, groups: summary.groups.created },
    'demo fleet imported',
  );
  return summary.changed.devices;
}

/**
 * The main job's demo: on an empty registry, imports the committed demo
 * fleet (its times moved to now); then, on a registry the demo seeded,
 * gives each device a fresh token and runs the simulator in-process
 * against the server's own URL, with a script that makes devices degrade,
 * fail, drop offline through the tiers and come back to catch up. Only
 * the devices the demo seeded are simulated; a registry the demo did not
 * seed is left alone.
 */
export async function startDemo(
  server: RollcallServer,
  logger: Logger,
): Promise<RunningDemo> {
  const { pool } = server.db;
  const { config } = server.app;
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM devices`,
  );
  if (rows[0]!.n === 0) {
    const deviceIds = await seed(server, logger);
    await writeState(server, {
      importedAt: server.app.clock.now().toISOString(),
      deviceIds,
    });
  }

  const state = await readDemoState(pool);
  if (!state) {
    logger.warn(
      'the registry was not seeded by the demo; not simulating it (ROLLCALL_DEMO=off silences this)',
    );
    return { stop: async () => undefined };
  }
  if (state.tokenIds?.length) {
    await pool.query(`DELETE FROM device_tokens WHERE id = ANY($1::uuid[])`, [
      state.tokenIds,
    ]);
  }

  // Only the devices the demo seeded: a device an operator registered
  // since is real and must get no fake heartbeats.
  const devices = await loadSimulatableDevices(
    pool,
    (await demoDeviceIds(pool)) ?? [],
    config.demo.simulated_devices,
  );
  const issued = await issueDeviceTokens(
    pool,
    devices.map((d) => d.deviceId),
  );
  await writeState(server, { ...state, tokenIds: issued.ids });

  const scheduler = realScheduler();
  const simulator = new FleetSimulator({
    devices: devices.map((d) => ({
      ...d,
      token: issued.tokens.get(d.deviceId)!,
      uptimeSeconds: d.uptimeSeconds ?? undefined,
    })),
    transport: graphqlTransport(`${server.url}/graphql`),
    scheduler,
    timeScale: config.demo.time_scale || 1,
    retry: {
      enabled: config.heartbeat.retry_on_failure,
      count: config.heartbeat.retry_count,
      backoffSeconds: config.heartbeat.retry_backoff_seconds,
    },
    onEvent: (event) => {
      if (event.kind === 'installed')
        logger.info(
          { deviceId: event.deviceId, version: event.version },
          'demo device installed a version',
        );
      if (event.kind === 'failed')
        logger.debug(
          { deviceId: event.deviceId, code: event.code },
          'demo heartbeat failed',
        );
    },
  });
  const script = demoScript(simulator, scheduler, {
    offline: await deviceIdsIn(server, 'offline'),
    degraded: await deviceIdsIn(server, 'degraded'),
  });
  simulator.start();
  logger.info({ devices: devices.length }, 'demo fleet simulated');

  return {
    stop: async () => {
      script.stop();
      await simulator.stop();
      await issued.revoke();
      await writeState(server, { ...state, tokenIds: [] }).catch(
        () => undefined,
      );
    },
  };
}

async function deviceIdsIn(
  server: RollcallServer,
  state: string,
): Promise<string[]> {
  const { rows } = await server.db.pool.query<{ device_id: string }>(
    `SELECT device_id FROM device_status WHERE state = $1 ORDER BY device_id`,
    [state],
  );
  return rows.map((row) => row.device_id);
}
