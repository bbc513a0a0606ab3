/** The heartbeat as the API's `HeartbeatInput` takes it. */
export interface HeartbeatInput {
  deviceId: string;
  timestamp: string;
  status: 'HEALTHY' | 'DEGRADED' | 'FAILED';
  appVersion: string | null;
  sequence: number;
  metrics: HeartbeatMetrics;
  degradationReason?: string | null;
}

/** The spec's heartbeat metrics block, in the API's field names. */
export interface HeartbeatMetrics {
  cpuPercent: number;
  memoryUsedMb: number;
  memoryTotalMb: number;
  diskFreeMb: number;
  gpuPercent: number | null;
  temperatureCpuC: number;
  temperatureGpuC: number | null;
  uptimeSeconds: number;
  errorCountLastHour: number;
  inferenceLatencyP95Ms: number | null;
}

/** What the API answers to a heartbeat (`HeartbeatAck`). */
export interface HeartbeatAck {
  deviceId: string;
  accepted: boolean;
  duplicate: boolean;
  state: string;
  offlineTier: string | null;
  nextHeartbeatSeconds: number | null;
  instruction: {
    deploymentId: string | null;
    targetVersion: string;
    artifact: string | null;
  } | null;
}

/**
 * A send that failed. `retryable` failures (network errors, HTTP 5xx,
 * SERVICE_UNAVAILABLE, RATE_LIMITED) are retried with the configured
 * backoff; others (UNAUTHENTICATED, BAD_USER_INPUT...) are not.
 */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** How heartbeats reach Rollcall; the GraphQL one or a test double. */
export interface HeartbeatTransport {
  send(token: string, input: HeartbeatInput): Promise<HeartbeatAck>;
  /** One result per input, in order: its ack, or the error it got. */
  sendBatch(
    token: string,
    inputs: HeartbeatInput[],
  ): Promise<Array<HeartbeatAck | TransportError>>;
}

const ACK_FIELDS = `deviceId accepted duplicate state offlineTier nextHeartbeatSeconds
  instruction { deploymentId targetVersion artifact }`;

const RETRYABLE_CODES = new Set([
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
]);

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * Sends heartbeats over Rollcall's GraphQL API (`heartbeat` and
 * `heartbeatBatch`), each with the given bearer token.
 */
export function graphqlTransport(graphqlUrl: string): HeartbeatTransport {
  const post = async (token: string, query: string, variables: object) => {
    let response: Response;
    try {
      response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new TransportError('NETWORK', (error as Error).message, true);
    }
    if (response.status >= 500) {
      throw new TransportError(
        `HTTP_${response.status}`,
        `HTTP ${response.status}`,
        true,
      );
    }
    let body: GraphqlBody;
    try {
      body = (await response.json()) as GraphqlBody;
    } catch {
      throw new TransportError(
        `HTTP_${response.status}`,
        'unreadable response',
        response.status >= 500,
      );
    }
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code ?? 'UNKNOWN';
      throw new TransportError(code, first.message, RETRYABLE_CODES.has(code));
    }
    return body.data ?? {};
  };

  return {
    async send(token, input) {
      const data = await post(
        token,
        `mutation Heartbeat($input: HeartbeatInput!) { heartbeat(input: $input) { ${ACK_FIELDS} } }`,
        { input },
      );
      return data.heartbeat as HeartbeatAck;
    },
    async sendBatch(token, inputs) {
      const data = await post(
        token,
        `mutation HeartbeatBatch($inputs: [HeartbeatInput!]!) {
          heartbeatBatch(inputs: $inputs) {
            deviceId ack { ${ACK_FIELDS} } error { code message }
          }
        }`,
        { inputs },
      );
      const results = data.heartbeatBatch as Array<{
        ack: HeartbeatAck | null;
        error: { code: string; message: string } | null;
      }>;
      return results.map(
        (result) =>
          result.ack ??
          new TransportError(
            result.error?.code ?? 'UNKNOWN',
            result.error?.message ?? 'no ack',
            RETRYABLE_CODES.has(result.error?.code ?? ''),
          ),
      );
    },
  };
}
