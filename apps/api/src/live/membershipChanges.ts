import {
  unreachable,
  type DeviceState,
  type OfflineTier,
} from '@rollcall/fleet';
import {
  analyze,
  FIELDS,
  type DeviceTag,
  type FieldPath,
  type GroupResolver,
} from '@rollcall/tag-query';
import type { RegistryEvent } from '../events/registryEvent.ts';

/** A device event that may move a device into or out of a group. */
export type MembershipEvent = Extract<
  RegistryEvent,
  { kind: 'stateChanged' | 'tierChanged' | 'deviceChanged' }
>;

/** Whether `event` may move a device into or out of a group. */
export function isMembershipEvent(
  event: RegistryEvent,
): event is MembershipEvent {
  return (
    event.kind === 'stateChanged' ||
    event.kind === 'tierChanged' ||
    event.kind === 'deviceChanged'
  );
}

/** What a device event may have changed of the facts queries read. */
export type DeviceFactChange =
  | { kind: 'anything' }
  | { kind: 'state'; from: DeviceState; to: DeviceState }
  | { kind: 'tier'; from: OfflineTier | null; to: OfflineTier | null }
  /** Null: any of its tags. */
  | { kind: 'tags'; tags: readonly DeviceTag[] | null }
  | { kind: 'staticGroups' }
  | { kind: 'fields'; fields: readonly FieldPath[] };

/** What a group's membership is decided by, from its definition. */
export interface MembershipInputs {
  /**
   * True when membership can change with no event saying so: relative
   * times and durations move with the clock, and heartbeats rewrite the
   * status fields (last heartbeat, uptime, connectivity) without one.
   * Such a group is rechecked on every event of its devices, and as a
   * whole every `VOLATILE_GROUP_RECHECK_MS` (volatileGroupRecheck.ts).
   */
  isVolatile: boolean;
  /** Tag names, keys and values matched exactly. */
  tags: ReadonlySet<string>;
  tagPrefixes: readonly string[];
  states: ReadonlySet<string>;
  tiers: ReadonlySet<string>;
  fields: ReadonlySet<FieldPath>;
  /** Whether it is, or refers to, a static group. */
  hasStaticGroups: boolean;
}

// Status fields that heartbeats write without an event naming them. The
// state is not one: each of its changes is a stateChanged event.
const VOLATILE_FIELDS: ReadonlySet<FieldPath> = new Set(
  FIELDS.filter(
    (field) => field.column.startsWith('s.') && field.path !== 'status.state',
  ).map((field) => field.path),
);

// What an installed deployment writes (registryVersions.recordInstalled).
const DEPLOYMENT_FIELDS: readonly FieldPath[] = [
  'deployment.current_version',
  'deployment.previous_version',
  'deployment.last_deployed',
  'deployment.deployment_slot',
  'deployment.rollback_version',
  'deployment.rollback_available',
  'metadata.last_updated',
];

// Causes whose transitions write only the status row; the others (sync,
// registration, import) come with record and tag writes of their own.
const STATUS_ONLY_CAUSES: ReadonlySet<string> = new Set([
  'heartbeat',
  'timeout',
  'operator',
]);

/**
 * What `event` may have changed. Anything not known to be narrower is
 * `anything`: registration, decommissioning, record edits, imports, and
 * events of other processes that do not say which tags they changed.
 */
export function factChangeOf(event: MembershipEvent): DeviceFactChange {
  switch (event.kind) {
    case 'stateChanged': {
      const { from, to } = event;
      const isStatusOnly =
        from !== null &&
        STATUS_ONLY_CAUSES.has(event.cause) &&
        from !== 'decommissioned' &&
        to !== 'decommissioned';
      return isStatusOnly ? { kind: 'state', from, to } : { kind: 'anything' };
    }
    case 'tierChanged':
      return { kind: 'tier', from: event.from, to: event.to };
    case 'deviceChanged':
      switch (event.change) {
        case 'tags':
          return { kind: 'tags', tags: event.tags ?? null };
        case 'groups':
          return { kind: 'staticGroups' };
        case 'connectivity':
          return { kind: 'fields', fields: ['status.connectivity'] };
        case 'deployment':
          return { kind: 'fields', fields: DEPLOYMENT_FIELDS };
        default:
          return { kind: 'anything' };
      }
    default:
      return unreachable(event);
  }
}

/**
 * The inputs of group `name`'s membership, following the dynamic groups
 * it refers to; null when `groups` does not know it (deleted, or a saved
 * query that no longer parses), which `groupChanged` reconciles.
 */
export function membershipInputs(
  name: string,
  groups: GroupResolver,
): MembershipInputs | null {
  if (groups(name) === undefined) return null;

  const analysis = analyze({ kind: 'Group', name }, { groups });
  return {
    isVolatile:
      analysis.usesTime ||
      analysis.fields.some((field) => VOLATILE_FIELDS.has(field)),
    tags: new Set(analysis.tags),
    tagPrefixes: analysis.tagPrefixes,
    states: new Set(analysis.states),
    tiers: new Set(analysis.tiers),
    fields: new Set(analysis.fields),
    hasStaticGroups: analysis.groups.some(
      (group) => groups(group)?.membership === 'static',
    ),
  };
}

/**
 * Whether `change` can move a device into or out of a group with these
 * inputs. False only when every fact the change touched is one the
 * group's query does not read, so its answer for the device is the one
 * it was before the change.
 */
export function mayChangeMembership(
  change: DeviceFactChange,
  inputs: MembershipInputs,
): boolean {
  if (inputs.isVolatile) return true;

  switch (change.kind) {
    case 'anything':
      return true;
    case 'state':
      // A query reads a state only as "is one of these": between two
      // states it does not name, its answer cannot differ. Entering or
      // leaving OFFLINE also clears the offline tier.
      return (
        inputs.states.has(change.from) ||
        inputs.states.has(change.to) ||
        (inputs.tiers.size > 0 &&
          (change.from === 'offline' || change.to === 'offline'))
      );
    case 'tier':
      return (
        (change.from !== null && inputs.tiers.has(change.from)) ||
        (change.to !== null && inputs.tiers.has(change.to))
      );
    case 'tags':
      // Tagging moves the record's lastUpdated too (deviceTagging.ts).
      if (inputs.fields.has('metadata.last_updated')) return true;
      if (change.tags === null) {
        return inputs.tags.size > 0 || inputs.tagPrefixes.length > 0;
      }
      return change.tags.some((tag) => readsTag(inputs, tag));
    case 'staticGroups':
      return inputs.hasStaticGroups;
    case 'fields':
      return change.fields.some((field) => inputs.fields.has(field));
    default:
      return unreachable(change);
  }
}

// `tag:NAME` matches a tag's key or its value, `tag:KEY=VALUE` its key
// first: a tag no name, key or prefix of the query matches is unread.
function readsTag(inputs: MembershipInputs, tag: DeviceTag): boolean {
  const parts = tag.value === '' ? [tag.key] : [tag.key, tag.value];
  return parts.some(
    (part) =>
      inputs.tags.has(part) ||
      inputs.tagPrefixes.some((prefix) => part.startsWith(prefix)),
  );
}
