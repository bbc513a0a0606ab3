/**
 * Bounds on query size. Every limit fails with `QUERY_TOO_COMPLEX` at the
 * position where it was crossed, before any work proportional to the excess
 * is done, so hostile input fails fast.
 */
export interface QueryLimits {
  /** Longest accepted query text, in UTF-16 code units. Default 4096. */
  maxLength: number;
  /**
   * Deepest accepted nesting: each `(` and each `NOT` adds one level.
   * Default 32 levels. Also bounds how deeply dynamic groups may refer to
   * other dynamic groups.
   */
  maxDepth: number;
  /**
   * Most terms in one query: each tag, status, tier, group or comparison
   * counts one, an `IN` list counts its values (at least one). Default 256.
   */
  maxTerms: number;
  /**
   * Most terms after dynamic groups are expanded inline. Default 4096.
   */
  maxExpandedTerms: number;
}

/** The default limits; see `QueryLimits` for units. */
export const DEFAULT_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxLength: 4096,
  maxDepth: 32,
  maxTerms: 256,
  maxExpandedTerms: 4096,
});

/** The defaults overridden by whichever limits `overrides` sets. */
export function resolveLimits(overrides?: Partial<QueryLimits>): QueryLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
