/**
 * The typed syntax tree of a tag query. The parser produces it, the printer
 * turns it back into canonical text, and `validate`, `evaluate`, `toSql`
 * and `analyze` read it. Nodes are plain data: build them by hand, with
 * `compose.ts`, or by parsing.
 *
 * Names that the language treats case-insensitively (prefixes, states,
 * tiers, field paths) are stored ASCII-lowercased, and tags are stored
 * normalised, so equal meanings have equal trees.
 */

/**
 * Where a node came from in the text it was parsed from: `start` and `end`
 * are 0-based UTF-16 offsets (end exclusive), `line` and `column` 1-based.
 * Absent on nodes built by hand.
 */
export interface Location {
  start: number;
  end: number;
  line: number;
  column: number;
}

/** Comparison operators of field comparisons. */
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Every comparison operator, in the order the grammar lists them. */
export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
];

/** `a AND b AND ...`: at least two operands, all of which must match. */
export interface AndNode {
  kind: 'And';
  operands: QueryNode[];
  loc?: Location;
}

/** `a OR b OR ...`: at least two operands, one of which must match. */
export interface OrNode {
  kind: 'Or';
  operands: QueryNode[];
  loc?: Location;
}

/** `NOT a`: the devices `a` does not select. */
export interface NotNode {
  kind: 'Not';
  operand: QueryNode;
  loc?: Location;
}

/**
 * `tag:NAME`, `tag:KEY=VALUE`, `tag:PREFIX*` or `tag:KEY=PREFIX*`. With
 * `value` null, `name` matches a tag's key or its value; otherwise `name`
 * is the key and `value` the value. `isPrefix` makes the last part a
 * prefix. Both parts are normalised tags (`normalize.ts`); a prefix may be
 * empty.
 */
export interface TagNode {
  kind: 'Tag';
  name: string;
  value: string | null;
  isPrefix: boolean;
  loc?: Location;
}

/** `status:STATE`: the device's current state is `state`. */
export interface StatusNode {
  kind: 'Status';
  state: string;
  loc?: Location;
  valueLoc?: Location;
}

/** `tier:TIER`: the device's offline escalation tier is `tier`. */
export interface TierNode {
  kind: 'Tier';
  tier: string;
  loc?: Location;
  valueLoc?: Location;
}

/** `group:NAME`: membership of the static or dynamic group `name`. */
export interface GroupNode {
  kind: 'Group';
  name: string;
  loc?: Location;
  valueLoc?: Location;
}

/** A literal value as written (quotes removed, escapes resolved). */
export interface ValueNode {
  kind: 'Value';
  text: string;
  loc?: Location;
}

/** `FIELD OP VALUE`, e.g. `hardware.ram_mb >= 4096`. */
export interface ComparisonNode {
  kind: 'Comparison';
  field: string;
  operator: ComparisonOperator;
  value: ValueNode;
  loc?: Location;
  fieldLoc?: Location;
  operatorLoc?: Location;
}

/**
 * `status IN (...)`, `tier IN (...)` or `FIELD IN (...)`: the subject equals
 * one of the values. An empty list selects nothing.
 */
export interface InNode {
  kind: 'In';
  subject: string;
  values: ValueNode[];
  loc?: Location;
  subjectLoc?: Location;
}

/** Any node of a query. */
export type QueryNode =
  | AndNode
  | OrNode
  | NotNode
  | TagNode
  | StatusNode
  | TierNode
  | GroupNode
  | ComparisonNode
  | InNode;

/** The kinds of node that select devices directly (no operands). */
export type TermNode = Exclude<QueryNode, AndNode | OrNode | NotNode>;

const LOCATION_KEYS = new Set([
  'loc',
  'valueLoc',
  'fieldLoc',
  'operatorLoc',
  'subjectLoc',
]);

/**
 * A deep copy of `node` without any location, for comparing trees by
 * meaning: `stripLocations(parse(print(ast)))` deep-equals
 * `stripLocations(ast)`.
 */
export function stripLocations<T extends QueryNode | ValueNode>(node: T): T {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (LOCATION_KEYS.has(key)) continue;

    if (Array.isArray(value)) {
      copy[key] = value.map((item: QueryNode | ValueNode) =>
        stripLocations(item),
      );
    } else if (typeof value === 'object' && value !== null) {
      copy[key] = stripLocations(value as QueryNode | ValueNode);
    } else {
      copy[key] = value;
    }
  }
  return copy as T;
}
