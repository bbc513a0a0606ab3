import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseCatchUpDocument,
  type CatchUpDocument,
} from './catchUpDocument.ts';
import {
  compare,
  parseDeviceDocument,
  type ParsedDevice,
} from './deviceDocument.ts';
import {
  parseDeploymentDocument,
  type DeploymentDocument,
} from './deploymentDocument.ts';
import { parseGroupDocument, type GroupDocument } from './groupDocument.ts';
import { RegistryFileError } from './registryFileError.ts';
import { readYamlFile } from './yamlFile.ts';

/** A parsed record and the file it came from. */
export interface FromFile<T> {
  file: string;
  value: T;
}

/** Everything in a registry directory that parsed, and what did not. */
export interface RegistryFiles {
  devices: Array<FromFile<ParsedDevice>>;
  groups: Array<FromFile<GroupDocument>>;
  deployments: Array<FromFile<DeploymentDocument>>;
  catchUp: FromFile<CatchUpDocument[]> | null;
  failures: RegistryFileError[];
}

/** The catch-up queue's file name in the registry layout. */
export const CATCH_UP_FILE = 'catch-up-queue.yaml';

/** Most files per folder (devices/ of a large fleet included). */
export const MAX_FILES_PER_FOLDER = 200_000;

function yamlFiles(
  directory: string,
  folder: string,
  failures: RegistryFileError[],
): string[] {
  const path = join(directory, folder);
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) {
    failures.push(
      new RegistryFileError(folder, '(file)', 'is not a directory'),
    );
    return [];
  }

  const names = readdirSync(path).sort(compare);
  if (names.length > MAX_FILES_PER_FOLDER) {
    failures.push(
      new RegistryFileError(
        folder,
        '(file)',
        `has ${names.length} files; at most ${MAX_FILES_PER_FOLDER}`,
      ),
    );
    return [];
  }
  return names.filter((name) => {
    if (name.startsWith('.')) return false;
    if (name.endsWith('.yaml')) return true;
    if (name.endsWith('.yml')) {
      failures.push(
        new RegistryFileError(
          `${folder}/${name}`,
          '(file)',
          'registry files end in .yaml',
        ),
      );
    }
    return false;
  });
}

function readEach<T>(
  directory: string,
  folder: string,
  failures: RegistryFileError[],
  parse: (file: string, base: string, root: unknown) => T,
): Array<FromFile<T>> {
  const records: Array<FromFile<T>> = [];
  for (const name of yamlFiles(directory, folder, failures)) {
    const file = `${folder}/${name}`;
    try {
      const root = readYamlFile(join(directory, folder, name), file);
      records.push({
        file,
        value: parse(file, name.slice(0, -'.yaml'.length), root),
      });
    } catch (error) {
      if (!(error instanceof RegistryFileError)) throw error;
      failures.push(error);
    }
  }
  return records;
}

/**
 * Reads the spec's file-based registry layout (`devices/*.yaml`,
 * `groups/*.yaml`, `deployments/*.yaml`, `catch-up-queue.yaml`; each part
 * optional). Each file is read and checked on its own: a bad file becomes
 * a failure and the others are still read, so that one run reports every
 * problem. Cross-file checks are the importer's.
 */
export function readRegistryDirectory(directory: string): RegistryFiles {
  const failures: RegistryFileError[] = [];
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    failures.push(
      new RegistryFileError(directory, '(file)', 'is not a directory'),
    );
    return {
      devices: [],
      groups: [],
      deployments: [],
      catchUp: null,
      failures,
    };
  }

  const devices = readEach(directory, 'devices', failures, parseDeviceDocument);
  const groups = readEach(directory, 'groups', failures, parseGroupDocument);
  const deployments = readEach(
    directory,
    'deployments',
    failures,
    parseDeploymentDocument,
  );

  let catchUp: FromFile<CatchUpDocument[]> | null = null;
  const queuePath = join(directory, CATCH_UP_FILE);
  if (existsSync(queuePath)) {
    try {
      const root = readYamlFile(queuePath, CATCH_UP_FILE);
      catchUp = {
        file: CATCH_UP_FILE,
        value: parseCatchUpDocument(CATCH_UP_FILE, root),
      };
    } catch (error) {
      if (!(error instanceof RegistryFileError)) throw error;
      failures.push(error);
    }
  }
  return { devices, groups, deployments, catchUp, failures };
}
