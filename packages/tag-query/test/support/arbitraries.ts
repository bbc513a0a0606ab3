/** fast-check arbitraries: random valid queries and random fleets. */

import { DEVICE_STATES, OFFLINE_TIERS } from '@rollcall/fleet';
import fc from 'fast-check';
import type {
  ComparisonOperator,
  QueryableDevice,
  QueryNode,
} from '../../src/index.ts';
import { NOW, makeDevice, minutesAgo } from './fleet.ts';

const TAG_NAMES = [
  'production',
  'staging',
  'gpu-capable',
  'gpu_x',
  'gpuxtest',
  'site-a',
  'site-b',
  'not',
  'café',
  'region',
  'a',
  'b',
];
const TAG_VALUES = ['factory-a', 'factory-b', 'production', 'high', 'a'];
const PREFIXES = ['', 'site-', 'gpu_', 'gpu', 'fact', 'reg', 'a'];
const VERSIONS = [
  '2.3.0',
  '2.10.0',
  '2.9.1',
  '2.3.0-rc.1',
  '2.3.0-rc.10',
  '2.3.0-beta',
  'v2.3',
  '2',
  '1.0.0+build.5',
  '2.3.0-rc.1.x',
  '0.0.0',
];
const FIELD_VERSIONS = [...VERSIONS, 'banana', ' 2.3.0 ', '', '2.3.0-'];
const TYPES = ['jetson-orin-nano', 'raspberry-pi-4', 'x86 gateway'];
const OPERATORS: ComparisonOperator[] = ['=', '!=', '<', '<=', '>', '>='];
const STATIC_GROUPS = ['critical-devices', 'lab'];

/** Static groups the random fleets use, as a resolver table. */
export const RANDOM_GROUPS: Readonly<Record<string, string>> = {
  'critical-devices': 'static',
  lab: 'static',
  'gpu-fleet': 'tag:gpu-capable OR tag:gpu_*',
  'healthy-gpu': 'group:gpu-fleet AND status:healthy',
};

const value = (text: string) => ({ kind: 'Value' as const, text });

const term: fc.Arbitrary<QueryNode> = fc.oneof(
  fc.record({
    kind: fc.constant('Tag' as const),
    name: fc.constantFrom(...TAG_NAMES),
    value: fc.option(fc.constantFrom(...TAG_VALUES), { nil: null }),
    isPrefix: fc.constant(false),
  }),
  fc.record({
    kind: fc.constant('Tag' as const),
    name: fc.constantFrom(...PREFIXES),
    value: fc.constant(null),
    isPrefix: fc.constant(true),
  }),
  fc.record({
    kind: fc.constant('Tag' as const),
    name: fc.constantFrom(...TAG_NAMES),
    value: fc.constantFrom(...PREFIXES),
    isPrefix: fc.constant(true),
  }),
  fc
    .constantFrom(...DEVICE_STATES)
    .map((state) => ({ kind: 'Status' as const, state })),
  fc
    .constantFrom(...OFFLINE_TIERS)
    .map((tier) => ({ kind: 'Tier' as const, tier })),
  fc
    .constantFrom(...Object.keys(RANDOM_GROUPS))
    .map((name) => ({ kind: 'Group' as const, name })),
  fc
    .record({
      kind: fc.constant('In' as const),
      subject: fc.constantFrom('status', 'tier', 'hardware.type'),
      values: fc.array(
        fc.constantFrom('healthy', 'offline', 'alert', 'monitor'),
        { maxLength: 3 },
      ),
    })
    .map((node) =>
      node.subject === 'hardware.type'
        ? {
            ...node,
            values: node.values.map((_, i) => value(TYPES[i % 3] ?? '')),
          }
        : node.subject === 'status'
          ? {
              ...node,
              values: node.values
                .filter((v) => v === 'healthy' || v === 'offline')
                .map(value),
            }
          : {
              ...node,
              values: node.values
                .filter((v) => v === 'alert' || v === 'monitor')
                .map(value),
            },
    ),
  comparison('hardware.ram_mb', fc.constantFrom('2048', '4096', '8192', '-1')),
  comparison('deployment.current_version', fc.constantFrom(...VERSIONS)),
  comparison(
    'last_heartbeat',
    fc.constantFrom('now', 'now-15m', 'now-2h', 'now+1m', '2025-01-16'),
  ),
  comparison('offline_for', fc.constantFrom('1s', '20m', '1h', '2d')),
  equality('hardware.has_gpu', fc.constantFrom('true', 'false')),
  equality('hardware.type', fc.constantFrom(...TYPES, 'x*', '%')),
  equality('status.state', fc.constantFrom(...DEVICE_STATES)),
);

