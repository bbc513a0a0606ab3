/** The types binding produces and consumes (see `bind.ts`). */

import type { DeviceState, OfflineTier } from '@rollcall/fleet';
import type { ComparisonOperator, QueryNode } from './ast.ts';
import type { FieldDefinition } from './fields.ts';
import type { QueryLimits } from './limits.ts';

/** What a group name refers to; a dynamic group carries its parsed query. */
export type GroupDefinition =
  { membership: 'static' } | { membership: 'dynamic'; query: QueryNode };

/** Looks a group up by name; undefined when there is no such group. */
export type GroupResolver = (name: string) => GroupDefinition | undefined;

/** Options shared by `validate`, `evaluate` and `toSql`. */
export interface BindOptions {
  /** The instant `now` in relative times means. */
  now: Date;
  /** Resolves `group:NAME`; without it every group reference is unknown. */
  groups?: GroupResolver;
  /** Limits on expansion; see `QueryLimits`. */
  limits?: Partial<QueryLimits>;
}

/** A comparison value: text, number (times as epoch ms), or boolean. */
export type BoundValue = string | number | boolean;

/** The resolved tree that `evaluate` and `toSql` walk. */
export type BoundNode =
  | { kind: 'and' | 'or'; operands: BoundNode[] }
  | { kind: 'not'; operand: BoundNode }
  | { kind: 'constant'; value: boolean }
  | { kind: 'tag'; name: string; value: string | null; isPrefix: boolean }
  | { kind: 'state'; states: DeviceState[] }
  | { kind: 'tier'; tiers: OfflineTier[] }
  | { kind: 'staticGroup'; name: string }
  | {
      kind: 'compare';
      field: FieldDefinition;
      operator: ComparisonOperator;
      value: BoundValue;
    };
