/**
 * The table of selection cases: a query and the exact ids it selects from
 * `FLEET` at `NOW` with the `GROUPS` resolver. The in-memory tests and the
 * API's SQL differential test both run every row.
 */

import { ALL_IDS } from './fleet.ts';

/** [query, expected ids (sorted)]. */
export type SelectionCase = readonly [string, readonly string[]];

const all = (...except: string[]) =>
  ALL_IDS.filter((id) => !except.includes(id));

const PRODUCTION = [
  'gateway-1',
  'jetson-1',
  'jetson-2',
  'jetson-3',
  'jetson-4',
  'rpi-1',
];
const JETSONS = ['jetson-1', 'jetson-2', 'jetson-3', 'jetson-4'];

/** Every query of the spec, with what it means on the fixture fleet. */
export const SPEC_CASES: readonly SelectionCase[] = [
  ['tag:production', PRODUCTION],
  ['tag:production AND tag:gpu-capable', ['jetson-1', 'jetson-2']],
  ['tag:site-factory-a OR tag:site-factory-b', [...JETSONS, 'rpi-1']],
  [
    'tag:production AND NOT tag:maintenance',
    ['gateway-1', 'jetson-1', 'jetson-2', 'jetson-4', 'rpi-1'],
  ],
  [
    '(tag:production AND tag:gpu-jetson-orin AND tag:site-factory-a) AND ' +
      'NOT (tag:maintenance OR tag:single-point-failure)',
    ['jetson-1'],
  ],
  ['tag:production AND NOT tag:decommissioned', PRODUCTION],
  [
    'tag:production AND tag:gpu-capable AND tag:site-factory-a',
    ['jetson-1', 'jetson-2'],
  ],
  [
    'tag:canary-eligible AND tag:production AND status:healthy',
    ['jetson-1', 'rpi-1'],
  ],
  ['tag:gpu-jetson-orin', JETSONS],
];

/** Precedence, negation, keyword-like tags, quoting, normalisation. */
export const LANGUAGE_CASES: readonly SelectionCase[] = [
  [
    'tag:staging OR tag:production AND tag:gpu-capable',
    ['jetson-1', 'jetson-2', 'rpi-2'],
  ],
  [
    '(tag:staging OR tag:production) AND tag:gpu-capable',
    ['jetson-1', 'jetson-2'],
  ],
  ['NOT tag:production AND tag:site-warehouse-1', ['rpi-2']],
  ['NOT (tag:production AND tag:site-warehouse-1)', ALL_IDS],
  ['NOT NOT tag:gateway', ['gateway-1']],
  ['NOT tag:production', ['bare-1', 'bare-2', 'odd-1', 'rpi-2']],
  ['NOT tag:gpu-capable', all('jetson-1', 'jetson-2')],
  ['tag:gateway or tag:staging and not tag:android', ['gateway-1']],
  ['tag:not', ['rpi-2']],
  ['tag:NOT AND tag:android', ['rpi-2']],
  ['tag:in OR tag:and OR tag:or', []],
  ['tag:not AND NOT tag:not', []],
  ['tag:"gpu-capable"', ['jetson-1', 'jetson-2']],
  ['hostname = "rpi 2 \\"lab\\""', ['rpi-2']],
  ['hostname = "jetson-1.local"', ['jetson-1']],
  ['tag:PRODUCTION AND tag:Gateway', ['gateway-1']],
  ['tag:Café', ['rpi-2']],
  ['tag:Cafe\u0301', ['rpi-2']],
  ['tag:CAFÉ', []],
  ['\n  tag:gateway\r\n  OR\ttag:staging\n', ['gateway-1', 'rpi-2']],
];

/** Key/value tags, wildcards and literal metacharacters. */
export const TAG_CASES: readonly SelectionCase[] = [
  ['tag:region=factory-a', ['jetson-1']],
  ['tag:region', ['jetson-1', 'jetson-4', 'odd-1']],
  ['tag:factory-a', ['jetson-1']],
  ['tag:environment=production', ['jetson-1']],
  ['tag:priority=high AND tag:high', ['gateway-1']],
  ['tag:region=factory-*', ['jetson-1', 'jetson-4']],
  ['tag:region=*', ['jetson-1', 'jetson-4', 'odd-1']],
  ['tag:site-*', [...JETSONS, 'rpi-1', 'rpi-2']],
  ['tag:site-factory-*', [...JETSONS, 'rpi-1']],
  ['tag:gpu_*', ['gateway-1']],
  ['tag:gpu*', ['gateway-1', ...JETSONS, 'odd-1', 'rpi-1']],
  ['tag:factory*', ['jetson-1', 'jetson-4']],
  ['tag:*', all('bare-1', 'bare-2')],
  ['NOT tag:*', ['bare-1', 'bare-2']],
  ['hostname = jetson-1.local*', []],
  ['hostname = "jetson-1.%" OR hostname = jetson_1.local', []],
];

