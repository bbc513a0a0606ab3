import type pg from 'pg';
import type { RegistryEvent } from '../events/registryEvent.ts';
import { generateSecret, hashSecret } from './secrets.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Issues a new device token inside the caller's transaction and returns
 * the secret, the only time it exists outside a hash.
 */
export async function issueDeviceToken(
  client: Queryable,
  deviceId: string,
  at: Date,
): Promise<{ tokenId: string; token: string }> {
  const token = generateSecret('rc_dev');
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO device_tokens (id, device_id, token_hash, created_at)
     VALUES (gen_random_uuid(), $1, $2, $3)
     RETURNING id`,
    [deviceId, hashSecret(token), at],
  );
  return { tokenId: rows[0]!.id, token };
}

/**
 * Revokes every live token of a device (rotation, decommission); returns
 * the revoked tokens' ids. Authentication reads revoked_at on every
 * request, so the old token fails from the next request on; the caller
 * publishes `credentialRevoked` so that open WebSockets close as well.
 */
export async function revokeDeviceTokens(
  client: Queryable,
  deviceId: string,
  at: Date,
): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `UPDATE device_tokens SET revoked_at = $2
     WHERE device_id = $1 AND revoked_at IS NULL
     RETURNING id`,
    [deviceId, at],
  );
  return rows.map((row) => row.id);
}

/** The event that announces the revocation of `tokenIds` (none: none). */
export function deviceTokensRevoked(
  tokenIds: string[],
  at: Date,
): RegistryEvent[] {
  if (tokenIds.length === 0) return [];
  return [
    {
      kind: 'credentialRevoked',
      credential: 'deviceToken',
      ids: tokenIds,
      at: at.toISOString(),
    },
  ];
}
