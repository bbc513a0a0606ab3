/**
 * Composition at the tree level. Combining trees, never texts, keeps each
 * query's meaning: `and(parse('tag:a OR tag:b'), parse('status:healthy'))`
 * is `(tag:a OR tag:b) AND status:healthy`, whatever the texts were.
 */

import type { QueryNode } from './ast.ts';

/** Devices both `left` and `right` select. Flattens nested ANDs. */
export function and(left: QueryNode, right: QueryNode): QueryNode {
  return {
    kind: 'And',
    operands: [...operandsOf(left, 'And'), ...operandsOf(right, 'And')],
  };
}

/** Devices `left` or `right` selects. Flattens nested ORs. */
export function or(left: QueryNode, right: QueryNode): QueryNode {
  return {
    kind: 'Or',
    operands: [...operandsOf(left, 'Or'), ...operandsOf(right, 'Or')],
  };
}

/** Devices `operand` does not select. */
export function not(operand: QueryNode): QueryNode {
  return { kind: 'Not', operand };
}

/**
 * All of `queries` ANDed; null for an empty list (callers decide whether
 * no filter means every device).
 */
export function andAll(queries: readonly QueryNode[]): QueryNode | null {
  const [first, ...rest] = queries;
  if (first === undefined) return null;

  return rest.reduce<QueryNode>((all, query) => and(all, query), first);
}

function operandsOf(node: QueryNode, kind: 'And' | 'Or'): QueryNode[] {
  return node.kind === kind ? node.operands : [node];
}
