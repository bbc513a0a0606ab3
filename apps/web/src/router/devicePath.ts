/**
 * The device id a `/devices/<id>` path names, decoded; null for any other
 * path, and for a segment with a malformed escape (`%E0%A4%A`, from a
 * hand-edited or truncated link), on which decodeURIComponent throws:
 * that is a page not found, not a crashed dashboard.
 */
export function deviceIdOfPath(path: string): string | null {
  const segment = /^\/devices\/(.+)$/.exec(path)?.[1];
  if (segment === undefined) return null;

  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
