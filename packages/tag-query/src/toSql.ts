/**
 * The SQL compiler: a query to a parameterised PostgreSQL condition over
 * `devices d JOIN device_status s ON s.device_id = d.id`. Every value is a
 * bind parameter; the text holds only identifiers, operators and
 * placeholders. It selects exactly the devices `evaluate` accepts:
 *
 * - Every term compiles to an expression that is never NULL (nullable
 *   columns are guarded with `IS NOT NULL AND ...`, so NULL AND x is false),
 *   hence `NOT (x)` is the exact complement, as in `evaluate`.
 * - Exact tag terms test `devices.tag_set`, which triggers on device_tags
 *   keep (migration 20261207000000_query_columns): one array test per
 *   device instead of a probe of device_tags per term, and the tag terms of
 *   one AND or one OR share a single test. Prefix terms (`tag:gpu-*`) are
 *   `EXISTS` probes on device_tags.
 * - Versions compare through `rollcall_version_key`, the SQL twin of
 *   `compareVersions` (migration 20261204000100_version_ordering), or a
 *   field's stored sort key (`current_version_key`) where it has one.
 */

import { unreachable } from '@rollcall/fleet';
import type { ComparisonOperator, QueryNode } from './ast.ts';
import { bindOrThrow } from './bind.ts';
import type { BindOptions, BoundNode, BoundValue } from './bound.ts';
import type { FieldDefinition } from './fields.ts';

/** Options of `toSql`. */
export interface SqlOptions extends BindOptions {
  /**
   * How many parameters the caller's own SQL uses before the condition's:
   * the first placeholder is `$(paramOffset + 1)`. Default 0.
   */
  paramOffset?: number;
}

/** A condition and its bind parameters, for `pg`'s `query(text, values)`. */
export interface SqlCondition {
  text: string;
  values: SqlValue[];
}

/** A bind parameter. */
export type SqlValue = string | number | boolean | Date | string[];

/**
 * Compiles `ast` to a boolean SQL condition.
 *
 * @throws TagQueryError the first validation error of `ast`.
 */
export function toSql(ast: QueryNode, options: SqlOptions): SqlCondition {
  const node = bindOrThrow(ast, options);
  const compiler = new SqlCompiler(
    options.paramOffset ?? 0,
    options.now.getTime(),
  );
  const text = compiler.compile(node);
  return { text, values: compiler.values };
}

const SQL_OPERATORS: Readonly<Record<ComparisonOperator, string>> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** `a op b` rewritten as `b flipped(op) a`. */
const FLIPPED: Readonly<Record<ComparisonOperator, ComparisonOperator>> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

type TagNode = Extract<BoundNode, { kind: 'tag' }>;

const TAG_PROBE =
  'EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = d.id AND ';

class SqlCompiler {
  readonly values: SqlValue[] = [];

  constructor(
    private readonly paramOffset: number,
    private readonly nowMs: number,
  ) {}

  compile(node: BoundNode): string {
    switch (node.kind) {
      case 'and':
      case 'or': {
        if (node.operands.length === 0) {
          return node.kind === 'and' ? 'TRUE' : 'FALSE';
        }
        const joiner = node.kind === 'and' ? ' AND ' : ' OR ';
        return `(${this.compileOperands(node.kind, node.operands).join(joiner)})`;
      }
      case 'not':
        return `(NOT ${this.compile(node.operand)})`;
      case 'constant':
        return node.value ? 'TRUE' : 'FALSE';
      case 'tag':
        return this.compileTag(node);
      case 'state':
        return `s.state = ANY(${this.param(node.states)}::device_state[])`;
      case 'tier': {
        const tiers = this.param(node.tiers);
        return (
          '(s.offline_tier IS NOT NULL AND ' +
          `s.offline_tier = ANY(${tiers}::offline_tier[]))`
        );
      }
      case 'staticGroup':
        return (
          'EXISTS (SELECT 1 FROM group_members gm JOIN groups g ' +
          `ON g.id = gm.group_id WHERE g.name = ${this.param(node.name)} ` +
          'AND gm.device_id = d.id)'
        );
      case 'compare':
        return this.compileComparison(node.field, node.operator, node.value);
      default:
        return unreachable(node);
    }
  }

