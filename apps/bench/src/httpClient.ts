import { Agent, request } from 'node:http';

/** A keep-alive JSON-over-HTTP client for load runs on loopback. */
export interface JsonClient {
  post<T>(path: string, body: unknown, token?: string | null): Promise<T>;
  close(): void;
}

/**
 * A client with one pooled connection per concurrent worker; the shared
 * agent keeps connection set-up out of the measured latencies. `baseUrl`
 * must be a loopback URL: benchmarks load only servers they started.
 */
export function createJsonClient(
  baseUrl: string,
  maxSockets: number,
): JsonClient {
  const url = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`Benchmarks target loopback only, not ${url.hostname}`);
  }
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    post<T>(path: string, body: unknown, token?: string | null) {
      const payload = Buffer.from(JSON.stringify(body));
      return new Promise<T>((resolve, reject) => {
        const req = request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            path,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': payload.length,
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              if ((res.statusCode ?? 500) >= 300) {
                reject(
                  new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`),
                );
                return;
              }
              try {
                resolve(JSON.parse(text) as T);
              } catch (error) {
                reject(
                  error instanceof Error ? error : new Error(String(error)),
                );
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
