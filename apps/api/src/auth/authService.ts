import type pg from 'pg';
import { RollcallError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import {
  roleIncludes,
  type OperatorRole,
  type Principal,
} from './principal.ts';
import { generateSecret, hashSecret } from './secrets.ts';

export interface AuthService {
  /** Resolves a bearer token (API key or device token) to a principal. */
  authenticate(bearer: string | null | undefined): Promise<Principal>;
  /**
   * Makes sure an admin key exists: the configured bootstrap token, or a
   * generated one returned so the caller can show it once.
   */
  bootstrapAdmin(configured: string): Promise<{ generated: string | null }>;
}

export function createAuthService(pool: pg.Pool, logger: Logger): AuthService {
  return {
    async authenticate(bearer) {
      if (!bearer) return { kind: 'anonymous' };
      const hash = hashSecret(bearer);

      // One round trip for both kinds of secret: a device token is the
      // credential of every heartbeat, so a miss on api_keys first would
      // double the look-ups of the busiest path. An operator key wins if a
      // hash were ever in both tables.
      const { rows } = await pool.query<{
        kind: 'operator' | 'device';
        id: string;
        name: string | null;
        role: OperatorRole | null;
        device_id: string | null;
      }>(
        `SELECT 'operator' AS kind, id::text AS id, name, role::text AS role,
                NULL AS device_id
         FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL
         UNION ALL
         SELECT 'device', id::text, NULL, NULL, device_id
         FROM device_tokens WHERE token_hash = $1 AND revoked_at IS NULL
         ORDER BY kind DESC
         LIMIT 1`,
        [hash],
      );
      const found = rows[0];
      if (found?.kind === 'operator') {
        return {
          kind: 'operator',
          keyId: found.id,
          name: found.name!,
          role: found.role!,
        };
      }
      if (found?.kind === 'device') {
        return {
          kind: 'device',
          deviceId: found.device_id!,
          tokenId: found.id,
        };
      }
      throw new RollcallError(
        'UNAUTHENTICATED',
        'The token is unknown or revoked',
      );
    },

    async bootstrapAdmin(configured) {
      if (configured) {
        await pool.query(
          `INSERT INTO api_keys (id, name, role, key_hash, prefix, created_by)
           VALUES (gen_random_uuid(), 'bootstrap-admin', 'admin', $1, $2, 'config')
           ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL`,
          [hashSecret(configured), configured.slice(0, 10)],
        );
        return { generated: null };
      }

      const existing = await pool.query(
        `SELECT 1 FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1`,
      );
      if (existing.rowCount) return { generated: null };

      const secret = generateSecret('rc_key');
      await pool.query(
        `INSERT INTO api_keys (id, name, role, key_hash, prefix, created_by)
         VALUES (gen_random_uuid(), 'bootstrap-admin', 'admin', $1, $2, 'bootstrap')`,
        [hashSecret(secret), secret.slice(0, 10)],
      );
      logger.info('generated the bootstrap admin key');
      return { generated: secret };
    },
  };
}

/** Throws unless the principal is an operator with at least `role`. */
export function requireRole(principal: Principal, role: OperatorRole): void {
  if (principal.kind === 'anonymous') {
    throw new RollcallError(
      'UNAUTHENTICATED',
      'Sign in with an operator API key',
    );
  }
  if (principal.kind !== 'operator' || !roleIncludes(principal.role, role)) {
    throw new RollcallError(
      'FORBIDDEN',
      `This operation needs the ${role} role`,
      {
        requiredRole: role,
      },
    );
  }
}
