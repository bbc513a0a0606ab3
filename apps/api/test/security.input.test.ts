import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  HEARTBEAT,
  REGISTER,
  codesOf,
  minimalDevice,
  rawRequest,
  registerActiveDevice,
  rowCounts,
} from './support/reliabilityFixtures.ts';

const DEVICE = 'edge-input-001';
const UPDATE = `mutation ($input: UpdateDeviceInput!) {
  updateDevice(id: "${DEVICE}", input: $input) { id }
}`;
const TAG = `mutation ($ids: [ID!], $tags: [TagInput!]!) {
  tagDevices(ids: $ids, tags: $tags) { matchedCount }
}`;
const BATCH = `mutation ($inputs: [HeartbeatInput!]!) {
  heartbeatBatch(inputs: $inputs) { deviceId }
}`;
const BATCH_RESULTS = `mutation ($inputs: [HeartbeatInput!]!) {
  heartbeatBatch(inputs: $inputs) {
    deviceId ack { accepted } error { code }
  }
}`;
const PREVIEW = `query ($q: String!) { previewGroup(query: $q) { count } }`;
const FLEET_HEALTH = `query ($q: String) { fleetHealth(where: $q) { __typename } }`;
const CHANGES = `query ($q: String) {
  changesSince(version: 0, where: $q, first: 1) { latestVersion }
}`;
const KEY = `mutation ($name: String!, $role: OperatorRole!) {
  createApiKey(name: $name, role: $role) { key }
}`;
const DEVICES = `query ($where: String, $first: Int) {
  devices(where: $where, first: $first) { totalCount }
}`;

type Caller = 'admin' | 'device';
interface Case {
  name: string;
  caller?: Caller;
  /** A query with variables, or a raw body (for 1e999). */
  query?: string;
  variables?: Record<string, unknown>;
  raw?: string;
  expected: { status: number; codes: string[] };
}

const beat = (extra: Record<string, unknown>) => ({
  input: { deviceId: DEVICE, status: 'HEALTHY', ...extra },
});
const register = (extra: Record<string, unknown>) => ({
  input: minimalDevice({ id: 'edge-input-new', ...extra }),
});
const rawBody = (query: string, variables: string) =>
  `{"query":${JSON.stringify(query)},"variables":${variables}}`;
const refused = (codes: string[], status = 200) => ({ status, codes });

const WRONG_TYPES: Case[] = [
  {
    name: 'a number where a string goes',
    query: REGISTER,
    variables: register({ hostname: 42 }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'a string where an Int goes',
    query: REGISTER,
    variables: register({ heartbeatIntervalSeconds: 'NaN' }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'the string "Infinity" where a Float goes',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ metrics: { cpuPercent: 'Infinity' } }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'a list where an object goes',
    query: UPDATE,
    variables: { input: [] },
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'a date that is not ISO-8601',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ timestamp: 'yesterday' }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'a date and time without a zone',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ timestamp: '2026-12-04T10:00:00' }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'a date without a time',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ timestamp: '2026-12-04' }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'a date in words',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ timestamp: 'Dec 4 2026 10:00 UTC' }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  ...[
    ['a February 30', '2025-02-30T00:00:00Z'],
    ['a February 29 outside a leap year', '2025-02-29T00:00:00Z'],
    ['an hour 24', '2025-01-16T24:00:00Z'],
    ['a year 0', '0000-01-01T00:00:00Z'],
    ['a zone of +24:00', '2025-01-16T10:00:00+24:00'],
  ].map(([name, timestamp]): Case => ({
    name: `${name} (a date or time that does not exist)`,
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ timestamp }),
    expected: refused(['BAD_USER_INPUT'], 400),
  })),
  ...[
    ['previewGroup', PREVIEW],
    ['fleetHealth', FLEET_HEALTH],
    ['changesSince', CHANGES],
  ].flatMap(([name, query]) =>
    ['\u000b', '\ufeff'].map((character): Case => ({
      name: `a tag query for ${name} holding U+${character!.charCodeAt(0).toString(16).padStart(4, '0')}`,
      query,
      variables: { q: `tag:a${character}AND tag:b` },
      expected: refused(['BAD_USER_INPUT']),
    })),
  ),
  {
    name: 'a month 13',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ timestamp: '2026-13-04T10:00:00Z' }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'a tagMap value that is not a string',
    query: REGISTER,
    variables: register({ tagMap: { region: { nested: 1 } } }),
    expected: refused(['BAD_USER_INPUT']),
  },
];

