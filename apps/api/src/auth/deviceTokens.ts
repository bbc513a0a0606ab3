import type pg from 'pg';
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
 * how many were revoked. Authentication reads revoked_at on every request,
 * so the old token fails from the next request on.
 */
export async function revokeDeviceTokens(
  client: Queryable,
  deviceId: string,
  at: Date,
): Promise<number> {
  const result = await client.query(
    `UPDATE device_tokens SET revoked_at = $2
     WHERE device_id = $1 AND revoked_at IS NULL`,
    [deviceId, at],
  );
  return result.rowCount ?? 0;
}