  /**
   * The operands of an AND or an OR, with their exact tag terms in one
   * tag set test (`@>` all of them, `&&` any of them) and, in an OR, their
   * prefix terms in one EXISTS: one semi-join the planner runs once, where
   * an OR of several became a subplan per device.
   */
  private compileOperands(
    kind: 'and' | 'or',
    operands: readonly BoundNode[],
  ): string[] {
    // Grouped first, compiled second, so that parameters are numbered in
    // the order the terms are written.
    const exact: TagNode[] = [];
    const prefixes: TagNode[] = [];
    const parts: (BoundNode | TagNode[])[] = [];
    for (const operand of operands) {
      // A prefix term of an AND stays a probe of its own.
      const group =
        operand.kind !== 'tag' || (operand.isPrefix && kind === 'and')
          ? null
          : operand.isPrefix
            ? prefixes
            : exact;
      if (group === null || operand.kind !== 'tag') {
        parts.push(operand);
        continue;
      }
      if (group.length === 0) parts.push(group);
      group.push(operand);
    }
    return parts.map((part) => {
      if (!Array.isArray(part)) return this.compile(part);
      if (part === prefixes) return this.probe(part);
      return this.tagSetTest(kind === 'and' ? '@>' : '&&', part);
    });
  }

  private compileTag(node: TagNode): string {
    return node.isPrefix ? this.probe([node]) : this.tagSetTest('@>', [node]);
  }

  /** The tag set holds all (`@>`) or any (`&&`) of the terms' elements. */
  private tagSetTest(operator: '@>' | '&&', nodes: readonly TagNode[]) {
    const elements = nodes.map((node) =>
      node.value === null
        ? `rollcall_tag_name(${this.param(node.name)})`
        : `rollcall_tag_pair(${this.param(node.name)}, ` +
          `${this.param(node.value)})`,
    );
    // tag_set is NULL only if written around the triggers: no tags then.
    return `coalesce(d.tag_set ${operator} ARRAY[${elements.join(', ')}], FALSE)`;
  }

  /** Some device_tags row of the device matches one of the terms. */
  private probe(nodes: readonly TagNode[]): string {
    const matches = nodes.map((node) => `(${this.tagMatch(node)})`);
    return `${TAG_PROBE}(${matches.join(' OR ')}))`;
  }

  /** The condition on one device_tags row `t` that a tag term asks for. */
  private tagMatch(node: TagNode): string {
    const last = node.value ?? node.name;
    const wanted = node.isPrefix ? `${escapeLike(last)}%` : last;
    const match = node.isPrefix ? 'LIKE' : '=';
    if (node.value !== null) {
      const key = this.param(node.name);
      return `t.key = ${key} AND t.value ${match} ${this.param(wanted)}`;
    }

    const name = this.param(wanted);
    return `(t.key ${match} ${name} OR t.value ${match} ${name})`;
  }

  private compileComparison(
    field: FieldDefinition,
    operator: ComparisonOperator,
    value: BoundValue,
  ): string {
    const { column } = field;
    const sqlOperator = SQL_OPERATORS[operator];
    let condition: string;
    switch (field.type) {
      case 'string':
        condition = `${column} ${sqlOperator} ${this.param(value)}::text`;
        break;
      case 'integer':
        condition = `${column} ${sqlOperator} ${this.param(value)}::bigint`;
        break;
      case 'boolean':
        condition = `${column} ${sqlOperator} ${this.param(value)}::boolean`;
        break;
      case 'time': {
        const instant = this.param(new Date(Number(value)));
        condition = `${column} ${sqlOperator} ${instant}::timestamptz`;
        break;
      }
      case 'version':
        condition =
          `${field.sortKey ?? `rollcall_version_key(${column})`} ` +
          `${sqlOperator} rollcall_version_key(${this.param(value)}::text)`;
        break;
      case 'duration':
        return this.compileOfflineFor(operator, Number(value));
      case 'state':
        throw new Error('State comparisons are bound to state terms.');
      default:
        return unreachable(field.type);
    }
    return field.isNullable
      ? `(${column} IS NOT NULL AND ${condition})`
      : condition;
  }

  /** `now - offline_since OP d`, i.e. `offline_since FLIP(OP) now - d`. */
  private compileOfflineFor(operator: ComparisonOperator, ms: number): string {
    const state = this.param('offline');
    const since = this.param(new Date(this.nowMs - ms));
    const sqlOperator = SQL_OPERATORS[FLIPPED[operator]];
    return (
      `(s.state = ${state}::device_state AND s.offline_since IS NOT NULL ` +
      `AND s.offline_since ${sqlOperator} ${since}::timestamptz)`
    );
  }

  private param(value: SqlValue): string {
    this.values.push(value);
    return `$${this.paramOffset + this.values.length}`;
  }
}

/** `text` with LIKE's metacharacters `\`, `%` and `_` escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
