/**
 * Rollcall's tag query language: `parse` text to a tree, `print` it back,
 * compose trees, `validate` them, `evaluate` them in memory, compile them
 * with `toSql`, and `analyze` what they refer to. GRAMMAR.md is the
 * language's reference.
 */

export type {
  AndNode,
  ComparisonNode,
  ComparisonOperator,
  GroupNode,
  InNode,
  Location,
  NotNode,
  OrNode,
  QueryNode,
  StatusNode,
  TagNode,
  TermNode,
  TierNode,
  ValueNode,
} from './ast.ts';
export { COMPARISON_OPERATORS, stripLocations } from './ast.ts';
export type { QueryAnalysis } from './analyze.ts';
export { analyze } from './analyze.ts';
export type { BindOptions, GroupDefinition, GroupResolver } from './bound.ts';
export { and, andAll, not, or } from './compose.ts';
export type {
  ErrorPosition,
  TagQueryErrorCode,
  TagQueryErrorOptions,
} from './errors.ts';
export { TagQueryError, isTagQueryError } from './errors.ts';
export type {
  DeviceMatcher,
  DeviceTag,
  FieldValue,
  QueryableDevice,
} from './evaluate.ts';
export { createMatcher, evaluate } from './evaluate.ts';
export type {
  DeviceFieldPath,
  FieldDefinition,
  FieldPath,
  FieldType,
} from './fields.ts';
export { FIELD_ALIASES, FIELD_NAMES, FIELDS, lookupField } from './fields.ts';
export type { QueryLimits } from './limits.ts';
export { DEFAULT_LIMITS } from './limits.ts';
export { selectedIds } from './selectedIds.ts';
export {
  MAX_TAG_LENGTH,
  foldTag,
  isValidTag,
  normalizeTag,
} from './normalize.ts';
export { parse } from './parser.ts';
export { print } from './printer.ts';
export type { SqlCondition, SqlOptions, SqlValue } from './toSql.ts';
export { toSql } from './toSql.ts';
export type { ValidateOptions } from './validate.ts';
export { assertValid, validate } from './validate.ts';