const NON_FINITE: Case[] = [
  {
    name: 'an infinite Int (1e999)',
    raw: rawBody(
      REGISTER,
      `{"input":{"hostname":"h","environment":"production","hardware":{"type":"x"},"heartbeatIntervalSeconds":1e999}}`,
    ),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'an infinite Float metric (1e999)',
    caller: 'device',
    raw: rawBody(
      HEARTBEAT,
      `{"input":{"deviceId":"${DEVICE}","status":"HEALTHY","metrics":{"cpuPercent":1e999}}}`,
    ),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'an infinite sequence (-1e999)',
    caller: 'device',
    raw: rawBody(
      HEARTBEAT,
      `{"input":{"deviceId":"${DEVICE}","status":"HEALTHY","sequence":-1e999}}`,
    ),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'an infinite page size',
    raw: rawBody(DEVICES, `{"first":1e999}`),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'a sequence beyond the safe integers',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ sequence: 1e300 }),
    expected: refused(['BAD_USER_INPUT']),
  },
];

const NEGATIVE_COUNTS: Case[] = [
  {
    name: 'a negative heartbeat interval',
    query: REGISTER,
    variables: register({ heartbeatIntervalSeconds: -5 }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a negative RAM size',
    query: UPDATE,
    variables: { input: { hardware: { ramMb: -1 } } },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a negative page size',
    query: DEVICES,
    variables: { first: -1 },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a negative history span',
    query: '{ fleetHealthHistory(hours: -1) { stepMinutes } }',
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a negative metric',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ metrics: { errorCountLastHour: -1 } }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a negative sequence',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ sequence: -1 }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a sequence past 2^53, which JSON numbers cannot hold exactly',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ sequence: 2 ** 53 }),
    expected: refused(['BAD_USER_INPUT']),
  },
];

const OVERSIZED: Case[] = [
  {
    name: 'a 100,000-character hostname',
    query: REGISTER,
    variables: register({ hostname: 'h'.repeat(100_000) }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: '10,000 characters of notes',
    query: UPDATE,
    variables: { input: { notes: 'n'.repeat(10_000) } },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a 50,000-character degradation reason',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ degradationReason: 'r'.repeat(50_000) }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a 5,000-character API key name',
    query: KEY,
    variables: { name: 'k'.repeat(5_000), role: 'VIEWER' },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a body over the 1 MiB limit',
    query: UPDATE,
    variables: { input: { notes: 'n'.repeat(1_100_000) } },
    expected: refused(['PAYLOAD_TOO_LARGE'], 413),
  },
  {
    name: 'a heartbeat batch of 1,001 entries',
    query: BATCH,
    variables: {
      inputs: Array.from({ length: 1001 }, () => ({
        deviceId: DEVICE,
        status: 'HEALTHY',
      })),
    },
    expected: refused(['PAYLOAD_TOO_LARGE']),
  },
  {
    name: 'tagging 1,001 ids at once',
    query: TAG,
    variables: {
      ids: Array.from({ length: 1001 }, (_, i) => `edge-x-${i}`),
      tags: [{ key: 'production' }],
    },
    expected: refused(['BAD_USER_INPUT']),
  },
];

const INVISIBLE: Case[] = [
  {
    name: 'a zero-width space in a hostname',
    query: REGISTER,
    variables: register({ hostname: 'jetson\u200B-042' }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a right-to-left override in a hostname',
    query: REGISTER,
    variables: register({ hostname: 'jetson\u202E-042' }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a NUL in a hostname',
    query: REGISTER,
    variables: register({ hostname: 'jetson\u0000-042' }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a NUL in notes',
    query: UPDATE,
    variables: { input: { notes: 'line\u0000' } },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a NUL in a heartbeat app version',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ appVersion: '2.3.0\u0000' }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a NUL in reported software (refused by PostgreSQL)',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ software: { os: 'Ubuntu\u0000' } }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a zero-width joiner in a tag',
    query: TAG,
    variables: { ids: [DEVICE], tags: [{ key: 'prod\u200Duction' }] },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a byte-order mark inside an API key name',
    query: KEY,
    variables: { name: 'op\uFEFFs', role: 'VIEWER' },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a NUL in a tag query',
    query: DEVICES,
    variables: { where: 'tag:production\u0000' },
    expected: refused(['BAD_USER_INPUT']),
  },
];

const UNKNOWN: Case[] = [
  {
    name: 'an unknown input field',
    query: REGISTER,
    variables: register({ colour: 'red' }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'an unknown metric',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ metrics: { fanRpm: 1200 } }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'an unknown enum value in the document',
    query: `mutation { transitionDevice(id: "${DEVICE}", action: EXPLODE) { id } }`,
    expected: refused(['GRAPHQL_VALIDATION_FAILED'], 400),
  },
  {
    name: 'an unknown enum value in a variable',
    query: KEY,
    variables: { name: 'ops', role: 'ROOT' },
    expected: refused(['BAD_USER_INPUT'], 400),
  },
  {
    name: 'an unknown reported status',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ status: 'GREAT' }),
    expected: refused(['BAD_USER_INPUT'], 400),
  },
];

const DEPLOY = `mutation ($manifest: DeploymentManifestInput) {
  createDeployment(manifest: $manifest) { id }
}`;
const DEFINE_TAG = `mutation ($description: String) {
  defineTag(name: "line-7", category: "location", description: $description) {
    name
  }
}`;
const manyTags = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => ({ key: `${prefix}-${i}` }));

