import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ImportFailedError,
  importRegistry,
} from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';

const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };

let server: TestServer;
const temporary: string[] = [];

function dynamicGroup(name: string, query: string): string {
  return `${name}:\n  membership: dynamic\n  query: ${JSON.stringify(query)}\n`;
}

/** Imports `files` (relative path → text); returns failures as data. */
async function load(files: Record<string, string>, continueOnError = false) {
  const directory = mkdtempSync(join(tmpdir(), 'rollcall-group-queries-'));
  temporary.push(directory);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), text);
  }
  try {
    const summary = await importRegistry(server.database.pool, {
      directory,
      now: server.clock.now(),
      timing: TIMING,
      continueOnError,
    });
    return {
      groups: summary.groups,
      failures: summary.failures.map((failure) => failure.toJSON()),
    };
  } catch (error) {
    if (!(error instanceof ImportFailedError)) throw error;
    return { failures: error.failures.map((failure) => failure.toJSON()) };
  }
}

async function groupList() {
  return server.request('{ groups { name memberCount } }');
}

const CYCLE_FILES = {
  'groups/cyc-a.yaml': dynamicGroup('cyc-a', 'group:cyc-b'),
  'groups/cyc-b.yaml': dynamicGroup('cyc-b', 'group:cyc-a OR tag:x'),
};

/** Each group of the cycle is refused at its reference to the other. */
const CYCLE_FAILURES = [
  {
    file: 'groups/cyc-a.yaml',
    field: 'cyc-a.query',
    reason:
      'QUERY_VALIDATION_ERROR at line 1, column 7: In group "cyc-b": Group cycle: "cyc-b" -> "cyc-a" -> "cyc-b".',
  },
  {
    file: 'groups/cyc-b.yaml',
    field: 'cyc-b.query',
    reason:
      'QUERY_VALIDATION_ERROR at line 1, column 7: In group "cyc-a": Group cycle: "cyc-a" -> "cyc-b" -> "cyc-a".',
  },
];

beforeAll(async () => {
  server = await startTestServer();
});

beforeEach(async () => {
  await server.database.pool.query('TRUNCATE groups CASCADE');
});

afterAll(async () => {
  await server.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('importRegistry with dynamic group queries', () => {
  it('refuses two groups whose queries form a cycle, importing nothing', async () => {
    const result = await load({
      ...CYCLE_FILES,
      'groups/fine.yaml': dynamicGroup('fine', 'tag:x'),
    });

    expect([result, (await groupList()).data]).toEqual([
      { failures: CYCLE_FAILURES },
      { groups: [] },
    ]);
  });

  it('refuses a query naming an unknown group', async () => {
    const result = await load({
      'groups/dangling.yaml': dynamicGroup('dangling', 'group:nope-nope'),
    });

    expect(result).toEqual({
      failures: [
        {
          file: 'groups/dangling.yaml',
          field: 'dangling.query',
          reason:
            'QUERY_VALIDATION_ERROR at line 1, column 7: Unknown group "nope-nope".',
        },
      ],
    });
  });

  it('with --continue imports the valid groups and leaves groups queryable', async () => {
    const result = await load(
      {
        ...CYCLE_FILES,
        'groups/dangling.yaml': dynamicGroup('dangling', 'group:nope-nope'),
        'groups/uses-a.yaml': dynamicGroup('uses-a', 'group:cyc-a'),
        'groups/fine.yaml': dynamicGroup('fine', 'tag:x'),
        'groups/uses-fine.yaml': dynamicGroup('uses-fine', 'group:fine'),
      },
      true,
    );

    expect([result, (await groupList()).data]).toEqual([
      {
        groups: { created: 2, updated: 0, unchanged: 0 },
        failures: [
          ...CYCLE_FAILURES,
          {
            file: 'groups/dangling.yaml',
            field: 'dangling.query',
            reason:
              'QUERY_VALIDATION_ERROR at line 1, column 7: Unknown group "nope-nope".',
          },
          {
            file: 'groups/uses-a.yaml',
            field: 'uses-a.query',
            reason:
              'QUERY_VALIDATION_ERROR at line 1, column 7: In group "cyc-a": Group cycle: "cyc-a" -> "cyc-b" -> "cyc-a".',
          },
        ],
      },
      {
        groups: [
          { name: 'fine', memberCount: 0 },
          { name: 'uses-fine', memberCount: 0 },
        ],
      },
    ]);
  });

  it('checks a query against a group already in the registry', async () => {
    await load({ 'groups/fine.yaml': dynamicGroup('fine', 'tag:x') });
    const result = await load({
      'groups/fine.yaml': dynamicGroup('fine', 'group:later'),
      'groups/later.yaml': dynamicGroup('later', 'group:fine'),
    });

    expect(result.failures.map((failure) => failure.field)).toEqual([
      'fine.query',
      'later.query',
    ]);
  });
});
