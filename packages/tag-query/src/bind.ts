/**
 * Binding: the one step between a syntax tree and its use. It resolves
 * fields, states, tiers, literals and groups (expanding dynamic groups
 * inline), and collects every validation error. `validate` reports the
 * errors; `evaluate` and `toSql` refuse a tree that has any. So a query
 * that validates always evaluates, and both backends see the same tree.
 */

import type { DeviceState, OfflineTier } from '@rollcall/fleet';
import { DEVICE_STATES, OFFLINE_TIERS, unreachable } from '@rollcall/fleet';
import type { Location, QueryNode } from './ast.ts';
import type { BindOptions, BoundNode, BoundValue } from './bound.ts';
import type { TagQueryErrorCode, TagQueryErrorOptions } from './errors.ts';
import { TagQueryError, positionOf, quote } from './errors.ts';
import type { FieldDefinition } from './fields.ts';
import { FIELD_NAMES, lookupField, operatorsFor } from './fields.ts';
import type { QueryLimits } from './limits.ts';
import { resolveLimits } from './limits.ts';
import type { Literal } from './literals.ts';
import { isProblem, parseLiteral, parseState } from './literals.ts';
import { asciiLowercase, foldTag, tagProblem } from './normalize.ts';
import { suggestionList } from './suggest.ts';

/** The bound tree and every error found; the tree is unusable if any. */
export function bind(
  ast: QueryNode,
  options: BindOptions,
): { node: BoundNode; errors: TagQueryError[] } {
  const binder = new Binder(options);
  try {
    return { node: binder.bindNode(ast), errors: binder.errors };
  } catch (error) {
    // Too complex: expansion stops at once rather than grow further.
    if (!(error instanceof TagQueryError)) throw error;
    return { node: NOTHING, errors: [...binder.errors, error] };
  }
}

/**
 * The bound tree of a valid query.
 *
 * @throws TagQueryError the first validation error, if any.
 */
export function bindOrThrow(ast: QueryNode, options: BindOptions): BoundNode {
  const { node, errors } = bind(ast, options);
  if (errors[0]) throw errors[0];

  return node;
}

/** A name to look up, with where it was written. */
interface Named {
  text: string;
  loc: Location | undefined;
}

const NOTHING: BoundNode = { kind: 'constant', value: false };

class Binder {
  readonly errors: TagQueryError[] = [];
  private readonly limits: QueryLimits;
  private readonly stack: string[] = [];
  private anchor: { loc: Location | undefined; group: string } | null = null;
  private terms = 0;

  constructor(private readonly options: BindOptions) {
    this.limits = resolveLimits(options.limits);
  }

  bindNode(node: QueryNode): BoundNode {
    switch (node.kind) {
      case 'And':
      case 'Or': {
        const operands = node.operands.map((operand) => this.bindNode(operand));
        return { kind: node.kind === 'And' ? 'and' : 'or', operands };
      }
      case 'Not':
        return { kind: 'not', operand: this.bindNode(node.operand) };
      case 'Tag':
        this.countTerm(node.loc);
        return this.bindTag(node.name, node.value, node.isPrefix, node.loc);
      case 'Status':
        this.countTerm(node.loc);
        return this.bindStates([
          { text: node.state, loc: node.valueLoc ?? node.loc },
        ]);
      case 'Tier':
        this.countTerm(node.loc);
        return this.bindTiers([
          { text: node.tier, loc: node.valueLoc ?? node.loc },
        ]);
      case 'Group':
        this.countTerm(node.loc);
        return this.bindGroup(node.name, node.valueLoc ?? node.loc);
      case 'Comparison':
        this.countTerm(node.loc);
        return this.bindComparison(node);
      case 'In':
        this.countTerm(node.loc);
        return this.bindIn(node);
      default:
        return unreachable(node);
    }
  }

  private bindTag(
    name: string,
    value: string | null,
    isPrefix: boolean,
    loc: Location | undefined,
  ): BoundNode {
    const parts = value === null ? [name] : [name, value];
    for (const [index, part] of parts.entries()) {
      const isLast = index === parts.length - 1;
      const problem =
        foldTag(part) === part
          ? tagProblem(part, isPrefix && isLast)
          : 'a tag must be normalised (normalizeTag)';
      if (problem !== null) {
        this.fail('QUERY_VALIDATION_ERROR', `Invalid tag: ${problem}.`, loc);
        return NOTHING;
      }
    }
    return { kind: 'tag', name, value, isPrefix };
  }

  private bindStates(items: Named[]): BoundNode {
    const states: DeviceState[] = [];
    for (const { text, loc } of items) {
      const literal = parseState(text);
      if (isProblem(literal)) {
        this.fail('QUERY_VALIDATION_ERROR', `${literal.message}.`, loc, {
          expected: [...DEVICE_STATES],
          suggestions: literal.suggestions,
        });
        return NOTHING;
      }
      states.push(literal.value as DeviceState);
    }
    return { kind: 'state', states };
  }

  private bindTiers(items: Named[]): BoundNode {
    const tiers: OfflineTier[] = [];
    for (const { text, loc } of items) {
      const tier = OFFLINE_TIERS.find((known) => known === text);
      if (tier === undefined) {
        this.fail(
          'QUERY_VALIDATION_ERROR',
          `${quote(text)} is not an offline tier (${OFFLINE_TIERS.join(', ')}).`,
          loc,
          {
            expected: [...OFFLINE_TIERS],
            suggestions: suggestionList(text, OFFLINE_TIERS),
          },
        );
        return NOTHING;
      }
      tiers.push(tier);
    }
    return { kind: 'tier', tiers };
  }

