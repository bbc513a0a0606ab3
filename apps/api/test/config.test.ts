import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config/defaults.ts';
import { ConfigError, loadConfig } from '../src/config/loadConfig.ts';
import { NUMBER_RULES } from '../src/config/numberRules.ts';

function configFile(text: string): string {
  const file = join(
    mkdtempSync(join(tmpdir(), 'rollcall-config-')),
    'rollcall.yaml',
  );
  writeFileSync(file, text);
  return file;
}

function configErrorOf(
  run: () => unknown,
): Pick<ConfigError, 'source' | 'key' | 'reason'> | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { source: error.source, key: error.key, reason: error.reason };
  }
}

describe('loadConfig', () => {
  it('returns every documented default when nothing is configured', () => {
    expect(loadConfig({ INIT_CWD: '/srv/rollcall' })).toEqual({
      ...DEFAULT_CONFIG,
      database: { ...DEFAULT_CONFIG.database, data_dir: '/srv/rollcall/data' },
    });
  });

  it('reads the spec-shaped heartbeat block from the ROLLCALL_CONFIG file', () => {
    const file = configFile(
      'heartbeat:\n  interval_seconds: 30\n  timeout_seconds: 90\n  offline_warning_minutes: 2\n',
    );
    const config = loadConfig({ ROLLCALL_CONFIG: file });
    expect(config.heartbeat).toEqual({
      ...DEFAULT_CONFIG.heartbeat,
      interval_seconds: 30,
      timeout_seconds: 90,
      offline_warning_minutes: 2,
    });
  });

  it('lets environment variables override the file', () => {
    const file = configFile('heartbeat:\n  timeout_seconds: 90\n');
    const config = loadConfig({
      ROLLCALL_CONFIG: file,
      ROLLCALL_HEARTBEAT_TIMEOUT_SECONDS: '240',
      PORT: '4100',
      DATABASE_URL: 'postgresql://db/rollcall',
      ROLLCALL_DATA_DIR: '/var/lib/rollcall',
      ROLLCALL_DEMO: 'off',
      ROLLCALL_ADMIN_TOKEN: 'secret-admin',
      ROLLCALL_SERVER_CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect({
      timeout: config.heartbeat.timeout_seconds,
      port: config.server.port,
      url: config.database.url,
      dataDir: config.database.data_dir,
      demo: config.demo.mode,
      admin: config.auth.admin_token,
      cors: config.server.cors_origins,
    }).toEqual({
      timeout: 240,
      port: 4100,
      url: 'postgresql://db/rollcall',
      dataDir: '/var/lib/rollcall',
      demo: 'off',
      admin: 'secret-admin',
      cors: ['https://a.example', 'https://b.example'],
    });
  });

  it('names the file, key and reason for a value of the wrong type', () => {
    const file = configFile('heartbeat:\n  timeout_seconds: soon\n');
    expect(configErrorOf(() => loadConfig({ ROLLCALL_CONFIG: file }))).toEqual({
      source: file,
      key: 'heartbeat.timeout_seconds',
      reason: 'expected a non-negative number, got "soon"',
    });
  });

  it('refuses a fractional heartbeat interval and a zero timeout, naming the variable', () => {
    const env = (extra: Record<string, string>) =>
      configErrorOf(() => loadConfig(extra));
    expect([
      env({ ROLLCALL_HEARTBEAT_INTERVAL_SECONDS: '1.5' }),
      env({ ROLLCALL_HEARTBEAT_TIMEOUT_SECONDS: '0' }),
      env({ PORT: '4000.5' }),
    ]).toEqual([
      {
        source: 'environment variable ROLLCALL_HEARTBEAT_INTERVAL_SECONDS',
        key: 'heartbeat.interval_seconds',
        reason: 'expected a whole number, got "1.5"',
      },
      {
        source: 'environment variable ROLLCALL_HEARTBEAT_TIMEOUT_SECONDS',
        key: 'heartbeat.timeout_seconds',
        reason: 'expected a positive number, got 0',
      },
      {
        source: 'environment variable PORT',
        key: 'server.port',
        reason: 'expected a whole number, got "4000.5"',
      },
    ]);
    expect(
      loadConfig({ ROLLCALL_HEARTBEAT_TIMEOUT_SECONDS: '4.5' }).heartbeat
        .timeout_seconds,
    ).toBe(4.5);
  });

  it('refuses ports and intervals out of range, numbers that are not plain decimals, and fractional counts', () => {
    const refusal = (name: string, value: string) => {
      const error = configErrorOf(() => loadConfig({ [name]: value }));
      return [error?.key, error?.reason];
    };
    expect([
      refusal('PORT', '70000'),
      refusal('PORT', '  '),
      refusal('PORT', '0x1000'),
      refusal('PORT', '1e3'),
      refusal('ROLLCALL_HEARTBEAT_INTERVAL_SECONDS', '3000000000'),
      refusal('ROLLCALL_HEALTH_MIN_DISK_FREE_MB', '1.5'),
      refusal('ROLLCALL_SWEEPER_INTERVAL_SECONDS', '0'),
      refusal('ROLLCALL_DATABASE_POOL_SIZE', '0'),
    ]).toEqual([
      ['server.port', 'expected at most 65535, got "70000"'],
      ['server.port', 'expected a non-negative number, got "  "'],
      ['server.port', 'expected a non-negative number, got "0x1000"'],
      ['server.port', 'expected a non-negative number, got "1e3"'],
      [
        'heartbeat.interval_seconds',
        'expected at most 86400, got "3000000000"',
      ],
      ['health.min_disk_free_mb', 'expected a whole number, got "1.5"'],
      ['sweeper.interval_seconds', 'expected a positive number, got 0'],
      ['database.pool_size', 'expected a positive number, got 0'],
    ]);
    expect([
      loadConfig({ PORT: ' 4100 ' }).server.port,
      loadConfig({ ROLLCALL_SWEEPER_INTERVAL_SECONDS: '0.5' }).sweeper
        .interval_seconds,
    ]).toEqual([4100, 0.5]);
  });

  it('has a number rule only for numeric keys that exist', () => {
    const defaults = DEFAULT_CONFIG as unknown as Record<
      string,
      Record<string, unknown>
    >;
    const notNumeric = Object.keys(NUMBER_RULES).filter((path) => {
      const [section, key] = path.split('.') as [string, string];
      return typeof defaults[section]?.[key] !== 'number';
    });
    expect(notNumeric).toEqual([]);
  });

  it('refuses an unknown key so that typos do not pass silently', () => {
    const file = configFile('heartbeat:\n  timeout_secs: 100\n');
    expect(configErrorOf(() => loadConfig({ ROLLCALL_CONFIG: file }))).toEqual({
      source: file,
      key: 'heartbeat.timeout_secs',
      reason: 'unknown key',
    });
  });

  it('refuses an unknown section', () => {
    const file = configFile('heartbeats:\n  timeout_seconds: 100\n');
    expect(
      configErrorOf(() => loadConfig({ ROLLCALL_CONFIG: file }))?.key,
    ).toBe('heartbeats');
  });

  it('reports malformed YAML with the file name', () => {
    const file = configFile('heartbeat: [unclosed\n');
    expect(
      configErrorOf(() => loadConfig({ ROLLCALL_CONFIG: file }))?.key,
    ).toBe('(yaml)');
  });

  it('reports a missing config file', () => {
    const error = configErrorOf(() =>
      loadConfig({ ROLLCALL_CONFIG: '/nonexistent/rollcall.yaml' }),
    );
    expect(error?.key).toBe('(file)');
  });

  it('reads the catch-up delivery timeout from its section and variable', () => {
    const file = configFile('catch_up:\n  delivery_timeout_minutes: 45\n');
    expect([
      loadConfig({ ROLLCALL_CONFIG: file }).catch_up,
      loadConfig({ ROLLCALL_CATCH_UP_DELIVERY_TIMEOUT_MINUTES: '90' }).catch_up,
    ]).toEqual([
      { delivery_timeout_minutes: 45 },
      { delivery_timeout_minutes: 90 },
    ]);
  });

  it('refuses a catch-up delivery timeout of zero', () => {
    const file = configFile('catch_up:\n  delivery_timeout_minutes: 0\n');
    expect(configErrorOf(() => loadConfig({ ROLLCALL_CONFIG: file }))).toEqual({
      source: file,
      key: 'catch_up.delivery_timeout_minutes',
      reason: 'expected a positive number, got 0',
    });
  });

  it('names the variable for a bad environment value', () => {
    expect(configErrorOf(() => loadConfig({ ROLLCALL_DEMO: 'maybe' }))).toEqual(
      {
        source: 'environment variable ROLLCALL_DEMO',
        key: 'demo.mode',
        reason: 'expected "on" or "off", got "maybe"',
      },
    );
  });
});
