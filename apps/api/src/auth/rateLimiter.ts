import type { Clock } from '../clock.ts';
import { RollcallError } from '../errors.ts';

/** The answer of one `take`: allowed, or how long until a token is back. */
export type RateDecision =
  | { isAllowed: true; remaining: number }
  | { isAllowed: false; retryAfterSeconds: number };

/** Options of `createRateLimiter`. */
export interface RateLimiterOptions {
  /** Requests allowed per minute and per key, also the burst size. */
  perMinute: number;
  clock: Clock;
  /**
   * Most keys tracked at once (default 100,000); full buckets are dropped
   * past it, since a full bucket is the same as no bucket.
   */
  maxKeys?: number;
}

/**
 * A per-key token bucket kept in memory: API keys on queries, device ids
 * on heartbeats. Each process limits on its own, so N processes allow up
 * to N times the rate: acceptable for a guard against runaway clients.
 */
export interface RateLimiter {
  /** Takes one token for `key`. */
  take(key: string): RateDecision;
  /** Takes one token or throws a retryable RATE_LIMITED error. */
  consume(key: string): void;
  /** Forgets every bucket (tests, config reload). */
  clear(): void;
  readonly size: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Builds a token bucket limiter; see `RateLimiter`. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const capacity = Math.max(1, options.perMinute);
  const perMs = capacity / 60_000;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, now: number) => {
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * perMs);
    bucket.updatedAt = now;
  };

  const prune = (now: number) => {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= capacity) buckets.delete(key);
    }
  };

  const take = (key: string): RateDecision => {
    const now = options.clock.now().getTime();
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= maxKeys) prune(now);
      bucket = { tokens: capacity, updatedAt: now };
      buckets.set(key, bucket);
    }
    refill(bucket, now);

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { isAllowed: true, remaining: Math.floor(bucket.tokens) };
    }
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((1 - bucket.tokens) / perMs / 1000),
    );
    return { isAllowed: false, retryAfterSeconds };
  };

  return {
    take,
    consume(key) {
      const decision = take(key);
      if (decision.isAllowed) return;

      throw new RollcallError(
        'RATE_LIMITED',
        `Too many requests; retry in ${decision.retryAfterSeconds} s`,
        { retryable: true, retryAfterSeconds: decision.retryAfterSeconds },
      );
    },
    clear: () => buckets.clear(),
    get size() {
      return buckets.size;
    },
  };
}
