/**
 * Semantic version ordering for deployment versions. `2.10.0` is newer than
 * `2.9.1`; a leading `v` is ignored; a pre-release (`2.3.0-rc.1`) sorts
 * before its release. Text that is not a version sorts before every version
 * and compares to other such text lexically, so ordering is always total.
 */

interface ParsedVersion {
  core: number[];
  prerelease: string[] | null;
}

const VERSION_PATTERN =
  /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses `1`, `1.2`, `1.2.3`, `v1.2.3-rc.1+build`; null when not a version. */
export function parseVersion(text: string): ParsedVersion | null {
  const match = VERSION_PATTERN.exec(text.trim());
  if (!match) return null;

  const core = [match[1], match[2], match[3]].map((part) =>
    part === undefined ? 0 : Number(part),
  );
  const prerelease = match[4] === undefined ? null : match[4].split('.');
  return { core, prerelease };
}

/** True when `text` is a semantic version `parseVersion` accepts. */
export function isVersion(text: string): boolean {
  return parseVersion(text) !== null;
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` is older than `b`, positive when newer, 0 when equal. */
export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (!left || !right) {
    if (left) return 1;
    if (right) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  for (let i = 0; i < 3; i += 1) {
    const diff = (left.core[i] ?? 0) - (right.core[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }

  if (!left.prerelease || !right.prerelease) {
    if (left.prerelease) return -1;
    if (right.prerelease) return 1;
    return 0;
  }

  const length = Math.max(left.prerelease.length, right.prerelease.length);
  for (let i = 0; i < length; i += 1) {
    const l = left.prerelease[i];
    const r = right.prerelease[i];
    if (l === undefined) return -1;
    if (r === undefined) return 1;
    const diff = compareIdentifiers(l, r);
    if (diff !== 0) return diff;
  }
  return 0;
}
