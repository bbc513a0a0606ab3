import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a server child runs. */
export interface ChildSpec {
  kind: 'rollcall' | 'http-peer' | 'ws-peer';
  databaseUrl: string;
  adminKey: string;
  poolSize: number;
}

/** Parent to child. */
export type ParentMessage = { cmd: 'sweep' } | { cmd: 'stop' };

/** Child to parent. */
export type ChildMessage =
  | { cmd: 'ready'; url: string; canSweep: boolean }
  | { cmd: 'failed'; error: string }
  | { cmd: 'sweep'; ok: true; ms: number; result: unknown }
  | { cmd: 'sweep'; ok: false; error: string };

/** A server under test in its own process. */
export interface ServerChild {
  url: string;
  canSweep: boolean;
  /** Runs the sweeper once in the child; its own timing of runOnce(). */
  sweep(): Promise<{ ms: number; result: unknown }>;
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./serverProcess.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/**
 * Forks a server child (through tsx) and waits until it listens. With
 * BENCH_CPU_PROF set to a directory, the child writes a CPU profile there
 * when it stops.
 */
export async function startChild(spec: ChildSpec): Promise<ServerChild> {
  const profile = process.env.BENCH_CPU_PROF;
  const child: ChildProcess = fork(ENTRY, [], {
    execArgv: [
      '--import',
      'tsx',
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
      ...(process.env.BENCH_CHILD_FLAGS ?? '').split(' ').filter(Boolean),
    ],
    // Servers run as in production: graphql-js skips its development-mode
    // checks only when NODE_ENV is production.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_CHILD: JSON.stringify(spec),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; canSweep: boolean }>(
    (resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${spec.kind} did not start in time`));
      }, START_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${spec.kind} exited with ${code}`));
      });
      const onMessage = (message: ChildMessage) => {
        if (message.cmd === 'ready') {
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(message);
        } else if (message.cmd === 'failed') {
          clearTimeout(timer);
          reject(new Error(`${spec.kind} failed to start: ${message.error}`));
        }
      };
      child.on('message', onMessage);
    },
  );
  child.removeAllListeners('exit');

  return {
    ...ready,
    sweep: () =>
      new Promise((resolve, reject) => {
        const onMessage = (message: ChildMessage) => {
          if (message.cmd !== 'sweep') return;
          child.off('message', onMessage);
          if (message.ok) resolve({ ms: message.ms, result: message.result });
          else reject(new Error(message.error));
        };
        child.on('message', onMessage);
        child.send({ cmd: 'sweep' } satisfies ParentMessage);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ cmd: 'stop' } satisfies ParentMessage);
      }),
  };
}
