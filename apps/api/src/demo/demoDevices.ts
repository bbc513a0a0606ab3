import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import {
  CATCH_UP_FILE,
  readRegistryDirectory,
} from '../importExport/readRegistryDirectory.ts';

type Queryable = Pick<pg.Pool, 'query'>;

/** The committed demo fleet (apps/api/demo-fleet/). */
export const DEMO_FLEET_DIRECTORY = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'demo-fleet',
);

/**
 * runtime_state key marking a registry the demo seeded; only such a
 * registry is ever simulated, so that a real fleet never gets fake
 * heartbeats.
 */
export const DEMO_STATE_KEY = 'demo';

/** What the demo records about the registry it seeded. */
export interface DemoState {
  importedAt: string;
  /** Tokens issued to the simulated devices (deleted at the next start). */
  tokenIds?: string[];
  /**
   * The devices the demo created: the only ones it ever simulates (absent
   * in a registry seeded before it was recorded: the demo fleet's files).
   */
  deviceIds?: string[];
}

/** The demo's record, or null for a registry the demo did not seed. */
export async function readDemoState(db: Queryable): Promise<DemoState | null> {
  const { rows } = await db.query<{ value: DemoState }>(
    `SELECT value FROM runtime_state WHERE key = $1`,
    [DEMO_STATE_KEY],
  );
  return rows[0]?.value ?? null;
}

/**
 * The ids of the devices in a registry directory's `devices/*.yaml`.
 *
 * @throws Error naming the first unreadable device file
 */
export function registryDeviceIds(directory: string): string[] {
  const files = readRegistryDirectory(directory);
  // Only the device files matter here (and a missing directory).
  const failure = files.failures.find(
    (f) =>
      !f.file.startsWith('groups') &&
      !f.file.startsWith('deployments') &&
      f.file !== CATCH_UP_FILE,
  );
  if (failure) throw new Error(failure.message);
  return files.devices.map((entry) => entry.value.document.id).sort();
}

/**
 * The devices the demo may simulate: those it seeded, and only in a
 * registry it seeded (null otherwise). An operator's device registered
 * later is never among them.
 */
export async function demoDeviceIds(db: Queryable): Promise<string[] | null> {
  const state = await readDemoState(db);
  if (!state) return null;
  return state.deviceIds ?? registryDeviceIds(DEMO_FLEET_DIRECTORY);
}
