import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Another live process holds the data directory. */
export class DataDirectoryInUseError extends Error {
  constructor(
    readonly directory: string,
    readonly pid: number,
  ) {
    super(
      `Data directory ${directory} is in use by process ${pid}; ` +
        'stop that Rollcall server or choose another ROLLCALL_DATA_DIR',
    );
    this.name = 'DataDirectoryInUseError';
  }
}

export interface LockContents {
  pid: number;
  port: number;
  startedAt: string;
}

/** True when a process with this pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockContents | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockContents;
  } catch {
    return null;
  }
}

/**
 * Takes the data directory for this process. A lock left by a process that
 * no longer exists (a crash or kill -9) is stale and taken over; a lock held
 * by a live process fails fast naming the directory and that process.
 */
export function acquireDataDirectoryLock(
  directory: string,
  port: number,
): { release(): void; previous: LockContents | null } {
  const file = join(directory, 'rollcall.lock');
  let previous: LockContents | null = null;

  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      const contents: LockContents = {
        pid: process.pid,
        port,
        startedAt: new Date().toISOString(),
      };
      writeSync(fd, JSON.stringify(contents));
      closeSync(fd);
      return {
        previous,
        release: () => {
          if (readLock(file)?.pid === process.pid)
            rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    const holder = readLock(file);
    if (holder && holder.pid !== process.pid && isProcessAlive(holder.pid)) {
      throw new DataDirectoryInUseError(directory, holder.pid);
    }
    previous = holder;
    rmSync(file, { force: true });
  }
  throw new Error(`Could not take the lock on data directory ${directory}`);
}
