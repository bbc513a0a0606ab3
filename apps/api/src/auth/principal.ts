/** Who is making a request, decided once per request or WebSocket. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'operator'; keyId: string; name: string; role: OperatorRole }
  | { kind: 'device'; deviceId: string; tokenId: string };

export const OPERATOR_ROLES = ['viewer', 'operator', 'admin'] as const;

export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** True when `role` includes every right of `required`. */
export function roleIncludes(role: OperatorRole, required: OperatorRole) {
  return OPERATOR_ROLES.indexOf(role) >= OPERATOR_ROLES.indexOf(required);
}

/** The name recorded as actor in transitions and audit entries. */
export function actorName(principal: Principal): string {
  switch (principal.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'operator':
      return `operator:${principal.name}`;
    case 'device':
      return `device:${principal.deviceId}`;
  }
}
