import { isDeepStrictEqual } from 'node:util';
import type { HeartbeatTiming } from '@rollcall/fleet';
import type pg from 'pg';
import { withTransaction } from '../db/transaction.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { RegistryEvent } from '../events/registryEvent.ts';
import { classifyCatchUp } from './catchUpMatching.ts';
import type { DeploymentDocument } from './deploymentDocument.ts';
import { formatTimestamp } from './fieldReader.ts';
import { fillDevice, withoutGroups } from './fillDevice.ts';
import { fillDeployment } from './fillProgress.ts';
import type { GroupDocument } from './groupDocument.ts';
import {
  importActor,
  importAuditEntries,
  recordImportAudit,
} from './importAudit.ts';
import { validateRegistry } from './importValidation.ts';
import { readRegistryDirectory } from './readRegistryDirectory.ts';
import type { RegistryFileError } from './registryFileError.ts';
import {
  loadEnvironments,
  recordEnvironment,
  writeDevices,
  type DeviceWrite,
} from './deviceWriter.ts';
import {
  writeCatchUp,
  writeDeployments,
  writeGroups,
} from './registryWriter.ts';
import { loadStoredRegistry } from './storedRegistry.ts';

export interface ImportOptions {
  /** The registry directory (the spec's `fleet-registry/` layout). */
  directory: string;
  /** Import the valid files and report the others (default false). */
  continueOnError?: boolean;
  /** Check and compare only; write nothing (default false). */
  dryRun?: boolean;
  /** The import's time: defaults for absent times, transition times. */
  now: Date;
  timing: HeartbeatTiming;
  /** Announces the changes to live views when given. */
  events?: EventBus;
}

/** Created, updated and unchanged counts of one kind of record. */
export interface KindSummary {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  devices: KindSummary;
  groups: KindSummary;
  deployments: KindSummary;
  catchUpEntries: KindSummary;
  /** Files left out (only with `continueOnError`; otherwise it throws). */
  failures: RegistryFileError[];
  /** Ids of what was created or updated, by kind (for reports and tests). */
  changed: { devices: string[]; groups: string[]; deployments: string[] };
  dryRun: boolean;
}

/** An import that wrote nothing because files are invalid. */
export class ImportFailedError extends Error {
  constructor(readonly failures: RegistryFileError[]) {
    super(
      `Import failed; nothing was imported. ${failures.length} invalid file(s):\n` +
        failures.map((failure) => `  ${failure.message}`).join('\n'),
    );
    this.name = 'ImportFailedError';
  }
}

interface Classified<T> {
  summary: KindSummary;
  writes: Array<{ document: T; previous: T | undefined }>;
}

function classify<T>(
  documents: T[],
  keyOf: (document: T) => string,
  stored: Map<string, T>,
  fill: (document: T, previous: T | undefined) => T,
  isSame: (a: T, b: T) => boolean = isDeepStrictEqual,
): Classified<T> {
  const summary: KindSummary = { created: 0, updated: 0, unchanged: 0 };
  const writes: Classified<T>['writes'] = [];
  for (const raw of documents) {
    const previous = stored.get(keyOf(raw));
    const document = fill(raw, previous);
    if (previous === undefined) summary.created += 1;
    else if (isSame(document, previous)) {
      summary.unchanged += 1;
      continue;
    } else summary.updated += 1;
    writes.push({ document, previous });
  }
  return { summary, writes };
}

/**
 * Imports a registry directory in one transaction: reads and checks every
 * file, compares each record with the stored one and writes only what is
 * new or different, with set-based statements. Liveness never moves
 * backwards: a device's status is written only when it is new or the
 * file's last heartbeat is newer than the stored one, so that importing an
 * older export reports it unchanged. Deployment progress does not move
 * back either: the log only gains lines, a catch-up entry keeps newer
 * stored progress, a deployment, wave or device row its newer state, a
 * device its newer install (`fillProgress.ts`, `deploymentProgress.ts`,
 * `fillDevice.ts`). Importing the same files
 * twice changes nothing the second time (all unchanged). Records absent
 * from the directory are left as they are: import adds and updates, it
 * never deletes.
 *
 * @throws ImportFailedError when a file is invalid and `continueOnError`
 *   is off; nothing is written then
 */
