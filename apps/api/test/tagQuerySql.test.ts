import { compareVersions } from '@rollcall/fleet';
import type { QueryableDevice, QueryNode } from '@rollcall/tag-query';
import { FIELDS, createMatcher, parse, toSql } from '@rollcall/tag-query';
import {
  FLEET,
  GROUPS,
  NOW,
  RANDOM_GROUPS,
  SELECTION_CASES,
  fleetArbitrary,
  groupResolver,
  queryArbitrary,
} from '@rollcall/tag-query/testing';
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

// Record paths stored in a column of devices (d.) or device_status (s.);
// id, status.state and offline_for come from the device's own properties.
const STORED = FIELDS.filter(
  (field) => !['id', 'status.state', 'offline_for'].includes(field.path),
);
const DEVICE_COLUMNS = STORED.filter((f) => f.column.startsWith('d.'));
const STATUS_COLUMNS = STORED.filter((f) => f.column.startsWith('s.'));

function columnName(column: string): string {
  return column.slice(2);
}

function placeholders(count: number): string {
  return Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');
}

/** Replaces every device, tag and group with `fleet` and `groups`. */
async function loadFleet(
  pool: pg.Pool,
  fleet: readonly QueryableDevice[],
  groups: Readonly<Record<string, string>>,
): Promise<void> {
  await pool.query('TRUNCATE devices, groups CASCADE');
  const deviceColumns = [
    'id',
    ...DEVICE_COLUMNS.map((f) => columnName(f.column)),
  ];
  const statusColumns = [
    'device_id',
    'state',
    'offline_since',
    'offline_tier',
    ...STATUS_COLUMNS.map((f) => columnName(f.column)),
  ];
  for (const device of fleet) {
    const read = (path: string) =>
      device.fields[path as keyof typeof device.fields] ?? null;
    await pool.query(
      `INSERT INTO devices (${deviceColumns.join(', ')})
       VALUES (${placeholders(deviceColumns.length)})`,
      [device.id, ...DEVICE_COLUMNS.map((f) => read(f.path))],
    );
    await pool.query(
      `INSERT INTO device_status (${statusColumns.join(', ')})
       VALUES (${placeholders(statusColumns.length)})`,
      [
        device.id,
        device.state,
        device.offlineSince,
        device.offlineTier,
        ...STATUS_COLUMNS.map((f) => read(f.path)),
      ],
    );
    for (const tag of device.tags) {
      await pool.query(
        'INSERT INTO device_tags (device_id, key, value) VALUES ($1, $2, $3)',
        [device.id, tag.key, tag.value],
      );
    }
  }

  for (const [name, query] of Object.entries(groups)) {
    const isStatic = query === 'static';
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO groups (id, name, membership, query)
       VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`,
      [name, isStatic ? 'static' : 'dynamic', isStatic ? null : query],
    );
    const members = fleet.filter((d) => d.staticGroups.includes(name));
    for (const device of members) {
      await pool.query(
        'INSERT INTO group_members (group_id, device_id) VALUES ($1, $2)',
        [rows[0]?.id, device.id],
      );
    }
  }
}

/** The ids the compiled SQL selects, after one caller parameter. */
async function selectSql(
  pool: pg.Pool,
  ast: QueryNode,
  groups: Readonly<Record<string, string>>,
): Promise<string[]> {
  const condition = toSql(ast, {
    now: NOW,
    groups: groupResolver(groups),
    paramOffset: 1,
  });
  const { rows } = await pool.query<{ id: string }>(
    `SELECT d.id FROM devices d JOIN device_status s ON s.device_id = d.id
     WHERE d.id <> $1 AND ${condition.text} ORDER BY d.id COLLATE "C"`,
    ['nobody', ...condition.values],
  );
  return rows.map((row) => row.id);
}

function selectMemory(
  fleet: readonly QueryableDevice[],
  ast: QueryNode,
  groups: Readonly<Record<string, string>>,
): string[] {
  const matches = createMatcher(ast, {
    now: NOW,
    groups: groupResolver(groups),
  });
  return fleet
    .filter(matches)
    .map((device) => device.id)
    .sort();
}

describe('toSql on PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  describe('on the fixture fleet', () => {
    beforeAll(async () => {
      await loadFleet(database.pool, FLEET, GROUPS);
    });

    it.each(SELECTION_CASES)(
      'selects exactly the devices of %j',
      async (query, ids) => {
        expect(await selectSql(database.pool, parse(query), GROUPS)).toEqual(
          ids,
        );
      },
    );

    it('serves version comparisons from the expression index', async () => {
      const condition = toSql(parse('deployment.current_version < 2.3.0'), {
        now: NOW,
      });
      const client = await database.pool.connect();
      try {
        await client.query('SET enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT d.id FROM devices d WHERE ${condition.text}`,
          condition.values,
        );
        const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
        expect(plan).toContain('devices_current_version_key_idx');
      } finally {
        await client.query('RESET enable_seqscan');
        client.release();
      }
    });
  });

  it('selects the same devices as evaluate for random queries and fleets', async () => {
    await fc.assert(
      fc.asyncProperty(
        fleetArbitrary(10),
        fc.array(queryArbitrary(4), { minLength: 1, maxLength: 8 }),
        async (fleet, queries) => {
          await loadFleet(database.pool, fleet, RANDOM_GROUPS);
          for (const ast of queries) {
            expect(await selectSql(database.pool, ast, RANDOM_GROUPS)).toEqual(
              selectMemory(fleet, ast, RANDOM_GROUPS),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe('rollcall_version_key', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  const number = fc.oneof(
    fc.nat({ max: 20 }).map(String),
    fc.constantFrom(
      '0',
      '00',
      '007',
      '10',
      '99999999999999999999',
      '1'.repeat(30),
    ),
  );
  const identifier = fc.oneof(
    number,
    fc.constantFrom('rc', 'alpha', 'beta-2', 'x', '', 'RC', 'a-', '-1'),
  );
  const space = fc.constantFrom('', ' ', '\t', '\u00a0', '\u3000', '\n');
  const version = fc
    .tuple(
      space,
      fc.constantFrom('', 'v', 'V'),
      number,
      fc.option(number, { nil: undefined }),
      fc.option(number, { nil: undefined }),
      fc.option(fc.array(identifier, { minLength: 1, maxLength: 3 }), {
        nil: undefined,
      }),
      fc.option(fc.constantFrom('b1', 'build.5', ''), { nil: undefined }),
      space,
    )
    .map(([before, v, major, minor, patch, pre, build, after]) => {
      let text = `${before}${v}${major}`;
      if (minor !== undefined) text += `.${minor}`;
      if (minor !== undefined && patch !== undefined) text += `.${patch}`;
      if (pre !== undefined) text += `-${pre.join('.')}`;
      if (build !== undefined) text += `+${build}`;
      return text + after;
    });
  const text = fc.oneof(version, version, fc.string({ maxLength: 8 }));

  it('orders texts exactly as compareVersions does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 50 }),
        async (pairs) => {
          const { rows } = await database.pool.query<{ order: number }>(
            `SELECT CASE WHEN rollcall_version_key(a) < rollcall_version_key(b) THEN -1
                       WHEN rollcall_version_key(a) = rollcall_version_key(b) THEN 0
                       ELSE 1 END AS order
           FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(a, b, n)
           ORDER BY n`,
            [pairs.map(([a]) => a), pairs.map(([, b]) => b)],
          );
          expect(rows.map((row) => row.order)).toEqual(
            pairs.map(([a, b]) => Math.sign(compareVersions(a, b))),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
