/**
 * Validation at save time. It runs the same binding step as `evaluate` and
 * `toSql`, so a query with no errors here always evaluates and compiles.
 */

import type { QueryNode } from './ast.ts';
import { bind } from './bind.ts';
import type { GroupResolver } from './bound.ts';
import type { TagQueryError } from './errors.ts';
import type { QueryLimits } from './limits.ts';

/** Options of `validate`; `now` is not needed to validate. */
export interface ValidateOptions {
  groups?: GroupResolver;
  limits?: Partial<QueryLimits>;
}

/**
 * Every validation error of `ast`, in text order (empty when valid):
 * unknown fields, states, tiers and groups (with did-you-mean
 * suggestions), operators a field type does not allow, values of the wrong
 * type, group cycles, and expansion past `maxExpandedTerms`
 * (`QUERY_TOO_COMPLEX`).
 */
export function validate(
  ast: QueryNode,
  options: ValidateOptions = {},
): TagQueryError[] {
  return bind(ast, { ...options, now: new Date(0) }).errors;
}

/**
 * Throws the first validation error of `ast`, if any.
 *
 * @throws TagQueryError
 */
export function assertValid(
  ast: QueryNode,
  options: ValidateOptions = {},
): void {
  const [first] = validate(ast, options);
  if (first) throw first;
}
