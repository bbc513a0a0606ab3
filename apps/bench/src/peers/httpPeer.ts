import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { sha256Hex } from '../fixtures.ts';
import { writeHeartbeats, type PeerHeartbeat } from './heartbeatWrites.ts';

interface PeerBody {
  query?: string;
  variables?: { input?: PeerHeartbeat; inputs?: PeerHeartbeat[] };
}

/** A running peer server. */
export interface HttpPeer {
  url: string;
  stop(): Promise<void>;
}

function readBody(request: IncomingMessage) {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  return match?.[1] ?? null;
}

/**
 * The bare `node:http` peer of B1 and B5. It reads the same GraphQL-shaped
 * JSON Rollcall gets: a body with `variables.input` is a device heartbeat
 * (token looked up by hash, device checked), `variables.inputs` an
 * operator batch (key looked up by hash), anything else the trivial query,
 * answered with the JSON Rollcall answers for `{ __typename }`.
 */
export async function startHttpPeer(options: {
  databaseUrl: string;
  poolSize: number;
  timeoutSeconds: number;
}): Promise<HttpPeer> {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize,
  });
  const handle = async (
    token: string | null,
    body: PeerBody,
  ): Promise<[number, unknown]> => {
    const input = body.variables?.input;
    const inputs = body.variables?.inputs;
    if (!input && !inputs) return [200, { data: { __typename: 'Query' } }];
    if (!token) return [401, { errors: [{ message: 'no token' }] }];

    const hash = sha256Hex(token);
    if (input) {
      const { rows } = await pool.query<{ device_id: string }>(
        `SELECT device_id FROM device_tokens
         WHERE token_hash = $1 AND revoked_at IS NULL`,
        [hash],
      );
      if (rows[0]?.device_id !== input.deviceId) {
        return [200, { errors: [{ message: 'forbidden' }] }];
      }
      await writeHeartbeats(pool, [input], new Date(), options.timeoutSeconds);
      return [200, { data: { heartbeat: { accepted: true } } }];
    }

    const key = await pool.query(
      `SELECT id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    if (key.rowCount === 0) return [401, { errors: [{ message: 'no key' }] }];
    const list = inputs ?? [];
    await writeHeartbeats(pool, list, new Date(), options.timeoutSeconds);
    return [
      200,
      { data: { heartbeatBatch: list.map(() => ({ accepted: true })) } },
    ];
  };

  const server: Server = createServer((request, response) => {
    readBody(request)
      .then((text) =>
        handle(
          bearer(request.headers.authorization),
          JSON.parse(text) as PeerBody,
        ),
      )
      .then(([status, json]) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(json));
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ errors: [{ message: String(error) }] }));
      });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