/** States, tiers, groups, fields, versions, times and lists. */
export const TERM_CASES: readonly SelectionCase[] = [
  ['status:healthy', ['jetson-1', 'rpi-1', 'rpi-2']],
  ['status:HEALTHY', ['jetson-1', 'rpi-1', 'rpi-2']],
  ['status:offline', ['jetson-4', 'odd-1']],
  ['NOT status:healthy', all('jetson-1', 'rpi-1', 'rpi-2')],
  ['status IN (healthy, degraded)', ['jetson-1', 'jetson-2', 'rpi-1', 'rpi-2']],
  ['status IN ()', []],
  ['NOT status IN ()', ALL_IDS],
  ['status.state = failed', ['gateway-1']],
  ['status.state != healthy', all('jetson-1', 'rpi-1', 'rpi-2')],
  ['tier:monitor', ['jetson-4']],
  ['tier IN (alert, monitor)', ['jetson-4', 'odd-1']],
  ['NOT tier:alert', all('odd-1')],
  ['group:canary-pool', ['jetson-1', 'rpi-1']],
  ['group:critical-devices', ['gateway-1', 'jetson-1', 'jetson-2']],
  ['group:production-fleet', PRODUCTION],
  ['group:nested', ['gateway-1', 'jetson-1', 'jetson-2', 'rpi-1']],
  [
    'group:jetson-orin-fleet AND NOT group:critical-devices',
    ['jetson-3', 'jetson-4'],
  ],
  ['NOT group:critical-devices', all('gateway-1', 'jetson-1', 'jetson-2')],
  ['hardware.ram_mb >= 4096', [...JETSONS, 'rpi-1']],
  [
    'NOT hardware.ram_mb >= 4096',
    ['bare-1', 'bare-2', 'gateway-1', 'odd-1', 'rpi-2'],
  ],
  ['hardware.ram_mb != 8192', ['jetson-3', 'rpi-1', 'rpi-2']],
  [
    'hardware.type = jetson-orin-nano',
    ['bare-1', 'bare-2', ...JETSONS, 'odd-1'],
  ],
  ['hardware.has_gpu = TRUE', ['jetson-1', 'jetson-2']],
  ['hardware.has_gpu != true', all('jetson-1', 'jetson-2')],
  [
    'hardware.type IN (raspberry-pi-4, x86-gateway)',
    ['gateway-1', 'rpi-1', 'rpi-2'],
  ],
  ['hardware.type IN ()', []],
  ['id IN (bare-1, bare-2, nobody)', ['bare-1', 'bare-2']],
  ['deployment.current_version < 2.3.0', ['gateway-1', 'jetson-4', 'rpi-1']],
  ['deployment.current_version > 2.9.1', ['jetson-2']],
  ['deployment.current_version = 2.3', ['jetson-1', 'rpi-2']],
  [
    'deployment.current_version >= 2.3.0-rc.1',
    ['jetson-1', 'jetson-2', 'jetson-3', 'rpi-1', 'rpi-2'],
  ],
  [
    'deployment.current_version IN (2.3.0, 2.2.1)',
    ['jetson-1', 'jetson-4', 'rpi-2'],
  ],
  [
    'NOT deployment.current_version >= 0.0.0',
    ['bare-1', 'bare-2', 'gateway-1', 'odd-1'],
  ],
  ['last_heartbeat < now-15m', ['gateway-1', 'jetson-3', 'jetson-4', 'odd-1']],
  [
    'NOT last_heartbeat < now-15m',
    ['bare-1', 'bare-2', 'jetson-1', 'jetson-2', 'rpi-1', 'rpi-2'],
  ],
  ['status.last_heartbeat >= now-10m', ['jetson-1', 'jetson-2', 'rpi-1']],
  [
    'status.last_heartbeat >= "2025-01-16T10:50:00Z"',
    ['jetson-1', 'jetson-2', 'rpi-1'],
  ],
  ['offline_for > 1h', ['jetson-4']],
  ['offline_for <= 20m', ['odd-1']],
  ['NOT offline_for > 1h', all('jetson-4')],
  ['metadata.registered < 2024-07-01', ALL_IDS],
  ['deployment.last_deployed < now', []],
  ['status.uptime_seconds = 72000', ['jetson-1']],
];

/** Every selection case. */
export const SELECTION_CASES: readonly SelectionCase[] = [
  ...SPEC_CASES,
  ...LANGUAGE_CASES,
  ...TAG_CASES,
  ...TERM_CASES,
].map(([query, ids]) => [query, [...ids].sort()] as const);
