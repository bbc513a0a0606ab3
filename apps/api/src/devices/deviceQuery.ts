import {
  analyze,
  parse,
  toSql,
  type GroupDefinition,
  type QueryNode,
} from '@rollcall/tag-query';
import type pg from 'pg';
import { LruCache } from './lruCache.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

// Parsing is pure, so a tree can be shared by every request that sends the
// same text; compiling is not (relative times and groups change), so it
// runs per request.
const PARSE_CACHE_SIZE = 1000;
const parsed = new LruCache<string, QueryNode>(PARSE_CACHE_SIZE);

/**
 * The syntax tree of `text`, from the cache when seen before.
 *
 * @throws TagQueryError for text outside the grammar.
 */
export function parseCached(text: string): QueryNode {
  const cached = parsed.get(text);
  if (cached) return cached;

  const ast = parse(text);
  parsed.set(text, ast);
  return ast;
}

/** A compiled filter: a SQL condition over `d` and `s`, and its values. */
export interface DeviceFilter {
  text: string;
  values: unknown[];
  /**
   * True when the query itself names the decommissioned state or tag, so
   * that it, not the default exclusion, decides about such devices.
   */
  mentionsDecommissioned: boolean;
}

/** True when the query names the decommissioned state or tag anywhere. */
export function mentionsDecommissioned(ast: QueryNode): boolean {
  const analysis = analyze(ast);
  return (
    analysis.states.includes('decommissioned') ||
    analysis.tags.includes('decommissioned')
  );
}

interface GroupRow {
  name: string;
  membership: 'static' | 'dynamic';
  query: string | null;
}

/**
 * Every group, for `group:NAME`. The resolver `toSql` takes is
 * synchronous, so the (small) groups table is read up front, and only
 * when the query names a group. A dynamic group whose saved query no
 * longer parses resolves as unknown, which the compiler reports.
 */
export async function loadGroupResolver(
  db: Queryable,
): Promise<(name: string) => GroupDefinition | undefined> {
  const { rows } = await db.query<GroupRow>(
    'SELECT name, membership, query FROM groups',
  );
  const byName = new Map(rows.map((row) => [row.name, row]));
  return (name) => {
    const row = byName.get(name);
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
 * Compiles a query for the device tables, with its bind parameters
 * numbered from `paramOffset + 1`.
 *
 * @throws TagQueryError for an invalid query.
 */
export async function compileFilter(
  db: Queryable,
  text: string,
  options: { now: Date; paramOffset: number },
): Promise<DeviceFilter> {
  const ast = parseCached(text);
  const groups =
    analyze(ast).groups.length > 0 ? await loadGroupResolver(db) : undefined;
  const sql = toSql(ast, {
    now: options.now,
    groups,
    paramOffset: options.paramOffset,
  });
  return {
    text: sql.text,
    values: sql.values,
    mentionsDecommissioned: mentionsDecommissioned(ast),
  };
}
