import { TAG_CATEGORIES, TAG_TAXONOMY } from '@rollcall/fleet';
import type pg from 'pg';
import { withTransaction } from '../db/transaction.ts';
import { recordAudit } from '../devices/auditLog.ts';
import { RollcallError } from '../errors.ts';
import { checkText } from '../server/inputLimits.ts';
import type { ServiceDependencies } from '../server/services.ts';
import { normalizeTagName } from './tagInput.ts';

/** A tag of the taxonomy with the number of devices carrying it. */
export interface TagInfo {
  name: string;
  category: string;
  description: string | null;
  deviceCount: number;
}

export interface TagService {
  /**
   * Seeds tag_definitions from @rollcall/fleet's TAG_TAXONOMY once per
   * process (adding missing tags, never overwriting a redefined one).
   */
  ensureTaxonomy(): Promise<void>;
  /** The taxonomy, optionally one category, by category then name. */
  list(category: string | null): Promise<TagInfo[]>;
  /** Adds or redefines a tag of the taxonomy, with an audit entry. */
  define(
    input: { name: string; category: string; description: string | null },
    actor: string,
  ): Promise<TagInfo>;
}

// A device counts for a tag when the tag is its key or its value, as
// `tag:NAME` matches; decommissioned devices count only for `decommissioned`.
const SELECT_TAGS = `
  SELECT td.name, td.category, td.description,
    (SELECT count(DISTINCT t.device_id)::int
     FROM device_tags t JOIN device_status s ON s.device_id = t.device_id
     WHERE (t.key = td.name OR t.value = td.name)
       AND (s.state <> 'decommissioned' OR td.name = 'decommissioned')
    ) AS "deviceCount"
  FROM tag_definitions td`;

function checkCategory(category: string): string {
  if ((TAG_CATEGORIES as readonly string[]).includes(category)) return category;

  throw new RollcallError(
    'BAD_USER_INPUT',
    `Unknown tag category "${category}"; use one of ${TAG_CATEGORIES.join(', ')}`,
    { argument: 'category', expected: [...TAG_CATEGORIES] },
  );
}

async function readTag(db: Pick<pg.PoolClient, 'query'>, name: string) {
  const { rows } = await db.query<TagInfo>(
    `${SELECT_TAGS} WHERE td.name = $1`,
    [name],
  );
  return rows[0];
}

export function createTagService(deps: ServiceDependencies): TagService {
  const { pool } = deps.db;
  let seeded: Promise<void> | null = null;

  const seed = async () => {
    const names = Object.keys(TAG_TAXONOMY);
    await pool.query(
      `INSERT INTO tag_definitions (name, category, description, created_at)
       SELECT n, c, dsc, $4::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[]) AS t(n, c, dsc)
       ON CONFLICT (name) DO NOTHING`,
      [
        names,
        names.map((name) => TAG_TAXONOMY[name]!.category),
        names.map((name) => TAG_TAXONOMY[name]!.description),
        deps.clock.now(),
      ],
    );
  };

  const service: TagService = {
    ensureTaxonomy() {
      seeded ??= seed().catch((error: unknown) => {
        seeded = null;
        throw error;
      });
      return seeded;
    },

    async list(category) {
      await service.ensureTaxonomy();
      const filter = category === null ? '' : 'WHERE td.category = $1';
      const { rows } = await pool.query<TagInfo>(
        `${SELECT_TAGS} ${filter} ORDER BY td.category, td.name`,
        category === null ? [] : [category],
      );
      return rows;
    },

    async define(input, actor) {
      // Checked before the taxonomy is seeded, so a refusal writes nothing.
      const name = normalizeTagName(input.name, 'name');
      const category = checkCategory(input.category);
      const description = input.description?.trim() || null;
      if (description !== null && description.length > 512) {
        throw new RollcallError(
          'BAD_USER_INPUT',
          '"description" is longer than 512 characters',
          {
            argument: 'description',
          },
        );
      }
      if (description !== null) {
        checkText(description, 'description', 512, { isMultiline: true });
      }
      await service.ensureTaxonomy();

      const at = deps.clock.now();
      return withTransaction(pool, async (client) => {
        const before = await client.query(
          'SELECT name, category, description FROM tag_definitions WHERE name = $1 FOR UPDATE',
          [name],
        );
        await client.query(
          `INSERT INTO tag_definitions (name, category, description, created_at)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (name) DO UPDATE
           SET category = EXCLUDED.category, description = EXCLUDED.description`,
          [name, category, description, at],
        );
        await recordAudit(client, [
          {
            actor,
            action: 'tag.defined',
            entityType: 'tag',
            entityId: name,
            before: before.rows[0] ?? null,
            after: { name, category, description },
            at,
          },
        ]);
        return (await readTag(client, name))!;
      });
    },
  };
  return service;
}
