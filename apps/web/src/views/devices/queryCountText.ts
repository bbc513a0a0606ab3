/**
 * The match-count line: a count, "All devices", or, while the typed query
 * is in error, what the table still shows (an invalid query from a link
 * leaves every device listed, which must not pass for its result).
 */
export function describeCount(state: {
  isFailed: boolean;
  hasError: boolean;
  isBlank: boolean;
  matchCount: number | null;
  /** The query the table shows ('' for every device). */
  applied: string;
}): string {
  if (state.isFailed) return 'Could not count';
  if (state.hasError) {
    return state.applied === ''
      ? 'Showing all devices until the query is fixed'
      : `Showing ${state.applied} until the query is fixed`;
  }
  if (state.isBlank) return 'All devices';
  if (state.matchCount === null) return 'Counting…';

  return `${state.matchCount.toLocaleString('en-US')} matching`;
}
