/** An operator key's role, lower case as in the rest of Rollcall. */
export type OperatorRole = 'viewer' | 'operator' | 'admin';

const ORDER: readonly OperatorRole[] = ['viewer', 'operator', 'admin'];

/** True when `role` has every right of `required` (admin > operator > viewer). */
export function roleIncludes(
  role: OperatorRole | null,
  required: OperatorRole,
): boolean {
  if (role === null) return false;

  return ORDER.indexOf(role) >= ORDER.indexOf(required);
}

/** Reads the GraphQL enum value (VIEWER...) as a role; unknown gives null. */
export function parseRole(value: unknown): OperatorRole | null {
  const lower = typeof value === 'string' ? value.toLowerCase() : '';
  return (ORDER as readonly string[]).includes(lower)
    ? (lower as OperatorRole)
    : null;
}