function comparison(
  field: string,
  values: fc.Arbitrary<string>,
): fc.Arbitrary<QueryNode> {
  return fc.record({
    kind: fc.constant('Comparison' as const),
    field: fc.constant(field),
    operator: fc.constantFrom(...OPERATORS),
    value: values.map(value),
  });
}

function equality(
  field: string,
  values: fc.Arbitrary<string>,
): fc.Arbitrary<QueryNode> {
  return fc.record({
    kind: fc.constant('Comparison' as const),
    field: fc.constant(field),
    operator: fc.constantFrom<ComparisonOperator>('=', '!='),
    value: values.map(value),
  });
}

/** Random valid query trees, at most `depth` operators deep. */
export function queryArbitrary(depth = 4): fc.Arbitrary<QueryNode> {
  const { node } = fc.letrec<{ node: QueryNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      term,
      fc
        .array(tie('node'), { minLength: 2, maxLength: 3 })
        .map((operands) => ({ kind: 'And' as const, operands })),
      fc
        .array(tie('node'), { minLength: 2, maxLength: 3 })
        .map((operands) => ({ kind: 'Or' as const, operands })),
      tie('node').map((operand) => ({ kind: 'Not' as const, operand })),
    ),
  }));
  return node;
}

const tagArbitrary = fc.oneof(
  fc.constantFrom(...TAG_NAMES).map((key) => key),
  fc
    .tuple(fc.constantFrom(...TAG_NAMES), fc.constantFrom(...TAG_VALUES))
    .map(([k, v]) => `${k}=${v}`),
);

const deviceArbitrary = (index: number): fc.Arbitrary<QueryableDevice> =>
  fc
    .record({
      state: fc.constantFrom(...DEVICE_STATES),
      tags: fc.uniqueArray(tagArbitrary, { maxLength: 5 }),
      groups: fc.subarray(STATIC_GROUPS),
      tier: fc.option(fc.constantFrom(...OFFLINE_TIERS), { nil: null }),
      offlineMinutes: fc.option(fc.constantFrom(0, 1, 20, 60, 61, 3000), {
        nil: null,
      }),
      ram: fc.option(fc.constantFrom(2048, 4096, 8192), { nil: null }),
      version: fc.option(fc.constantFrom(...FIELD_VERSIONS), { nil: null }),
      heartbeatMinutes: fc.option(fc.constantFrom(0, 1, 15, 16, 120, -1), {
        nil: null,
      }),
      hasGpu: fc.boolean(),
      type: fc.constantFrom(...TYPES, 'x*'),
    })
    .map((spec) =>
      makeDevice(`device-${String(index).padStart(3, '0')}`, {
        state: spec.state,
        tags: spec.tags,
        groups: spec.groups,
        offline:
          spec.offlineMinutes === null && spec.tier === null
            ? undefined
            : { since: minutesAgo(spec.offlineMinutes ?? 5), tier: spec.tier },
        fields: {
          'hardware.ram_mb': spec.ram,
          'hardware.has_gpu': spec.hasGpu,
          'hardware.type': spec.type,
          'deployment.current_version': spec.version,
          'status.last_heartbeat':
            spec.heartbeatMinutes === null
              ? null
              : minutesAgo(spec.heartbeatMinutes),
        },
      }),
    );

/** Random fleets of up to `size` devices, ids `device-000`... */
export function fleetArbitrary(size = 12): fc.Arbitrary<QueryableDevice[]> {
  return fc
    .integer({ min: 0, max: size })
    .chain((count) =>
      fc.tuple(...Array.from({ length: count }, (_, i) => deviceArbitrary(i))),
    );
}

export { NOW };
