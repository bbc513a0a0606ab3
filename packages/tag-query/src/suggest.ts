/**
 * Did-you-mean: the options closest to what the user typed, by edit
 * distance, best first. An option whose last dotted segment equals the input
 * (`ram_mb` for `hardware.ram_mb`), and one the input is a prefix of, rank
 * first.
 */
export function suggestionList(
  input: string,
  options: readonly string[],
): string[] {
  const scored: { option: string; distance: number }[] = [];
  const threshold = Math.floor(input.length * 0.4) + 1;

  for (const option of options) {
    const lastSegment = option.slice(option.lastIndexOf('.') + 1);
    const isCompletion = lastSegment === input || option.startsWith(input);
    const distance = isCompletion ? 0 : editDistance(input, option, threshold);
    if (distance <= threshold) scored.push({ option, distance });
  }

  scored.sort(
    (a, b) =>
      a.distance - b.distance ||
      (a.option < b.option ? -1 : a.option > b.option ? 1 : 0),
  );
  return scored.slice(0, 5).map((entry) => entry.option);
}

/**
 * Levenshtein distance with adjacent transpositions counted as one edit,
 * giving up (returning `limit + 1`) once it must exceed `limit`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;

  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
