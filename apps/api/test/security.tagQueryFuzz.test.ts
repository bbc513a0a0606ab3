import { print } from '@rollcall/tag-query';
import { SELECTION_CASES, queryArbitrary } from '@rollcall/tag-query/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INPUT_LIMITS,
  hasForbiddenCharacter,
} from '../src/server/inputLimits.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';
import { codesOf, rowCounts } from './support/reliabilityFixtures.ts';

// Each request must answer well inside this, whatever the text.
const MAX_RESPONSE_MS = 2_000;
const QUERY_CODES = new Set([
  'QUERY_SYNTAX_ERROR',
  'QUERY_VALIDATION_ERROR',
  'QUERY_TOO_COMPLEX',
]);
const DEVICES = `query ($q: String!) {
  devices(where: $q, first: 500) { totalCount }
}`;
const VALIDATE = `query ($q: String!) {
  validateQuery(query: $q) { valid canonical matchCount errors { code } }
}`;

interface Probe {
  ms: number;
  /** Codes of devices(where:), then of validateQuery. */
  codes: string[];
  totalCount: number | null;
  validation: {
    valid: boolean;
    canonical: string | null;
    matchCount: number | null;
    errors: Array<{ code: string }>;
  } | null;
}

// Text the input limits refuse before the query language sees it.
// Tag queries may span lines (tabs and line breaks are white space).
const isRefusedInput = (text: string) =>
  text.length > INPUT_LIMITS.query ||
  hasForbiddenCharacter(text, { isMultiline: true });

const ALPHABET = [
  ...'tag:status:tier:group:()ANDORNOTIN*=<>!"\',.-_/ \t\n\r',
  ...'0123456789abcdefghijklmnopqrstuvwxyz',
  'production',
  'healthy',
  'hardware.ram_mb',
  'last_heartbeat',
  'now-15m',
  '\u0000',
  '\u200B',
  '\u202E',
  'é',
  '😀',
  '\\',
  '%',
  '[',
  ']',
];

const randomText = fc
  .array(fc.constantFrom(...ALPHABET), { maxLength: 60 })
  .map((parts) => parts.join(''));

const CORPUS = SELECTION_CASES.map(([query]) => query);

// A corpus query with one edit: an insertion, a deletion, a duplicated
// span, a truncation or a swap of two characters.
const mutated = fc
  .tuple(
    fc.constantFrom(...CORPUS),
    fc.constantFrom('insert', 'delete', 'duplicate', 'truncate', 'swap'),
    fc.nat(),
    fc.nat(),
    fc.constantFrom(...ALPHABET),
  )
  .map(([query, edit, a, b, piece]) => {
    const i = a % (query.length + 1);
    const j = i + (b % 8);
    switch (edit) {
      case 'insert':
        return query.slice(0, i) + piece + query.slice(i);
      case 'delete':
        return query.slice(0, i) + query.slice(j);
      case 'duplicate':
        return query.slice(0, j) + query.slice(i, j) + query.slice(j);
      case 'truncate':
        return query.slice(0, i);
      case 'swap':
        return (
          query.slice(0, i) +
          (query[j] ?? '') +
          query.slice(i + 1, j) +
          (query[i] ?? '') +
          query.slice(j + 1)
        );
      default:
        throw new Error(`unknown edit ${edit as string}`);
    }
  });

