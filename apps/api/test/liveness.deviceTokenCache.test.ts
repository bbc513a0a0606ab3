import { describe, expect, it } from 'vitest';
import type { AuthService } from '../src/auth/authService.ts';
import type { Principal } from '../src/auth/principal.ts';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import { withDeviceTokenCache } from '../src/liveness/deviceTokenCache.ts';

const DEVICE: Principal = {
  kind: 'device',
  deviceId: 'edge-1',
  tokenId: 'token-1',
};
const REVOKED: RegistryEvent = {
  kind: 'credentialRevoked',
  credential: 'deviceToken',
  ids: ['token-1'],
  at: '2026-12-04T12:00:00.000Z',
};

/**
 * An auth service whose look-ups finish when the test says, counting
 * them, and a bus whose revocations the test delivers.
 */
function harness() {
  let lookups = 0;
  const pending: Array<() => void> = [];
  const auth: AuthService = {
    authenticate: () => {
      lookups += 1;
      return new Promise((resolve) => pending.push(() => resolve(DEVICE)));
    },
    bootstrapAdmin: async () => ({ generated: null }),
  };
  const handlers: Array<(event: RegistryEvent) => void> = [];
  const cached = withDeviceTokenCache(auth, {
    revocations: {
      subscribe: (_kinds, handler) => {
        handlers.push(handler);
        return () => undefined;
      },
    },
  });
  return {
    cached,
    lookups: () => lookups,
    finishLookup: () => pending.shift()!(),
    revoke: () => handlers.forEach((handler) => handler(REVOKED)),
  };
}

describe('the device token cache', () => {
  it('answers a second request from the cache', async () => {
    const h = harness();
    const first = h.cached.authenticate('rc_dev_secret');
    h.finishLookup();
    await first;

    await h.cached.authenticate('rc_dev_secret');

    expect(h.lookups()).toBe(1);
  });

  it('does not cache a look-up that a revocation overtook', async () => {
    const h = harness();
    const racing = h.cached.authenticate('rc_dev_secret');
    h.revoke();
    h.finishLookup();
    await racing;

    const next = h.cached.authenticate('rc_dev_secret');
    const lookupsAfterNext = h.lookups();
    h.finishLookup();
    await next;

    expect(lookupsAfterNext).toBe(2);
  });
});
