import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImportFailedError,
  importRegistry,
} from '../src/importExport/importRegistry.ts';
import { MAX_FILE_BYTES } from '../src/importExport/yamlFile.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';
import { rowCounts } from './support/reliabilityFixtures.ts';

const NOW = new Date('2025-01-16T16:00:00Z');
const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };

const device = (id: string) => `device:
  id: ${id}
  hostname: ${id}.local
  hardware:
    type: raspberry-pi-5
  status:
    state: healthy
  tags:
    environment: production
`;

const aliasBomb = () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i += 1) {
    const name = String.fromCharCode(97 + i);
    const previous = String.fromCharCode(96 + i);
    lines.push(
      `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
};

// Each bad file sorts after valid ones, so a partial import would show.
const BAD_FILES: Array<[string, string]> = [
  ['malformed YAML', 'device:\n  id: edge-x\n   hostname: [unclosed\n'],
  ['an alias bomb', aliasBomb()],
  ['a huge file', `device:\n  notes: "${'x'.repeat(MAX_FILE_BYTES)}"\n`],
  [
    'wrong types',
    'device:\n  id: 42\n  hostname: [a, b]\n  hardware: "gpu"\n  status:\n    state: exploded\n',
  ],
  ['a document that is a list', '- device: edge-x\n- device: edge-y\n'],
  ['binary garbage', '\u0000\u0001\u0002\uFFFD\u0007'],
];

describe('importing hostile registry files', () => {
  let database: TestDatabase;
  let root: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    root = mkdtempSync(join(tmpdir(), 'rollcall-hostile-'));
  });
  afterAll(async () => {
    await database.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(BAD_FILES)(
    'refuses %s with a clean error and writes nothing',
    async (name, text) => {
      const directory = join(root, name.replace(/\W+/g, '-'));
      const files: Record<string, string> = {
        'devices/edge-a-001.yaml': device('edge-a-001'),
        'devices/edge-a-002.yaml': device('edge-a-002'),
        'devices/zz-bad.yaml': text,
      };
      for (const [file, body] of Object.entries(files)) {
        mkdirSync(dirname(join(directory, file)), { recursive: true });
        writeFileSync(join(directory, file), body);
      }
      const before = await rowCounts(database.pool);

      const started = performance.now();
      const outcome = await importRegistry(database.pool, {
        directory,
        now: NOW,
        timing: TIMING,
      }).then(
        () => ({ refused: false, files: [] as string[] }),
        (error: unknown) => {
          if (!(error instanceof ImportFailedError)) throw error;
          return {
            refused: true,
            files: [...new Set(error.failures.map((f) => f.toJSON().file))],
          };
        },
      );
      const ms = performance.now() - started;

      expect({
        outcome,
        isFast: ms < 5_000,
        rows: await rowCounts(database.pool),
      }).toEqual({
        outcome: { refused: true, files: ['devices/zz-bad.yaml'] },
        isFast: true,
        rows: before,
      });
    },
  );
});

describe('importing strings the API refuses', () => {
  let database: TestDatabase;
  let root: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    root = mkdtempSync(join(tmpdir(), 'rollcall-hostile-text-'));
  });
  afterAll(async () => {
    await database.close();
    rmSync(root, { recursive: true, force: true });
  });

  const withLine = (after: string, line: string) =>
    device('zz-bad').replace(after, `${after}\n${line}`);
  const HOSTILE_TEXT: Array<[string, string, string]> = [
    [
      'a bidi override in the hostname',
      device('zz-bad').replace('zz-bad.local', '"qa\\u202e-evil.local"'),
      'device.hostname',
    ],
    [
      'a zero-width space in a label',
      `${device('zz-bad')}  labels: ["gpu\\u200bcapable"]\n`,
      'device.labels[0]',
    ],
    [
      'a newline in a tag value',
      withLine('environment: production', '    site: "a\\nb"'),
      'device.tags.site',
    ],
    [
      'a BOM in the metadata notes',
      `${device('zz-bad')}  metadata:\n    notes: "see\\ufeff here"\n`,
      'device.metadata.notes',
    ],
  ];

  it.each(HOSTILE_TEXT)(
    'refuses %s naming the file and field, and writes nothing',
    async (name, text, field) => {
      const directory = join(root, name.replace(/\W+/g, '-'));
      mkdirSync(join(directory, 'devices'), { recursive: true });
      writeFileSync(
        join(directory, 'devices/edge-a-001.yaml'),
        device('edge-a-001'),
      );
      writeFileSync(join(directory, 'devices/zz-bad.yaml'), text);
      const before = await rowCounts(database.pool);

      const failures = await importRegistry(database.pool, {
        directory,
        now: NOW,
        timing: TIMING,
      }).then(
        () => [],
        (error: unknown) => {
          if (!(error instanceof ImportFailedError)) throw error;
          return error.failures.map((failure) => failure.toJSON());
        },
      );

      expect({ failures, rows: await rowCounts(database.pool) }).toEqual({
        failures: [
          {
            file: 'devices/zz-bad.yaml',
            field,
            reason: 'contains a control or invisible character',
          },
        ],
        rows: before,
      });
    },
  );

  it('keeps newlines in free text such as metadata notes', async () => {
    const directory = join(root, 'multiline-notes');
    mkdirSync(join(directory, 'devices'), { recursive: true });
    writeFileSync(
      join(directory, 'devices/edge-a-003.yaml'),
      `${device('edge-a-003')}  metadata:\n    notes: "line one\\nline two"\n`,
    );

    await importRegistry(database.pool, {
      directory,
      now: NOW,
      timing: TIMING,
    });

    const { rows } = await database.pool.query<{ notes: string }>(
      `SELECT notes FROM devices WHERE id = 'edge-a-003'`,
    );
    expect(rows).toEqual([{ notes: 'line one\nline two' }]);
  });
});