// The domains' own bounds (ERROR_CODES.md, "Input limits").
const DOMAIN_BOUNDS: Case[] = [
  {
    name: 'a list of 5,000 tags at registration',
    query: REGISTER,
    variables: register({
      tags: Array.from({ length: 5_000 }, (_, i) => ({ key: `tag-${i}` })),
    }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a tagMap of 5,000 entries',
    query: REGISTER,
    variables: register({
      tagMap: Object.fromEntries(
        Array.from({ length: 5_000 }, (_, i) => [`key-${i}`, 'v']),
      ),
    }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: '10,000 cameras in a heartbeat',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({
      hardware: { cameras: Array.from({ length: 10_000 }, () => 'usb') },
    }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a list of 65 location tags at registration',
    query: REGISTER,
    variables: register({
      locationTags: Array.from({ length: 65 }, (_, i) => `site-${i}`),
    }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: '65 tags in one tagDevices call',
    query: TAG,
    variables: { ids: [DEVICE], tags: manyTags(65, 'bulk') },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: '65 sensors in a heartbeat',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({
      hardware: { sensors: Array.from({ length: 65 }, () => 'imu') },
    }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a NUL in a reported camera',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ hardware: { cameras: ['usb\u0000'] } }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a 1,000-character reported kernel',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ software: { kernel: 'k'.repeat(1_000) } }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a negative reported RAM size',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ hardware: { ramMb: -5 } }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a CPU load over 100 percent',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ metrics: { cpuPercent: 100.5 } }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'an uptime beyond bigint (1e300 seconds)',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ metrics: { uptimeSeconds: 1e300 } }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a CPU temperature below absolute zero',
    caller: 'device',
    query: HEARTBEAT,
    variables: beat({ metrics: { temperatureCpuC: -300 } }),
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a 10,000-character transition reason',
    query: `mutation ($reason: String) {
      enterMaintenance(id: "${DEVICE}", reason: $reason) { id }
    }`,
    variables: { reason: 'r'.repeat(10_000) },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a NUL in a tag description (before the taxonomy is seeded)',
    query: DEFINE_TAG,
    variables: { description: 'line\u0000' },
    expected: refused(['BAD_USER_INPUT']),
  },
  {
    name: 'a manifest of 33 waves',
    query: DEPLOY,
    variables: {
      manifest: {
        artifact: 'inference-app:v2.3.1',
        target: { groups: ['input-all'] },
        waves: Array.from({ length: 33 }, (_, i) => ({
          name: `wave-${i}`,
          groups: ['input-all'],
        })),
      },
    },
    expected: refused(['INVALID_MANIFEST']),
  },
  {
    name: 'a NUL in a manifest artifact',
    query: DEPLOY,
    variables: {
      manifest: {
        artifact: 'inference-app\u0000:v2.3.1',
        target: { groups: ['input-all'] },
      },
    },
    expected: refused(['INVALID_MANIFEST']),
  },
  {
    name: 'a manifest target of 65 groups',
    query: DEPLOY,
    variables: {
      manifest: {
        artifact: 'inference-app:v2.3.1',
        target: { groups: Array.from({ length: 65 }, () => 'input-all') },
      },
    },
    expected: refused(['INVALID_MANIFEST']),
  },
];

describe('GraphQL input validation', () => {
  let server: TestServer;
  let deviceToken: string;

  beforeAll(async () => {
    server = await startTestServer({
      config: { heartbeat: { rate_limit_per_minute: 100_000 } },
    });
    ({ token: deviceToken } = await registerActiveDevice(server, DEVICE));
    // An existing group, so that only the manifest's own bounds refuse it.
    await server.request(
      `mutation { createGroup(input: {
        name: "input-all", membership: STATIC, devices: ["${DEVICE}"]
      }) { name } }`,
    );
  });
  afterAll(() => server.close());

  const send = async (c: Case) => {
    const token = c.caller === 'device' ? deviceToken : server.adminKey;
    if (c.raw) return rawRequest(server.graphqlUrl, c.raw, token);

    const result = await server.request(c.query!, c.variables, token);
    return { status: result.status, codes: codesOf(result) };
  };

  const refusesAndWritesNothing = async (c: Case) => {
    const before = await rowCounts(server.database.pool);
    const answer = await send(c);
    const after = await rowCounts(server.database.pool);
    expect({ answer, after }).toEqual({ answer: c.expected, after: before });
  };

  describe.each([
    ['wrong types', WRONG_TYPES],
    ['NaN and infinite numbers', NON_FINITE],
    ['negative counts', NEGATIVE_COUNTS],
    ['oversized strings and lists', OVERSIZED],
    ['control and invisible characters', INVISIBLE],
    ['unknown fields and enum values', UNKNOWN],
    ['domain bounds on lists, texts and metrics', DOMAIN_BOUNDS],
  ])('%s', (_group, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))(
      'refuses %s with a typed error and writes nothing',
      (_name, c) => refusesAndWritesNothing(c),
    );
  });

  // The ingest writer commits concurrent heartbeats in one transaction;
  // an entry PostgreSQL refuses must not fail the others with it.
  it('answers the good entries of a batch that holds an unstorable one', async () => {
    await registerActiveDevice(server, 'edge-input-002');
    const uptime = { uptimeSeconds: 1e300 }; // beyond the bigint column
    const result = await server.request(BATCH_RESULTS, {
      inputs: [
        { deviceId: DEVICE, status: 'HEALTHY', software: { os: 'x\u0000' } },
        { deviceId: DEVICE, status: 'HEALTHY', metrics: uptime },
        { deviceId: 'edge-input-002', status: 'HEALTHY' },
      ],
    });
    expect(result.data).toEqual({
      heartbeatBatch: [
        { deviceId: DEVICE, ack: null, error: { code: 'BAD_USER_INPUT' } },
        { deviceId: DEVICE, ack: null, error: { code: 'BAD_USER_INPUT' } },
        { deviceId: 'edge-input-002', ack: { accepted: true }, error: null },
      ],
    });
  });

  const errorsOf = (result: {
    errors?: Array<{ message: string; extensions?: unknown }>;
  }) =>
    (result.errors ?? []).map(({ message, extensions }) => ({
      message,
      extensions,
    }));

  it('names the field and the limit when refusing a bound', async () => {
    const tags = await server.request(
      REGISTER,
      register({ tags: manyTags(5_000, 'tag') }),
    );
    const cameras = await server.request(
      HEARTBEAT,
      beat({ hardware: { cameras: Array.from({ length: 100 }, () => 'usb') } }),
      deviceToken,
    );
    const cpu = await server.request(
      HEARTBEAT,
      beat({ metrics: { cpuPercent: 250 } }),
      deviceToken,
    );
    expect([tags, cameras, cpu].map(errorsOf)).toEqual([
      [
        {
          message: 'tags has 5000 items; the limit is 64',
          extensions: { code: 'BAD_USER_INPUT', field: 'tags', maxItems: 64 },
        },
      ],
      [
        {
          message: 'hardware.cameras has 100 items; the limit is 64',
          extensions: {
            code: 'BAD_USER_INPUT',
            field: 'hardware.cameras',
            maxItems: 64,
          },
        },
      ],
      [
        {
          message: 'metrics.cpuPercent: must be a finite number from 0 to 100',
          extensions: {
            code: 'BAD_USER_INPUT',
            field: 'metrics.cpuPercent',
            min: 0,
            max: 100,
          },
        },
      ],
    ]);
  });

  it('refuses tagging a device past 128 tags and keeps its tags', async () => {
    const id = 'edge-input-003';
    await registerActiveDevice(server, id);
    await server.request(TAG, { ids: [id], tags: manyTags(64, 'first') });
    const countTags = async () => {
      const { rows } = await server.database.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM device_tags WHERE device_id = $1',
        [id],
      );
      return rows[0]!.n;
    };
    const before = await countTags();

    const result = await server.request(TAG, {
      ids: [id],
      tags: manyTags(64, 'second'),
    });
    expect({ errors: errorsOf(result), after: await countTags() }).toEqual({
      errors: [
        {
          message: `Device "${id}" would hold ${before + 64} tags; the limit is 128`,
          extensions: {
            code: 'BAD_USER_INPUT',
            argument: 'tags',
            field: 'tags',
            maxItems: 128,
            deviceId: id,
          },
        },
      ],
      after: before,
    });
  });

  it('accepts a sub-zero temperature from an outdoor device', async () => {
    const result = await server.request(
      HEARTBEAT,
      beat({ metrics: { temperatureCpuC: -25.5 } }),
      deviceToken,
    );
    expect(result).toEqual({
      status: 200,
      data: {
        heartbeat: {
          deviceId: DEVICE,
          accepted: true,
          duplicate: false,
          state: 'HEALTHY',
        },
      },
    });
  });

  it('still accepts a valid heartbeat after every refusal', async () => {
    const result = await server.request(
      HEARTBEAT,
      beat({ sequence: 7 }),
      deviceToken,
    );
    expect(result).toEqual({
      status: 200,
      data: {
        heartbeat: {
          deviceId: DEVICE,
          accepted: true,
          duplicate: false,
          state: 'HEALTHY',
        },
      },
    });
  });
});
