/**
 * What a query refers to, for autocomplete and for deciding which
 * subscriptions an event concerns.
 */

import { DEVICE_STATES, OFFLINE_TIERS, unreachable } from '@rollcall/fleet';
import type { QueryNode } from './ast.ts';
import type { GroupResolver } from './bound.ts';
import type { FieldPath } from './fields.ts';
import { lookupField } from './fields.ts';
import { parseLiteral } from './literals.ts';
import { asciiLowercase } from './normalize.ts';

/** Sorted, de-duplicated references of a query. */
export interface QueryAnalysis {
  /** Tag names, keys and values matched exactly. */
  tags: string[];
  /** Tag prefixes of `tag:PREFIX*` and `tag:KEY=PREFIX*`. */
  tagPrefixes: string[];
  /** Catalogue paths compared (aliases resolved); `status.state` too. */
  fields: FieldPath[];
  /** Device states named by `status:`, `status IN` or `status.state`. */
  states: string[];
  /** Offline tiers named by `tier:` or `tier IN`. */
  tiers: string[];
  /** Group names referenced. */
  groups: string[];
  /** True when the result depends on the clock (relative times, durations). */
  usesTime: boolean;
}

/**
 * The references of `ast`. With `groups`, dynamic groups are looked into
 * too (each group once, so cycles end), and their references included.
 * Unknown names are reported as written: analysis never throws.
 */
export function analyze(
  ast: QueryNode,
  options: { groups?: GroupResolver } = {},
): QueryAnalysis {
  const sets = {
    tags: new Set<string>(),
    tagPrefixes: new Set<string>(),
    fields: new Set<FieldPath>(),
    states: new Set<string>(),
    tiers: new Set<string>(),
    groups: new Set<string>(),
  };
  let usesTime = false;
  const pending: QueryNode[] = [ast];

  for (let node = pending.pop(); node; node = pending.pop()) {
    switch (node.kind) {
      case 'And':
      case 'Or':
        pending.push(...node.operands);
        break;
      case 'Not':
        pending.push(node.operand);
        break;
      case 'Tag': {
        const exact = node.value === null ? [] : [node.name];
        const last = node.value ?? node.name;
        (node.isPrefix ? sets.tagPrefixes : sets.tags).add(last);
        for (const name of exact) sets.tags.add(name);
        break;
      }
      case 'Status':
        sets.states.add(node.state);
        break;
      case 'Tier':
        sets.tiers.add(node.tier);
        break;
      case 'Group': {
        if (sets.groups.has(node.name)) break;

        sets.groups.add(node.name);
        const group = options.groups?.(node.name);
        if (group?.membership === 'dynamic') pending.push(group.query);
        break;
      }
      case 'Comparison':
      case 'In': {
        const name = node.kind === 'In' ? node.subject : node.field;
        const values = node.kind === 'In' ? node.values : [node.value];
        const texts = values.map((value) => value.text);
        if (node.kind === 'In' && name === 'status') {
          for (const text of texts) sets.states.add(asciiLowercase(text));
          break;
        }
        if (node.kind === 'In' && name === 'tier') {
          for (const text of texts) sets.tiers.add(asciiLowercase(text));
          break;
        }

        const field = lookupField(name);
        if (field === undefined) break;

        sets.fields.add(field.path);
        if (field.type === 'state') {
          for (const text of texts) sets.states.add(asciiLowercase(text));
        }
        usesTime ||=
          field.type === 'duration' || texts.some(isRelative(field.type));
        break;
      }
      default:
        unreachable(node);
    }
  }

  const sorted = <T extends string>(set: Set<T>): T[] => [...set].sort();
  return {
    tags: sorted(sets.tags),
    tagPrefixes: sorted(sets.tagPrefixes),
    fields: sorted(sets.fields),
    states: sortBy(sets.states, DEVICE_STATES),
    tiers: sortBy(sets.tiers, OFFLINE_TIERS),
    groups: sorted(sets.groups),
    usesTime,
  };
}

function isRelative(type: string): (text: string) => boolean {
  return (text) => {
    if (type !== 'time') return false;

    const literal = parseLiteral('time', text);
    return 'type' in literal && literal.type === 'time'
      ? literal.value.kind === 'relative'
      : false;
  };
}

/** Known names in vocabulary order, then unknown ones alphabetically. */
function sortBy(set: Set<string>, order: readonly string[]): string[] {
  const rank = (name: string) => {
    const index = order.indexOf(name);
    return index === -1 ? order.length : index;
  };
  return [...set].sort(
    (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
}
