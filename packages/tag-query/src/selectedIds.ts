/**
 * Which device ids a query can select at all, for deciding cheaply that a
 * device event cannot concern a subscription: a subscription for the 50
 * rows a dashboard shows (`id IN (...)`) should not cost a device read for
 * every heartbeat of the fleet.
 */

import { unreachable } from '@rollcall/fleet';
import type { QueryNode } from './ast.ts';
import { bindOrThrow } from './bind.ts';
import type { BindOptions, BoundNode } from './bound.ts';

/**
 * The ids outside which `ast` selects no device, or null when the query
 * does not restrict ids (only `id = X` and `id IN (...)` do, through AND
 * and through OR when every operand does). A device whose id is not in
 * the set never matches, whatever its other facts; one in it may match.
 *
 * @throws TagQueryError when the query does not validate.
 */
export function selectedIds(
  ast: QueryNode,
  options: BindOptions,
): ReadonlySet<string> | null {
  return idsOf(bindOrThrow(ast, options));
}

function idsOf(node: BoundNode): Set<string> | null {
  switch (node.kind) {
    case 'compare':
      return node.field.path === 'id' &&
        node.operator === '=' &&
        typeof node.value === 'string'
        ? new Set([node.value])
        : null;
    case 'constant':
      return node.value ? null : new Set();
    case 'and': {
      const restricted = node.operands
        .map(idsOf)
        .filter((own): own is Set<string> => own !== null);
      if (restricted.length === 0) return null;

      const [first, ...others] = restricted;
      return new Set(
        [...first!].filter((id) => others.every((own) => own.has(id))),
      );
    }
    case 'or': {
      const ids = new Set<string>();
      for (const operand of node.operands) {
        const own = idsOf(operand);
        if (own === null) return null;
        for (const id of own) ids.add(id);
      }
      return ids;
    }
    case 'not':
    case 'tag':
    case 'state':
    case 'tier':
    case 'staticGroup':
      return null;
    default:
      return unreachable(node);
  }
}
