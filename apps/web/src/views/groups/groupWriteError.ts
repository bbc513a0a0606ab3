import { GraphqlRequestError } from '../../api/graphqlClient.ts';

/** The fields of a group form an API error can be about. */
export type GroupField = 'name' | 'description' | 'devices';

/** A failed group write, placed beside the field it is about. */
export interface GroupWriteError {
  /** The field to show the error beside; null for the form as a whole. */
  field: GroupField | null;
  message: string;
}

// The API names input fields by their GraphQL input names (ERROR_CODES.md).
const INPUT_FIELDS: ReadonlyMap<string, GroupField> = new Map([
  ['name', 'name'],
  ['description', 'description'],
  ['devices', 'devices'],
  ['deviceIds', 'devices'],
]);

function fieldOf(
  code: string,
  extensions: Record<string, unknown>,
): GroupField | null {
  switch (code) {
    case 'CONFLICT':
      return 'name';
    case 'NOT_FOUND':
      return extensions.kind === 'Device' ? 'devices' : null;
    case 'DEVICE_DECOMMISSIONED':
      return 'devices';
    case 'BAD_USER_INPUT': {
      const field = extensions.field;
      return typeof field === 'string'
        ? (INPUT_FIELDS.get(field) ?? null)
        : null;
    }
    default:
      return null;
  }
}

/**
 * Reads a failed `createGroup` or member change: a duplicate name
 * (CONFLICT) belongs to the name, unknown (NOT_FOUND) or decommissioned
 * device ids to the member list (the message names them), a refused
 * input to its field; anything else (network, FORBIDDEN) to the form.
 */
export function groupWriteErrorOf(error: unknown): GroupWriteError {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof GraphqlRequestError)) {
    return { field: null, message };
  }

  const extensions = error.errors[0]?.extensions ?? {};
  return { field: fieldOf(error.code, extensions), message };
}
