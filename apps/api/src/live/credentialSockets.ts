import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal.ts';
import { RollcallError } from '../errors.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { RevokedCredential } from '../events/registryEvent.ts';
import type { Logger } from '../logger.ts';

/**
 * Close code of a WebSocket whose API key or device token was revoked:
 * graphql-ws's Unauthorized, which its client does not retry, since the
 * same credential can never succeed again.
 */
export const CREDENTIAL_REVOKED_CLOSE_CODE = 4401;

/** Close reason sent with CREDENTIAL_REVOKED_CLOSE_CODE. */
export const CREDENTIAL_REVOKED_REASON = 'credential revoked';

/**
 * The WebSockets of this process by the credential they authenticated
 * with, closed when any process revokes it (`credentialRevoked` events).
 */
export interface CredentialSockets {
  /**
   * Runs `authenticate` for `socket`'s connection_init and ties the socket
   * to the resulting credential. Throws UNAUTHENTICATED when the credential
   * was revoked while it was being checked.
   */
  admit(
    socket: WebSocket,
    authenticate: () => Promise<Principal>,
  ): Promise<Principal>;
  /** Stops listening for revocations. */
  stop(): void;
}

function credentialOf(principal: Principal): string | null {
  switch (principal.kind) {
    case 'anonymous':
      return null;
    case 'operator':
      return credentialKey('apiKey', principal.keyId);
    case 'device':
      return credentialKey('deviceToken', principal.tokenId);
    default: {
      const unreachable: never = principal;
      throw new Error(`Unknown principal ${JSON.stringify(unreachable)}`);
    }
  }
}

function credentialKey(credential: RevokedCredential, id: string): string {
  return `${credential}:${id}`;
}

/** Starts following revocations on `events`. */
export function createCredentialSockets(deps: {
  events: Pick<EventBus, 'subscribe'>;
  logger: Logger;
}): CredentialSockets {
  const { events, logger } = deps;
  const socketsOf = new Map<string, Set<WebSocket>>();
  // The credentials revoked while each connection_init was being checked:
  // its database read may predate the revocation's commit, and the event
  // may arrive before the socket is tied to the credential.
  const checking = new Set<Set<string>>();

  const unsubscribe = events.subscribe(['credentialRevoked'], (event) => {
    if (event.kind !== 'credentialRevoked') return;

    for (const id of event.ids) {
      const key = credentialKey(event.credential, id);
      for (const revokedDuringCheck of checking) revokedDuringCheck.add(key);

      const sockets = socketsOf.get(key);
      if (!sockets) continue;

      socketsOf.delete(key);
      for (const socket of sockets) {
        socket.close(CREDENTIAL_REVOKED_CLOSE_CODE, CREDENTIAL_REVOKED_REASON);
      }
      logger.info(
        { credential: event.credential, id, sockets: sockets.size },
        'closed the WebSockets of a revoked credential',
      );
    }
  });

  const tie = (key: string, socket: WebSocket) => {
    const sockets = socketsOf.get(key) ?? new Set();
    socketsOf.set(key, sockets);
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && socketsOf.get(key) === sockets) {
        socketsOf.delete(key);
      }
    });
  };

  return {
    async admit(socket, authenticate) {
      const revokedDuringCheck = new Set<string>();
      checking.add(revokedDuringCheck);
      let principal: Principal;
      try {
        principal = await authenticate();
      } finally {
        checking.delete(revokedDuringCheck);
      }

      const key = credentialOf(principal);
      // A socket closed meanwhile will not report its close again.
      if (key === null || socket.readyState !== socket.OPEN) return principal;

      if (revokedDuringCheck.has(key)) {
        throw new RollcallError('UNAUTHENTICATED', 'The token was revoked');
      }
      tie(key, socket);
      return principal;
    },

    stop: unsubscribe,
  };
}
