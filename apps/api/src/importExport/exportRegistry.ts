import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { CATCH_UP_FILE } from './readRegistryDirectory.ts';
import {
  catchUpFileRoot,
  deploymentFileRoot,
  deviceFileRoot,
  groupFileRoot,
} from './registryDocuments.ts';
import { loadStoredRegistry } from './storedRegistry.ts';
import { toYamlText } from './yamlFile.ts';

export interface ExportSummary {
  devices: number;
  groups: number;
  deployments: number;
  catchUpEntries: number;
  /** Files whose content changed (created or rewritten). */
  written: number;
  /** Stale `.yaml` files removed (records no longer in the registry). */
  removed: number;
}

/** Writes one file only when its text changes, so mtimes and git stay calm. */
function writeIfChanged(path: string, text: string): boolean {
  try {
    if (readFileSync(path, 'utf8') === text) return false;
  } catch {
    // Absent: written below.
  }
  writeFileSync(path, text);
  return true;
}

/**
 * Writes the registry to `directory` in the spec's layout, the same format
 * import reads: one file per device, group and deployment, and the
 * catch-up queue. Output is stable (sorted records, fixed key order, no
 * line folding), files whose text is unchanged are not rewritten, and
 * `.yaml` files of records no longer in the registry are removed, so that a
 * registry kept in git diffs only by what changed. Reads one consistent
 * snapshot (a repeatable-read transaction).
 */
export async function exportRegistry(
  pool: pg.Pool,
  directory: string,
): Promise<ExportSummary> {
  const client = await pool.connect();
  let stored;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    stored = await loadStoredRegistry(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }

  const summary: ExportSummary = {
    devices: stored.devices.size,
    groups: stored.groups.size,
    deployments: stored.deployments.size,
    catchUpEntries: stored.catchUp.entries.length,
    written: 0,
    removed: 0,
  };

  const folders: Array<[string, Map<string, object>]> = [
    [
      'devices',
      new Map([...stored.devices].map(([id, d]) => [id, deviceFileRoot(d)])),
    ],
    [
      'groups',
      new Map([...stored.groups].map(([name, g]) => [name, groupFileRoot(g)])),
    ],
    [
      'deployments',
      new Map(
        [...stored.deployments].map(([id, d]) => [id, deploymentFileRoot(d)]),
      ),
    ],
  ];
  for (const [folder, roots] of folders) {
    const path = join(directory, folder);
    mkdirSync(path, { recursive: true });
    for (const [name, root] of roots) {
      if (writeIfChanged(join(path, `${name}.yaml`), toYamlText(root)))
        summary.written += 1;
    }
    for (const file of readdirSync(path)) {
      if (
        file.endsWith('.yaml') &&
        !roots.has(file.slice(0, -'.yaml'.length))
      ) {
        rmSync(join(path, file));
        summary.removed += 1;
      }
    }
  }

  const queue = toYamlText(catchUpFileRoot(stored.catchUp.entries));
  if (writeIfChanged(join(directory, CATCH_UP_FILE), queue))
    summary.written += 1;
  return summary;
}
