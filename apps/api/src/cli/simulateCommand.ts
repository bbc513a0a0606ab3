import { readFileSync } from 'node:fs';
import type { RollcallConfig } from '../config/defaults.ts';
import { connectToDataDirectory } from '../db/connectToDataDirectory.ts';
import { demoDeviceIds, registryDeviceIds } from '../demo/demoDevices.ts';
import type { Logger } from '../logger.ts';
import { FleetSimulator } from '../simulator/fleetSimulator.ts';
import { graphqlTransport } from '../simulator/heartbeatTransport.ts';
import { Random } from '../simulator/random.ts';
import { NAMED_SCENARIOS } from '../simulator/scenarios.ts';
import { realScheduler } from '../scheduler.ts';
import {
  issueDeviceTokens,
  loadSimulatableDevices,
} from '../simulator/simulatorTokens.ts';
import type { Output } from './output.ts';
import { resolveFromCaller } from './importCommand.ts';

/** The options of `rollcall simulate` (for parseArgs). */
export const SIMULATE_OPTIONS = {
  devices: { type: 'string' },
  ids: { type: 'string' },
  'devices-from': { type: 'string' },
  url: { type: 'string' },
  scenario: { type: 'string' },
  'time-scale': { type: 'string' },
  batch: { type: 'boolean', default: false },
  tokens: { type: 'string' },
  seed: { type: 'string' },
  duration: { type: 'string' },
} as const;

type Values = Record<string, string | boolean | undefined>;

function positiveNumber(values: Values, key: string, fallback: number): number {
  const raw = values[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value) || value <= 0) {
    throw new Error(
      `--${key} must be a positive number, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** `NAME` or `NAME:COUNT`, comma-separated; COUNT defaults to 5 % of the fleet. */
function parseScenarios(
  text: string | undefined,
  fleetSize: number,
): Array<[string, number]> {
  if (!text) return [];
  return text.split(',').map((part) => {
    const [name = '', count] = part.trim().split(':');
    if (!Object.hasOwn(NAMED_SCENARIOS, name)) {
      throw new Error(
        `Unknown scenario "${name}"; known: ${Object.keys(NAMED_SCENARIOS).join(', ')}`,
      );
    }
    const n =
      count === undefined
        ? Math.max(1, Math.round(fleetSize * 0.05))
        : Number(count);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(`Scenario count "${count}" is not a whole number`);
    return [name, n];
  });
}

/**
 * The devices a run may drive, always an explicit set: `--ids`, else the
 * devices of `--devices-from DIR` (a registry directory), else those of
 * the `--tokens` file, else the devices the demo seeded (only in a
 * registry the demo seeded). Never "any device": an operator's real device
 * would get fake heartbeats and its own ones refused.
 */
async function simulatedSet(
  pool: Parameters<typeof demoDeviceIds>[0],
  values: Values,
  tokens: Map<string, string> | null,
): Promise<string[] | string> {
  if (typeof values.ids === 'string') {
    return values.ids
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
  }
  if (typeof values['devices-from'] === 'string') {
    return registryDeviceIds(resolveFromCaller(values['devices-from']));
  }
  if (tokens) return [...tokens.keys()];
  return (
    (await demoDeviceIds(pool)) ??
    'No devices to simulate: this registry was not seeded by the demo, and ' +
      'rollcall simulate drives only an explicit set (--ids ID[,ID], ' +
      '--devices-from DIR or --tokens FILE)'
  );
}

/**
 * `rollcall simulate`: drives up to `--devices N` of an explicit set of
 * the registry's devices (`simulatedSet`) over the GraphQL API at `--url` (default: this machine's configured port), each with a fresh
 * token of its own (issued in the database and deleted at exit) or with
 * the tokens of `--tokens FILE` (JSON: device id to token). Runs until
 * interrupted or for `--duration` seconds, printing totals every 30 s.
 */
export async function runSimulate(
  config: RollcallConfig,
  logger: Logger,
  output: Output,
  values: Values,
): Promise<number> {
  const count = positiveNumber(
    values,
    'devices',
    config.demo.simulated_devices,
  );
  const timeScale = positiveNumber(
    values,
    'time-scale',
    config.demo.time_scale || 1,
  );
  const seed = positiveNumber(values, 'seed', 1);
  const durationSeconds =
    values.duration === undefined
      ? null
      : positiveNumber(values, 'duration', 1);
  const url =
    (values.url as string | undefined) ??
    `http://127.0.0.1:${config.server.port}`;

  const given =
    typeof values.tokens === 'string'
      ? new Map(
          Object.entries(
            JSON.parse(readFileSync(values.tokens, 'utf8')) as Record<
              string,
              string
            >,
          ),
        )
      : null;
  const db = await connectToDataDirectory(config, logger, { mustExist: true });
  let revoke = async () => undefined as void;
  try {
    const set = await simulatedSet(db.pool, values, given);
    if (typeof set === 'string') {
      output.err(`${set}\n`);
      return 1;
    }
    const devices = await loadSimulatableDevices(
      db.pool,
      set,
      Math.floor(count),
    );
    if (devices.length === 0) {
      output.err(
        'No devices to simulate: none of the chosen devices is in the registry and heartbeating\n',
      );
      return 1;
    }
    const scenarios = parseScenarios(
      values.scenario as string | undefined,
      devices.length,
    );
    let tokens: Map<string, string>;
    if (given) {
      tokens = given;
    } else {
      const issued = await issueDeviceTokens(
        db.pool,
        devices.map((d) => d.deviceId),
      );
      tokens = issued.tokens;
      revoke = issued.revoke;
    }

    const simulator = new FleetSimulator({
      devices: devices
        .filter((d) => tokens.has(d.deviceId))
        .map((d) => ({
          ...d,
          token: tokens.get(d.deviceId)!,
          uptimeSeconds: d.uptimeSeconds ?? undefined,
        })),
      transport: graphqlTransport(`${url.replace(/\/$/, '')}/graphql`),
      scheduler: realScheduler(),
      timeScale,
      seed,
      retry: {
        enabled: config.heartbeat.retry_on_failure,
        count: config.heartbeat.retry_count,
        backoffSeconds: config.heartbeat.retry_backoff_seconds,
      },
      ...(values.batch === true && config.auth.admin_token
        ? { batch: { token: config.auth.admin_token } }
        : {}),
      onEvent: (event) => {
        if (event.kind === 'failed')
          logger.warn(
            { deviceId: event.deviceId, code: event.code },
            'heartbeat failed',
          );
      },
    });
    const random = new Random(seed);
    for (const [name, n] of scenarios) {
      for (let index = 0; index < n; index += 1) {
        simulator.apply(
          random.pick(simulator.deviceIds()),
          NAMED_SCENARIOS[name]!,
        );
      }
    }

    simulator.start();
    output.out(
      `Simulating ${simulator.deviceIds().length} devices against ${url} (Ctrl-C to stop)\n`,
    );
    await new Promise<void>((done) => {
      const report = setInterval(
        () => output.out(`${JSON.stringify(simulator.stats())}\n`),
        30_000,
      );
      const finish = () => {
        clearInterval(report);
        done();
      };
      process.once('SIGINT', finish);
      process.once('SIGTERM', finish);
      if (durationSeconds !== null) setTimeout(finish, durationSeconds * 1000);
    });
    await simulator.stop();
    output.out(`Stopped: ${JSON.stringify(simulator.stats())}\n`);
    return 0;
  } finally {
    await revoke().catch(() => undefined);
    await db.close();
  }
}
