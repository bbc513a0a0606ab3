/** Helpers that build node locations from token locations. */

import type { Location, QueryNode } from './ast.ts';

/** A copy of just the location fields of `token`. */
export function located(token: Location): Location {
  const { start, end, line, column } = token;
  return { start, end, line, column };
}

/** From the start of `first` to the end of `last` (or of `first`). */
export function join(first: Location, last: Location | undefined): Location {
  return { ...located(first), end: last?.end ?? first.end };
}

/** From the first node's start to the last node's end, when located. */
export function span(nodes: readonly QueryNode[]): Location | undefined {
  const first = nodes[0]?.loc;
  return first ? join(first, nodes.at(-1)?.loc) : undefined;
}
