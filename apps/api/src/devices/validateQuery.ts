import {
  print,
  TagQueryError,
  validate,
  type ErrorPosition,
} from '@rollcall/tag-query';
import type pg from 'pg';
import { loadGroupResolver, parseCached } from './deviceQuery.ts';
import { countDevices } from './deviceList.ts';

/** One mistake in a query, as `validateQuery` reports it. */
export interface QueryErrorView {
  code: string;
  message: string;
  position: ErrorPosition;
  expected: string[];
  suggestions: string[];
}

/** `validateQuery`'s answer. */
export interface QueryValidation {
  valid: boolean;
  errors: QueryErrorView[];
  /** The canonical text (`print`), when the query is valid. */
  canonical: string | null;
  /** Devices it selects now (decommissioned ones only if it names them). */
  matchCount: number | null;
}

function view(error: TagQueryError): QueryErrorView {
  return {
    code: error.code,
    message: error.message,
    position: error.position,
    expected: error.expected,
    suggestions: error.suggestions,
  };
}

/**
 * Checks a query the way every other use of it will: parsing, then the
 * same validation `toSql` runs (against the groups saved now), reporting
 * every validation error rather than the first. A valid query also gets
 * its canonical text and the number of devices it selects now.
 */
export async function validateQuery(
  pool: pg.Pool,
  text: string,
  now: Date,
): Promise<QueryValidation> {
  const invalid = (errors: TagQueryError[]): QueryValidation => ({
    valid: false,
    errors: errors.map(view),
    canonical: null,
    matchCount: null,
  });

  let ast;
  try {
    ast = parseCached(text);
  } catch (error) {
    if (error instanceof TagQueryError) return invalid([error]);
    throw error;
  }

  const errors = validate(ast, { groups: await loadGroupResolver(pool) });
  if (errors.length > 0) return invalid(errors);

  return {
    valid: true,
    errors: [],
    canonical: print(ast),
    matchCount: await countDevices(pool, text, now),
  };
}
