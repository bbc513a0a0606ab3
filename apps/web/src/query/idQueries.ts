import { quoteValue } from './queryBoxLogic.ts';

/** The tag-query language's limit on a query's length (UTF-16 units). */
export const MAX_QUERY_LENGTH = 4_096;

/**
 * Tag queries that together select exactly the devices `ids` names:
 * `id IN ("a", "b")`, split so that none is longer than `maxLength`
 * (4,096 characters by default). An id too long for any query is left
 * out rather than breaking the others. Returns no query for no ids.
 */
export function idQueries(
  ids: readonly string[],
  maxLength = MAX_QUERY_LENGTH,
): string[] {
  const queries: string[] = [];
  let values: string[] = [];
  const print = (list: readonly string[]) => `id IN (${list.join(', ')})`;

  for (const id of ids) {
    const value = quoteValue(id);
    if (print([value]).length > maxLength) continue;

    if (values.length > 0 && print([...values, value]).length > maxLength) {
      queries.push(print(values));
      values = [];
    }
    values.push(value);
  }
  if (values.length > 0) queries.push(print(values));

  return queries;
}
