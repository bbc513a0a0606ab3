import { performance } from 'node:perf_hooks';
import type { AuthService } from '../auth/authService.ts';
import type { Principal } from '../auth/principal.ts';
import { hashSecret } from '../auth/secrets.ts';
import type { EventBus } from '../events/eventBus.ts';

/** Options of `withDeviceTokenCache`. */
export interface DeviceTokenCacheOptions {
  /** How long a device token stays cached, in ms (default 1,000). */
  ttlMs?: number;
  /** Most tokens cached (default 200,000: two per device at 100k). */
  maxEntries?: number;
  /** Where revocations arrive, to drop revoked tokens from the cache. */
  revocations?: Pick<EventBus, 'subscribe'>;
}

/**
 * Wraps the auth service with a short cache of device-token principals,
 * so that a device heartbeating at high rate costs no token lookup per
 * request. Only device tokens are cached (operator keys keep their exact
 * per-request check). A revoked token still fails at once for heartbeats:
 * the ingest re-checks `revoked_at` inside the batch's transaction; for
 * anything else a device token does, the cache is stale for at most
 * `ttlMs`, or until this process hears of the revocation (`revocations`)
 * if sooner. Time here is the process's monotonic clock, not the injected
 * one: this is a cache, not a domain decision.
 */
export function withDeviceTokenCache(
  auth: AuthService,
  options: DeviceTokenCacheOptions = {},
): AuthService {
  const ttlMs = options.ttlMs ?? 1000;
  const maxEntries = options.maxEntries ?? 200_000;
  const cache = new Map<string, { principal: Principal; expiresAt: number }>();
  // Cache keys by token id, so that a revocation finds its entry at once.
  const keysOfTokens = new Map<string, string>();
  // Revocations heard so far. A look-up that read the token before a
  // revocation committed may finish after its event went by; what it
  // read is then not cached.
  let revocationsHeard = 0;

  const forget = (key: string) => {
    const entry = cache.get(key);
    if (entry?.principal.kind === 'device') {
      keysOfTokens.delete(entry.principal.tokenId);
    }
    cache.delete(key);
  };

  options.revocations?.subscribe(['credentialRevoked'], (event) => {
    if (event.kind !== 'credentialRevoked') return;
    if (event.credential !== 'deviceToken') return;

    revocationsHeard += 1;
    for (const tokenId of event.ids) {
      const key = keysOfTokens.get(tokenId);
      if (key !== undefined) forget(key);
    }
  });

  return {
    ...auth,
    async authenticate(bearer) {
      if (!bearer) return auth.authenticate(bearer);

      // Keyed by hash so that no secret outlives its request in memory.
      const key = hashSecret(bearer);
      const now = performance.now();
      const hit = cache.get(key);
      if (hit && hit.expiresAt > now) return hit.principal;

      const heardBefore = revocationsHeard;
      const principal = await auth.authenticate(bearer);
      if (principal.kind === 'device' && heardBefore === revocationsHeard) {
        if (cache.size >= maxEntries) {
          for (const [cached, entry] of cache) {
            if (entry.expiresAt <= now) forget(cached);
          }
          if (cache.size >= maxEntries) {
            cache.clear();
            keysOfTokens.clear();
          }
        }
        cache.set(key, { principal, expiresAt: now + ttlMs });
        keysOfTokens.set(principal.tokenId, key);
      } else {
        forget(key);
      }
      return principal;
    },
  };
}