  private bindGroup(name: string, loc: Location | undefined): BoundNode {
    const group = this.options.groups?.(name);
    if (group === undefined) {
      this.fail('QUERY_VALIDATION_ERROR', `Unknown group ${quote(name)}.`, loc);
      return NOTHING;
    }

    if (group.membership === 'static') return { kind: 'staticGroup', name };

    if (this.stack.includes(name)) {
      const cycle = [...this.stack.slice(this.stack.indexOf(name)), name];
      this.fail(
        'QUERY_VALIDATION_ERROR',
        `Group cycle: ${cycle.map((g) => quote(g)).join(' -> ')}.`,
        loc,
      );
      return NOTHING;
    }

    if (this.stack.length >= this.limits.maxDepth) {
      this.fail(
        'QUERY_TOO_COMPLEX',
        `Groups refer to groups more than ${this.limits.maxDepth} deep.`,
        loc,
      );
      return NOTHING;
    }

    const outerAnchor = this.anchor;
    this.anchor ??= { loc, group: name };
    this.stack.push(name);
    const node = this.bindNode(group.query);
    this.stack.pop();
    this.anchor = outerAnchor;
    return node;
  }

  private bindComparison(
    node: Extract<QueryNode, { kind: 'Comparison' }>,
  ): BoundNode {
    const field = this.bindField(node.field, node.fieldLoc ?? node.loc);
    if (field === null) return NOTHING;

    if (!operatorsFor(field.type).includes(node.operator)) {
      const allowed = operatorsFor(field.type);
      this.fail(
        'QUERY_VALIDATION_ERROR',
        `Operator ${node.operator} does not apply to ${field.type} field ` +
          `${node.field}; use ${allowed.join(' or ')}.`,
        node.operatorLoc ?? node.loc,
        { expected: [...allowed] },
      );
      return NOTHING;
    }

    const value = this.bindLiteral(field, node.value.text, node.value.loc);
    if (value === null) return NOTHING;

    if (field.type === 'state') {
      const states: BoundNode = {
        kind: 'state',
        states: [value as DeviceState],
      };
      return node.operator === '=' ? states : { kind: 'not', operand: states };
    }
    return { kind: 'compare', field, operator: node.operator, value };
  }

  private bindIn(node: Extract<QueryNode, { kind: 'In' }>): BoundNode {
    const loc = node.subjectLoc ?? node.loc;
    const named = node.values.map((value) => ({
      text: asciiLowercase(value.text),
      loc: value.loc ?? loc,
    }));
    if (node.values.length === 0) {
      if (!['status', 'tier'].includes(node.subject)) {
        this.bindField(node.subject, loc);
      }
      return NOTHING;
    }

    if (node.subject === 'status') {
      return this.bindStates(named);
    }
    if (node.subject === 'tier') {
      return this.bindTiers(named);
    }

    const operands = node.values.map((value): BoundNode =>
      this.bindComparison({
        kind: 'Comparison',
        field: node.subject,
        operator: '=',
        value,
        fieldLoc: loc,
      }),
    );
    return operands.length === 1 && operands[0]
      ? operands[0]
      : { kind: 'or', operands };
  }

  private bindField(
    name: string,
    loc: Location | undefined,
  ): FieldDefinition | null {
    const field = lookupField(name);
    if (field !== undefined) return field;

    this.fail('QUERY_VALIDATION_ERROR', `Unknown field ${quote(name)}.`, loc, {
      expected: [...FIELD_NAMES],
      suggestions: suggestionList(name, FIELD_NAMES),
    });
    return null;
  }

  private bindLiteral(
    field: FieldDefinition,
    text: string,
    loc: Location | undefined,
  ): BoundValue | null {
    const literal = parseLiteral(field.type, text);
    if (isProblem(literal)) {
      this.fail(
        'QUERY_VALIDATION_ERROR',
        `Field ${field.path} needs ${article(field.type)} ${field.type}: ` +
          `${literal.message}.`,
        loc,
        { suggestions: literal.suggestions },
      );
      return null;
    }
    return this.valueOf(literal);
  }

  private valueOf(literal: Literal): BoundValue {
    if (literal.type !== 'time') return literal.value;

    const time = literal.value;
    if (time.kind === 'absolute') return time.epochMs;
    return this.options.now.getTime() + time.offsetMs;
  }

  private countTerm(loc: Location | undefined): void {
    this.terms += 1;
    if (this.terms > this.limits.maxExpandedTerms) {
      throw this.error(
        'QUERY_TOO_COMPLEX',
        `Query has more than ${this.limits.maxExpandedTerms} terms once ` +
          'its groups are expanded.',
        loc,
      );
    }
  }

  private fail(
    code: TagQueryErrorCode,
    message: string,
    loc: Location | undefined,
    options: TagQueryErrorOptions = {},
  ): void {
    this.errors.push(this.error(code, message, loc, options));
  }

  private error(
    code: TagQueryErrorCode,
    message: string,
    loc: Location | undefined,
    options: TagQueryErrorOptions = {},
  ): TagQueryError {
    const anchor = this.anchor;
    const text = anchor
      ? `In group ${quote(anchor.group)}: ${message}`
      : message;
    const position = positionOf(anchor ? anchor.loc : loc);
    return new TagQueryError(code, text, position, options);
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