export async function importRegistry(
  pool: pg.Pool,
  options: ImportOptions,
): Promise<ImportSummary> {
  const files = readRegistryDirectory(options.directory);
  const now = formatTimestamp(options.now);

  return withTransaction(pool, async (client) => {
    // One import at a time: two would each compare against a registry the
    // other is changing.
    await client.query(
      `SELECT pg_advisory_xact_lock(hashtext('rollcall.import'))`,
    );
    const stored = await loadStoredRegistry(client);
    const environments = await loadEnvironments(client);
    const fill = fillDevice(now, options.timing);
    const valid = validateRegistry(files, stored, fill);
    if (valid.failures.length > 0 && !options.continueOnError) {
      throw new ImportFailedError(valid.failures);
    }

    const devices = classify(
      valid.devices.map((entry) => entry.value.document),
      (d) => d.id,
      stored.devices,
      fill,
      // The write also sets devices.environment, which the documents lack.
      (a, b) =>
        isDeepStrictEqual(withoutGroups(a), withoutGroups(b)) &&
        recordEnvironment(a) === environments.get(a.id),
    );
    const groups = classify<GroupDocument>(
      valid.groups.map((entry) => entry.value),
      (g) => g.name,
      stored.groups,
      (g) => g,
    );
    const deployments = classify<DeploymentDocument>(
      valid.deployments.map((entry) => entry.value),
      (d) => d.id,
      stored.deployments,
      fillDeployment(now),
    );
    const catchUp = classifyCatchUp(valid.catchUp, stored.catchUp, now);
    if (catchUp.failure) {
      if (!options.continueOnError) {
        throw new ImportFailedError([...valid.failures, catchUp.failure]);
      }
      valid.failures.push(catchUp.failure);
    }

    if (!options.dryRun) {
      const deviceWrites: DeviceWrite[] = devices.writes.map(
        ({ document, previous }) => ({
          document,
          previousState: previous?.status.state ?? null,
          isStatusChanged: !isDeepStrictEqual(
            document.status,
            previous?.status,
          ),
        }),
      );
      const actor = importActor(options.directory);
      await writeDevices(client, deviceWrites, {
        now: options.now,
        timing: options.timing,
        actor,
      });
      await writeGroups(
        client,
        groups.writes.map((w) => w.document),
        options.now,
      );
      await writeDeployments(
        client,
        deployments.writes.map((w) => w.document),
      );
      await writeCatchUp(client, catchUp.writes);
      // In the import's transaction, in a few set-based INSERTs: the trail
      // holds exactly what was written, however many devices.
      await recordImportAudit(
        client,
        importAuditEntries(
          {
            devices: devices.writes,
            groups: groups.writes,
            deployments: deployments.writes,
            catchUp: catchUp.writes,
          },
          {
            environments,
            catchUpIds: new Map(catchUp.writes.map((w) => [w.document, w.id])),
          },
          { actor, at: options.now },
        ),
      );
      await options.events?.publish(
        client,
        events(
          deviceWrites,
          groups.writes.map((w) => w.document.name),
          deployments.writes,
          { actor, at: now },
        ),
      );
    }

    return {
      devices: devices.summary,
      groups: groups.summary,
      deployments: deployments.summary,
      catchUpEntries: catchUp.summary,
      failures: valid.failures,
      changed: {
        devices: devices.writes.map((w) => w.document.id),
        groups: groups.writes.map((w) => w.document.name),
        deployments: deployments.writes.map((w) => w.document.id),
      },
      dryRun: options.dryRun === true,
    };
  });
}

function events(
  devices: DeviceWrite[],
  groups: string[],
  deployments: Array<{ document: DeploymentDocument }>,
  { actor, at }: { actor: string; at: string },
): RegistryEvent[] {
  return [
    ...devices.map((write): RegistryEvent =>
      write.previousState !== write.document.status.state
        ? {
            kind: 'stateChanged',
            deviceId: write.document.id,
            from: write.previousState,
            to: write.document.status.state,
            cause: write.previousState === null ? 'registration' : 'sync',
            actor,
            reason: 'rollcall import',
            at,
          }
        : {
            kind: 'deviceChanged',
            deviceId: write.document.id,
            change: 'record',
            at,
          },
    ),
    ...groups.map((group): RegistryEvent => ({
      kind: 'groupChanged',
      group,
      at,
    })),
    ...deployments.map(({ document }): RegistryEvent => ({
      kind: 'deploymentChanged',
      deploymentId: document.id,
      at,
    })),
  ];
}
