/**
 * The child process that runs one server under test, so that the load
 * generator never shares an event loop with it: Rollcall itself or one of
 * the peers. Spec in BENCH_CHILD (JSON); it answers over IPC.
 */
import { systemClock } from '@rollcall/api/clock';
import { loadConfig } from '@rollcall/api/config/loadConfig';
import { openDatabase } from '@rollcall/api/db/database';
import { createLogger } from '@rollcall/api/logger';
import { startRollcallServer } from '@rollcall/api/server/rollcallServer';
import { createWorkers } from '@rollcall/api/server/workers';
import { performance } from 'node:perf_hooks';
import { startHttpPeer } from './peers/httpPeer.ts';
import { startWsBroadcastPeer } from './peers/wsBroadcastPeer.ts';
import type { ChildMessage, ChildSpec, ParentMessage } from './processes.ts';

type Runner = {
  url: string;
  sweep?: () => Promise<unknown>;
  stop(): Promise<void>;
};

interface Sweepable {
  name: string;
  runOnce?: () => Promise<unknown>;
}

async function startRollcall(spec: ChildSpec): Promise<Runner> {
  const logger = createLogger({
    level: process.env.BENCH_LOG_LEVEL ?? 'silent',
  });
  const config = loadConfig(
    {},
    {
      server: { host: '127.0.0.1', port: 0 },
      database: { url: spec.databaseUrl, pool_size: spec.poolSize },
      auth: {
        admin_token: spec.adminKey,
        rate_limit_per_minute: 1_000_000_000,
      },
      heartbeat: { rate_limit_per_minute: 1_000_000_000 },
      demo: { mode: 'off' },
      log: { level: 'silent' },
    },
  );
  const db = await openDatabase({
    url: spec.databaseUrl,
    dataDir: '',
    poolSize: spec.poolSize,
    logger,
    migrate: false,
  });
  const server = await startRollcallServer({
    config,
    logger,
    clock: systemClock,
    database: db,
    backgroundWorkers: false,
  });
  // The sweeper is driven by hand, exactly once per measured sweep: the
  // liveness service's own, else a worker that offers runOnce().
  const liveness = (
    server.services as unknown as {
      liveness?: { sweeper?: { runOnce?: () => Promise<unknown> } };
    }
  ).liveness;
  const workers = createWorkers(server.app, server.services) as Sweepable[];
  const sweeper: Sweepable | undefined = liveness?.sweeper?.runOnce
    ? { name: 'offline-sweeper', runOnce: () => liveness.sweeper!.runOnce!() }
    : workers.find((w) => w.runOnce && /sweep|offline/i.test(w.name));
  return {
    url: server.url,
    ...(sweeper?.runOnce ? { sweep: () => sweeper.runOnce!() } : {}),
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

async function start(spec: ChildSpec): Promise<Runner> {
  switch (spec.kind) {
    case 'rollcall':
      return startRollcall(spec);
    case 'http-peer':
      return startHttpPeer({
        databaseUrl: spec.databaseUrl,
        poolSize: spec.poolSize,
        timeoutSeconds: 180,
      });
    case 'ws-peer':
      return startWsBroadcastPeer();
  }
}

/** Counts instead of arrays: a 30,000-device sweep need not cross IPC. */
function summarizeSweep(result: unknown): unknown {
  if (typeof result !== 'object' || result === null) return result;
  return Object.fromEntries(
    Object.entries(result).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.length : value,
    ]),
  );
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.BENCH_CHILD ?? '{}') as ChildSpec;
  const runner = await start(spec);
  process.on('message', (message: ParentMessage) => {
    if (message.cmd === 'sweep') {
      if (!runner.sweep) {
        send({ cmd: 'sweep', ok: false, error: 'no sweeper with runOnce()' });
        return;
      }
      const t0 = performance.now();
      runner
        .sweep()
        .then((result) =>
          send({
            cmd: 'sweep',
            ok: true,
            ms: performance.now() - t0,
            result: summarizeSweep(result),
          }),
        )
        .catch((error: unknown) =>
          send({ cmd: 'sweep', ok: false, error: String(error) }),
        );
    } else if (message.cmd === 'stop') {
      runner
        .stop()
        .catch(() => undefined)
        .finally(() => process.exit(0));
    }
  });
  send({ cmd: 'ready', url: runner.url, canSweep: Boolean(runner.sweep) });
}

main().catch((error: unknown) => {
  send({
    cmd: 'failed',
    error:
      error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
});
