/** Formats for times, durations and counts shown across the views. */

/** "3 d 4 h", "12 min", "40 s": the largest two units of a duration. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [name, size] of units) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0 || (parts.length === 0 && size === 1))
      parts.push(`${amount} ${name}`);
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** How long ago `iso` was, relative to `now` (ms); '—' for null. */
export function formatAge(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';

  return `${formatDuration(now - Date.parse(iso))} ago`;
}

/** A date-time in the operator's locale; '—' for null. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';

  return new Date(iso).toLocaleString();
}

/** A count with thousands separators. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** "1 device", "3 devices", "0 entries": a count with its noun agreeing. */
export function formatCountOf(
  value: number,
  singular: string,
  plural = `${singular}s`,
): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}
