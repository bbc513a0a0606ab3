import type pg from 'pg';
import type { Clock } from '../clock.ts';
import { withTransaction } from '../db/transaction.ts';
import { notFound, RollcallError } from '../errors.ts';
import type { EventBus } from '../events/eventBus.ts';
import {
  deviceTokensRevoked,
  issueDeviceToken,
  revokeDeviceTokens,
} from './deviceTokens.ts';
import type { OperatorRole } from './principal.ts';
import { generateSecret, hashSecret } from './secrets.ts';

/** An API key as the API shows it: never the secret, only its prefix. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: OperatorRole;
  prefix: string;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Management of operator API keys and device tokens. */
export interface CredentialService {
  /** Creates a key; the secret is returned now and never again. */
  createApiKey(
    input: { name: string; role: OperatorRole },
    actor: string,
  ): Promise<{ apiKey: ApiKeyRecord; key: string }>;
  /** Revokes a key at once; refuses to revoke the last admin key. */
  revokeApiKey(id: string, actor: string): Promise<ApiKeyRecord>;
  listApiKeys(options: { includeRevoked: boolean }): Promise<ApiKeyRecord[]>;
  /** Issues a new device token and revokes the old ones atomically. */
  rotateDeviceToken(
    deviceId: string,
    actor: string,
  ): Promise<{ deviceId: string; token: string }>;
}

const KEY_COLUMNS = `id, name, role, prefix, created_at AS "createdAt",
  created_by AS "createdBy", revoked_at AS "revokedAt",
  last_used_at AS "lastUsedAt"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Queryable = Pick<pg.PoolClient, 'query'>;

async function audit(
  client: Queryable,
  entry: {
    actor: string;
    action: string;
    entityType: string;
    entityId: string;
    after: unknown;
    at: Date;
  },
): Promise<void> {
  await client.query(
    `INSERT INTO audit_log (actor, action, entity_type, entity_id, after, at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      entry.actor,
      entry.action,
      entry.entityType,
      entry.entityId,
      JSON.stringify(entry.after),
      entry.at,
    ],
  );
}

/** Builds the credential service over the pool. */
export function createCredentialService(deps: {
  pool: pg.Pool;
  clock: Clock;
  events: Pick<EventBus, 'publish'>;
}): CredentialService {
  const { pool, clock, events } = deps;

  return {
    async createApiKey(input, actor) {
      const key = generateSecret('rc_key');
      const at = clock.now();
      return withTransaction(pool, async (client) => {
        const { rows } = await client.query<ApiKeyRecord>(
          `INSERT INTO api_keys
             (id, name, role, key_hash, prefix, created_at, created_by)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)
           RETURNING ${KEY_COLUMNS}`,
          [
            input.name,
            input.role,
            hashSecret(key),
            key.slice(0, 10),
            at,
            actor,
          ],
        );
        const apiKey = rows[0]!;
        await audit(client, {
          actor,
          action: 'api_key.create',
          entityType: 'api_key',
          entityId: apiKey.id,
          after: {
            name: apiKey.name,
            role: apiKey.role,
            prefix: apiKey.prefix,
          },
          at,
        });
        return { apiKey, key };
      });
    },

    async revokeApiKey(id, actor) {
      if (!UUID.test(id)) throw notFound('API key', id);

      const at = clock.now();
      return withTransaction(pool, async (client) => {
        const { rows } = await client.query<ApiKeyRecord>(
          `SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = $1 FOR UPDATE`,
          [id],
        );
        const existing = rows[0];
        if (!existing) throw notFound('API key', id);
        if (existing.revokedAt) return existing;

        if (existing.role === 'admin') {
          // Serialise admin revocations so two of them cannot both pass
          // the "another admin remains" check.
          await client.query(`SELECT pg_advisory_xact_lock(4242001)`);
          const others = await client.query(
            `SELECT 1 FROM api_keys
             WHERE role = 'admin' AND revoked_at IS NULL AND id <> $1`,
            [id],
          );
          if (!others.rowCount) {
            throw new RollcallError(
              'CONFLICT',
              'This is the last admin key; create another admin key first',
              { id },
            );
          }
        }

        const updated = await client.query<ApiKeyRecord>(
          `UPDATE api_keys SET revoked_at = $2 WHERE id = $1
           RETURNING ${KEY_COLUMNS}`,
          [id, at],
        );
        await audit(client, {
          actor,
          action: 'api_key.revoke',
          entityType: 'api_key',
          entityId: id,
          after: { revokedAt: at.toISOString() },
          at,
        });
        await events.publish(client, [
          {
            kind: 'credentialRevoked',
            credential: 'apiKey',
            ids: [id],
            at: at.toISOString(),
          },
        ]);
        return updated.rows[0]!;
      });
    },

    async listApiKeys({ includeRevoked }) {
      const { rows } = await pool.query<ApiKeyRecord>(
        `SELECT ${KEY_COLUMNS} FROM api_keys
         WHERE $1 OR revoked_at IS NULL
         ORDER BY created_at, name, id`,
        [includeRevoked],
      );
      return rows;
    },

    async rotateDeviceToken(deviceId, actor) {
      const at = clock.now();
      return withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ state: string | null }>(
          `SELECT s.state FROM devices d
           LEFT JOIN device_status s ON s.device_id = d.id
           WHERE d.id = $1 FOR UPDATE OF d`,
          [deviceId],
        );
        const device = rows[0];
        if (!device) throw notFound('Device', deviceId);
        if (device.state === 'decommissioned') {
          throw new RollcallError(
            'DEVICE_DECOMMISSIONED',
            `Device "${deviceId}" is decommissioned and has no credentials`,
            { id: deviceId },
          );
        }

        const revokedTokenIds = await revokeDeviceTokens(client, deviceId, at);
        const { tokenId, token } = await issueDeviceToken(client, deviceId, at);
        await audit(client, {
          actor,
          action: 'device_token.rotate',
          entityType: 'device',
          entityId: deviceId,
          after: { tokenId, revokedTokens: revokedTokenIds.length },
          at,
        });
        await events.publish(client, deviceTokensRevoked(revokedTokenIds, at));
        return { deviceId, token };
      });
    },
  };
}
