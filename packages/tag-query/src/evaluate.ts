/**
 * In-memory evaluation: whether one device matches a query. It walks the
 * same bound tree as `toSql`, with the same meaning: a comparison on a
 * missing (null) field is false, and `NOT` of it is true.
 */

import type { DeviceState, OfflineTier } from '@rollcall/fleet';
import { compareVersions, unreachable } from '@rollcall/fleet';
import type { ComparisonOperator, QueryNode } from './ast.ts';
import { bindOrThrow } from './bind.ts';
import type { BindOptions, BoundNode, BoundValue } from './bound.ts';
import type { DeviceFieldPath, FieldDefinition } from './fields.ts';

/** A value of the record; null (or absent) when the device has none. */
export type FieldValue = string | number | boolean | Date | null;

/** A tag as stored: a plain tag has `value` ''; both parts normalised. */
export interface DeviceTag {
  key: string;
  value: string;
}

/**
 * A device as the evaluator sees it.
 *
 * - `state`, `offlineTier`, `offlineSince`: from device_status.
 * - `tags`: plain tags (`{ key: 'gpu-capable', value: '' }`) and key/value
 *   tags (`{ key: 'region', value: 'factory-a' }`), normalised with
 *   `normalizeTag`.
 * - `staticGroups`: names of the static groups listing the device.
 * - `fields`: record values by catalogue path (`fields.ts`), typed as the
 *   catalogue says: strings, integers as numbers, booleans, times as
 *   `Date`, versions as their text. `id`, `status.state` and `offline_for`
 *   come from the properties above instead.
 */
export interface QueryableDevice {
  id: string;
  state: DeviceState;
  offlineTier: OfflineTier | null;
  offlineSince: Date | null;
  tags: readonly DeviceTag[];
  staticGroups: readonly string[];
  fields: Readonly<Partial<Record<DeviceFieldPath, FieldValue>>>;
}

/** A compiled query: true when the device matches. */
export type DeviceMatcher = (device: QueryableDevice) => boolean;

/**
 * Compiles `ast` once for evaluating many devices.
 *
 * @throws TagQueryError the first validation error of `ast`.
 */
export function createMatcher(
  ast: QueryNode,
  options: BindOptions,
): DeviceMatcher {
  const node = bindOrThrow(ast, options);
  const nowMs = options.now.getTime();
  return (device) => matches(node, device, nowMs);
}

/**
 * Whether `device` matches `ast`, at `options.now`, with `options.groups`
 * resolving group references.
 *
 * @throws TagQueryError the first validation error of `ast`.
 */
export function evaluate(
  ast: QueryNode,
  device: QueryableDevice,
  options: BindOptions,
): boolean {
  return createMatcher(ast, options)(device);
}

function matches(
  node: BoundNode,
  device: QueryableDevice,
  nowMs: number,
): boolean {
  switch (node.kind) {
    case 'and':
      return node.operands.every((operand) => matches(operand, device, nowMs));
    case 'or':
      return node.operands.some((operand) => matches(operand, device, nowMs));
    case 'not':
      return !matches(node.operand, device, nowMs);
    case 'constant':
      return node.value;
    case 'tag':
      return device.tags.some((tag) => matchesTag(node, tag));
    case 'state':
      return node.states.includes(device.state);
    case 'tier':
      return (
        device.offlineTier !== null && node.tiers.includes(device.offlineTier)
      );
    case 'staticGroup':
      return device.staticGroups.includes(node.name);
    case 'compare': {
      const actual = readField(node.field, device, nowMs);
      if (actual === null) return false;

      const order = compareValues(node.field, actual, node.value);
      return holds(node.operator, order);
    }
    default:
      return unreachable(node);
  }
}

function matchesTag(
  node: Extract<BoundNode, { kind: 'tag' }>,
  tag: DeviceTag,
): boolean {
  const same = (actual: string, wanted: string) =>
    node.isPrefix ? actual.startsWith(wanted) : actual === wanted;
  if (node.value !== null) {
    return tag.key === node.name && same(tag.value, node.value);
  }
  return same(tag.key, node.name) || same(tag.value, node.name);
}

/** The field's value for the device, normalised to string/number/boolean. */
function readField(
  field: FieldDefinition,
  device: QueryableDevice,
  nowMs: number,
): BoundValue | null {
  switch (field.path) {
    case 'id':
      return device.id;
    case 'status.state':
      return device.state;
    case 'offline_for':
      return device.state === 'offline' && device.offlineSince !== null
        ? nowMs - device.offlineSince.getTime()
        : null;
    default: {
      const value = device.fields[field.path] ?? null;
      return value instanceof Date ? value.getTime() : value;
    }
  }
}

function compareValues(
  field: FieldDefinition,
  actual: BoundValue,
  wanted: BoundValue,
): number {
  if (typeof actual !== typeof wanted) {
    throw new TypeError(
      `Device field ${field.path} holds a ${typeof actual}; the catalogue ` +
        `type ${field.type} needs a ${typeof wanted}.`,
    );
  }

  if (field.type === 'version') {
    return compareVersions(String(actual), String(wanted));
  }
  if (actual === wanted) return 0;
  return actual < wanted ? -1 : 1;
}

function holds(operator: ComparisonOperator, order: number): boolean {
  switch (operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default:
      return unreachable(operator);
  }
}