describe('tag queries through the GraphQL API', () => {
  let server: TestServer;
  let before: Record<string, number>;

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, [
      { id: 'jetson-1', tags: ['production', 'gpu-capable', 'site-a'] },
      { id: 'jetson-2', state: 'offline', tags: ['production', 'site-b'] },
      { id: 'rpi-1', state: 'degraded', tags: ['staging', 'region=a'] },
      { id: 'gateway-1', state: 'maintenance', tags: ['production'] },
    ]);
    before = await rowCounts(server.database.pool);
  });
  afterAll(() => server.close());

  const probe = async (text: string): Promise<Probe> => {
    const started = performance.now();
    const listed = await server.request<{ devices: { totalCount: number } }>(
      DEVICES,
      { q: text },
    );
    const checked = await server.request<{
      validateQuery: Probe['validation'];
    }>(VALIDATE, { q: text });
    return {
      ms: performance.now() - started,
      codes: [...codesOf(listed), ...codesOf(checked)],
      totalCount: listed.data?.devices.totalCount ?? null,
      validation: checked.data?.validateQuery ?? null,
    };
  };

  // The contract of one text: typed errors only, in bounded time, and
  // validateQuery agreeing with what devices(where:) did.
  const checkContract = async (text: string) => {
    const answer = await probe(text);
    expect(answer.ms).toBeLessThan(MAX_RESPONSE_MS);

    if (isRefusedInput(text)) {
      expect(answer.codes).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
      return;
    }
    if (text.trim() === '') {
      // A blank where selects every device; there is nothing to validate.
      expect(answer.totalCount).toBe(4);
      return;
    }
    const validation = answer.validation!;
    if (validation.valid) {
      expect({
        codes: answer.codes,
        matchCount: validation.matchCount,
      }).toEqual({ codes: [], matchCount: answer.totalCount });
      return;
    }
    expect(answer.codes).toHaveLength(1);
    expect(QUERY_CODES.has(answer.codes[0]!)).toBe(true);
    expect(validation.errors.map((e) => e.code)).toContain(answer.codes[0]);
    expect(validation.errors.every((e) => QUERY_CODES.has(e.code))).toBe(true);
  };

  it('answers random texts with typed errors only, in bounded time', async () => {
    await fc.assert(fc.asyncProperty(randomText, checkContract), {
      numRuns: 120,
      seed: 10,
    });
  });

  it('answers mutated corpus queries with typed errors only, in bounded time', async () => {
    await fc.assert(fc.asyncProperty(mutated, checkContract), {
      numRuns: 120,
      seed: 10,
    });
  });

  it('accepts every printed random query tree', async () => {
    await fc.assert(
      fc.asyncProperty(queryArbitrary(3).map(print), async (text) => {
        const answer = await probe(text);
        const groupError =
          answer.codes.length === 1 &&
          answer.validation?.errors[0]?.code === 'QUERY_VALIDATION_ERROR';
        // Random trees may name groups this database does not define.
        if (groupError && /group:/.test(text)) return;
        expect({
          codes: answer.codes,
          valid: answer.validation?.valid,
        }).toEqual({ codes: [], valid: true });
      }),
      { numRuns: 50, seed: 10 },
    );
  });

  it.each([
    [
      '2,000 nested parentheses',
      `${'('.repeat(2_000)}tag:a${')'.repeat(2_000)}`,
      ['QUERY_TOO_COMPLEX'],
    ],
    ['1,000 NOTs', `${'NOT '.repeat(1_000)}tag:a`, ['QUERY_TOO_COMPLEX']],
    [
      'a 4,096-character chain of ORs',
      `tag:a${' OR tag:a'.repeat(454)}`.padEnd(4_096, ' '),
      ['QUERY_TOO_COMPLEX'],
    ],
    [
      '4,097 characters',
      'x'.repeat(4_097),
      ['BAD_USER_INPUT', 'BAD_USER_INPUT'],
    ],
    [
      'an unterminated string of 4,000 characters',
      `tag:"${'a'.repeat(4_000)}`,
      ['QUERY_SYNTAX_ERROR'],
    ],
    [
      'a wildcard flood',
      `tag:${'*'.repeat(2_000)}`,
      ['QUERY_VALIDATION_ERROR'],
    ],
  ])('refuses %s quickly', async (_name, text, codes) => {
    const answer = await probe(text);
    expect({ codes: answer.codes, fast: answer.ms < MAX_RESPONSE_MS }).toEqual({
      codes,
      fast: true,
    });
  });

  it('wrote nothing for any of it', async () => {
    expect(await rowCounts(server.database.pool)).toEqual(before);
  });
});
