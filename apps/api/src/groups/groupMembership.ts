import {
  parse,
  toSql,
  validate,
  type GroupDefinition,
  type GroupResolver,
  type QueryNode,
} from '@rollcall/tag-query';
import type pg from 'pg';
import { parseCached } from '../devices/deviceQuery.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A saved group as stored. */
export interface GroupRow {
  id: string;
  name: string;
  description: string | null;
  membership: 'static' | 'dynamic';
  query: string | null;
  deployPolicy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns of `GroupRow`, over `groups`. */
export const GROUP_COLUMNS = `id, name, description, membership, query,
  deploy_policy AS "deployPolicy", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

/** What resolving `group:NAME` needs of a group. */
export type GroupQuerySource = Pick<GroupRow, 'membership' | 'query'>;

/** A SQL condition over `d` and `s` with its bind values. */
export interface MemberCondition {
  text: string;
  values: unknown[];
}

/** Every saved group by name (the table is small; read whole). */
export async function loadGroups(
  db: Queryable,
): Promise<Map<string, GroupRow>> {
  const { rows } = await db.query<GroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM groups`,
  );
  return new Map(rows.map((row) => [row.name, row]));
}

/**
 * The resolver `toSql`, `validate` and `evaluate` take for `group:NAME`,
 * over the saved groups, with `candidates` standing in for groups being
 * saved or previewed (so that cycles through them are found before save).
 * A saved query that no longer parses resolves as unknown.
 */
export function resolverOver(
  groups: ReadonlyMap<string, GroupQuerySource>,
  candidates: ReadonlyMap<string, GroupDefinition> = new Map(),
): GroupResolver {
  return (name) => {
    const candidate = candidates.get(name);
    if (candidate) return candidate;

    const row = groups.get(name);
    if (!row) return undefined;
    if (row.membership === 'static') return { membership: 'static' };

    try {
      return { membership: 'dynamic', query: parseCached(row.query ?? '') };
    } catch {
      return undefined;
    }
  };
}

/**
 * Parses and validates a dynamic group's query exactly as evaluation will
 * bind it (fields, states, tiers, group references expanded with cycle
 * detection). With `savingAs`, the query stands in for that group, so a
 * cycle through the group being saved is found before it is saved. Blank
 * text is an error: a match-all rollout is dangerous.
 *
 * @throws TagQueryError with the position of the first mistake.
 */
export function checkGroupQuery(
  text: string,
  groups: ReadonlyMap<string, GroupQuerySource>,
  savingAs: string | null,
): QueryNode {
  const ast = parse(text);
  const candidates = new Map<string, GroupDefinition>();
  if (savingAs !== null) {
    candidates.set(savingAs, { membership: 'dynamic', query: ast });
  }
  const [first] = validate(ast, { groups: resolverOver(groups, candidates) });
  if (first) throw first;

  return ast;
}

/**
 * The condition selecting the members of a query or of a saved group:
 * the compiled query, minus decommissioned devices (which belong to no
 * group and can never be targeted again).
 */
export function memberCondition(
  target: QueryNode | { group: string },
  options: { resolver: GroupResolver; now: Date; paramOffset?: number },
): MemberCondition {
  const ast: QueryNode =
    'group' in target ? { kind: 'Group', name: target.group } : target;
  const sql = toSql(ast, {
    now: options.now,
    groups: options.resolver,
    paramOffset: options.paramOffset ?? 0,
  });
  return {
    text: `(${sql.text}) AND d.decommissioned_at IS NULL`,
    values: sql.values,
  };
}
