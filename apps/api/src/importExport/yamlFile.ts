import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseDocument, stringify } from 'yaml';
import { RegistryFileError } from './registryFileError.ts';

/**
 * Largest registry file read, in bytes (1 MiB). A device record is about
 * 2 KiB; the cap is checked on the file's size before any byte is parsed,
 * so a huge file fails at once instead of exhausting memory.
 */
export const MAX_FILE_BYTES = 1_048_576;

/**
 * Most alias dereferences in one file. Registry files need none; a small
 * budget lets a hand-written anchor through while an alias bomb (aliases
 * of aliases, exponential on expansion) fails immediately.
 */
export const MAX_ALIAS_COUNT = 50;

function readCapped(path: string, name: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new RegistryFileError(
      name,
      '(file)',
      `cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }

  try {
    const { size } = fstatSync(fd);
    if (size > MAX_FILE_BYTES) {
      throw new RegistryFileError(
        name,
        '(file)',
        `is ${size} bytes; registry files are at most ${MAX_FILE_BYTES} bytes`,
      );
    }

    // Read at most one byte past the cap, in case the file grew after stat.
    const buffer = Buffer.alloc(Math.min(size, MAX_FILE_BYTES) + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    if (length > MAX_FILE_BYTES) {
      throw new RegistryFileError(
        name,
        '(file)',
        `is over ${MAX_FILE_BYTES} bytes; registry files are at most ${MAX_FILE_BYTES} bytes`,
      );
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads and parses one YAML registry file with the hostile-input limits:
 * the size cap, one document only, unique keys, YAML 1.2 core schema (so
 * `yes` and `2025-01-16` stay strings) and the alias budget.
 *
 * @param path where to read the file
 * @param name the file as errors name it (relative to the registry)
 * @throws RegistryFileError for an unreadable, oversized or invalid file
 */
export function readYamlFile(path: string, name: string): unknown {
  const text = readCapped(path, name);
  return parseYamlText(text, name);
}

/** Parses YAML text with the same limits as `readYamlFile`. */
export function parseYamlText(text: string, name: string): unknown {
  const document = parseDocument(text, {
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
  });
  const first = document.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const where = line ? ` (line ${line})` : '';
    throw new RegistryFileError(name, '(yaml)', `${first.message}${where}`);
  }

  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new RegistryFileError(
      name,
      '(yaml)',
      `${(error as Error).message} (at most ${MAX_ALIAS_COUNT} alias uses per file)`,
    );
  }
}

/**
 * The YAML text of a registry document: keys in the order the object
 * gives them, no line folding and no anchors, so that exports are stable
 * and diffs stay small.
 */
export function toYamlText(document: unknown): string {
  return stringify(document, {
    lineWidth: 0,
    aliasDuplicateObjects: false,
    nullStr: 'null',
  });
}
