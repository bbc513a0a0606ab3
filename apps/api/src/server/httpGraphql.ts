import { HeaderMap, type ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RollcallError } from '../errors.ts';
import type { RequestContext } from './context.ts';
import { isUnavailable } from './formatError.ts';

class BodyTooLargeError extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Keep draining (and discarding) so the client can read the 413
        // instead of seeing a reset connection.
        chunks.length = 0;
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJsonError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * Bridges node:http to Apollo Server: enforces the body limit, parses JSON,
 * builds the per-request context, and streams Apollo's answer back.
 */
export async function handleGraphqlRequest(
  apollo: ApolloServer<RequestContext>,
  request: IncomingMessage,
  response: ServerResponse,
  options: {
    maxBodyBytes: number;
    buildContext: (request: IncomingMessage) => Promise<RequestContext>;
  },
): Promise<void> {
  let raw: string;
  try {
    raw = await readBody(request, options.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendJsonError(
        response,
        413,
        'PAYLOAD_TOO_LARGE',
        `Request bodies are limited to ${options.maxBodyBytes} bytes`,
      );
      return;
    }
    throw error;
  }

  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) {
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }

  let body: unknown = raw;
  if ((headers.get('content-type') ?? '').includes('application/json') && raw) {
    try {
      body = JSON.parse(raw);
    } catch {
      sendJsonError(
        response,
        400,
        'BAD_REQUEST',
        'The request body is not valid JSON',
      );
      return;
    }
  }

  const url = new URL(request.url ?? '/', 'http://localhost');
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (request.method ?? 'GET').toUpperCase(),
      headers,
      search: url.search,
      body,
    },
    context: async () => {
      try {
        return await options.buildContext(request);
      } catch (error) {
        if (error instanceof RollcallError) {
          // Authentication failures are answered before execution.
          throw new GraphQLError(error.message, {
            extensions: { code: error.code, http: { status: 401 } },
          });
        }
        if (isUnavailable(error)) {
          // Authentication reads the database: an outage is retryable.
          throw new GraphQLError(
            'The registry database is unavailable; retry shortly',
            {
              extensions: {
                code: 'SERVICE_UNAVAILABLE',
                retryable: true,
                http: { status: 503 },
              },
            },
          );
        }
        throw error;
      }
    },
  });

  const outHeaders: Record<string, string> = {};
  for (const [name, value] of result.headers) outHeaders[name] = value;
  response.writeHead(result.status ?? 200, outHeaders);
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}
