import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CONFIG, type RollcallConfig } from './defaults.ts';
import { readNumber } from './numberRules.ts';

/** A config file or variable that cannot be used, with where and why. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Invalid configuration in ${source}: ${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

// Well-known variables that automation relies on, mapped to config keys.
const NAMED_VARIABLES: Record<string, string> = {
  PORT: 'server.port',
  DATABASE_URL: 'database.url',
  ROLLCALL_DATA_DIR: 'database.data_dir',
  ROLLCALL_ADMIN_TOKEN: 'auth.admin_token',
  ROLLCALL_DEMO: 'demo.mode',
  LOG_LEVEL: 'log.level',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function coerce(
  source: string,
  key: string,
  fallback: unknown,
  raw: unknown,
): unknown {
  if (typeof fallback === 'number') {
    const number = readNumber(key, raw);
    if ('reason' in number) throw new ConfigError(source, key, number.reason);
    return number.value;
  }
  if (typeof fallback === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError(
      source,
      key,
      `expected true or false, got ${JSON.stringify(raw)}`,
    );
  }
  if (Array.isArray(fallback)) {
    if (typeof raw === 'string') {
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    }
    if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) {
      return raw;
    }
    throw new ConfigError(source, key, 'expected a list of strings');
  }
  if (typeof raw !== 'string') {
    throw new ConfigError(
      source,
      key,
      `expected a string, got ${JSON.stringify(raw)}`,
    );
  }
  if (key === 'demo.mode' && raw !== 'on' && raw !== 'off') {
    throw new ConfigError(source, key, `expected "on" or "off", got "${raw}"`);
  }
  return raw;
}

function setKey(
  config: Record<string, Record<string, unknown>>,
  source: string,
  path: string,
  raw: unknown,
): void {
  const [section, key] = path.split('.') as [string, string];
  const defaults = (DEFAULT_CONFIG as Record<string, Record<string, unknown>>)[
    section
  ];
  if (!defaults || !(key in defaults)) {
    throw new ConfigError(source, path, 'unknown key');
  }
  config[section]![key] = coerce(source, path, defaults[key], raw);
}

function applyFile(
  config: Record<string, Record<string, unknown>>,
  file: string,
): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      file,
      '(file)',
      `cannot be read: ${(error as Error).message}`,
    );
  }

  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(file, '(yaml)', (error as Error).message);
  }
  if (document === null || document === undefined) return;
  if (!isRecord(document)) {
    throw new ConfigError(file, '(root)', 'expected a mapping of sections');
  }

  for (const [section, values] of Object.entries(document)) {
    if (!(section in DEFAULT_CONFIG)) {
      throw new ConfigError(file, section, 'unknown section');
    }
    if (!isRecord(values)) {
      throw new ConfigError(file, section, 'expected a mapping of keys');
    }
    for (const [key, value] of Object.entries(values)) {
      setKey(config, file, `${section}.${key}`, value);
    }
  }
}

function applyEnvironment(
  config: Record<string, Record<string, unknown>>,
  env: Env,
): void {
  for (const [section, values] of Object.entries(DEFAULT_CONFIG)) {
    for (const key of Object.keys(values)) {
      const name = `ROLLCALL_${section}_${key}`.toUpperCase();
      const raw = env[name];
      if (raw !== undefined && raw !== '') {
        setKey(
          config,
          `environment variable ${name}`,
          `${section}.${key}`,
          raw,
        );
      }
    }
  }
  for (const [name, path] of Object.entries(NAMED_VARIABLES)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') {
      setKey(config, `environment variable ${name}`, path, raw);
    }
  }
}

/**
 * Builds the configuration: defaults, then the YAML file named by
 * `ROLLCALL_CONFIG` (if any), then environment variables. Throws ConfigError
 * naming the file or variable, the key and the reason.
 */
export function loadConfig(
  env: Env = process.env,
  overrides: DeepPartial<RollcallConfig> = {},
): RollcallConfig {
  const config = structuredClone(DEFAULT_CONFIG) as unknown as Record<
    string,
    Record<string, unknown>
  >;
  if (env.ROLLCALL_CONFIG) applyFile(config, env.ROLLCALL_CONFIG);
  applyEnvironment(config, env);
  for (const [section, values] of Object.entries(overrides)) {
    Object.assign(config[section]!, values);
  }
  // pnpm runs scripts inside the package folder; a relative data directory
  // means relative to where the user ran the command (INIT_CWD).
  const database = config.database!;
  database.data_dir = resolve(
    env.INIT_CWD ?? process.cwd(),
    database.data_dir as string,
  );
  return config as unknown as RollcallConfig;
}

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K];
};
