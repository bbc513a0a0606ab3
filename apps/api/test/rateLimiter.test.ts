import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/auth/rateLimiter.ts';
import { ManualClock } from '../src/clock.ts';
import { RollcallError } from '../src/errors.ts';

function takeMany(
  limiter: ReturnType<typeof createRateLimiter>,
  key: string,
  n: number,
) {
  return Array.from({ length: n }, () => limiter.take(key));
}

describe('createRateLimiter', () => {
  it('allows a burst of the per-minute rate, then refuses with the time to the next token', () => {
    const limiter = createRateLimiter({
      perMinute: 2,
      clock: new ManualClock(),
    });
    expect(takeMany(limiter, 'a', 3)).toEqual([
      { isAllowed: true, remaining: 1 },
      { isAllowed: true, remaining: 0 },
      { isAllowed: false, retryAfterSeconds: 30 },
    ]);
  });

  it('refills continuously with the clock', () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ perMinute: 60, clock });
    takeMany(limiter, 'a', 60);
    clock.advance(1_000);
    expect(takeMany(limiter, 'a', 2)).toEqual([
      { isAllowed: true, remaining: 0 },
      { isAllowed: false, retryAfterSeconds: 1 },
    ]);
  });

  it('keeps one bucket per key', () => {
    const limiter = createRateLimiter({
      perMinute: 1,
      clock: new ManualClock(),
    });
    expect([limiter.take('a'), limiter.take('b'), limiter.take('a')]).toEqual([
      { isAllowed: true, remaining: 0 },
      { isAllowed: true, remaining: 0 },
      { isAllowed: false, retryAfterSeconds: 60 },
    ]);
  });

  it('throws a retryable RATE_LIMITED error from consume', () => {
    const limiter = createRateLimiter({
      perMinute: 1,
      clock: new ManualClock(),
    });
    limiter.consume('device-1');
    let caught: unknown;
    try {
      limiter.consume('device-1');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RollcallError);
    expect({
      ...(caught as RollcallError),
      message: (caught as Error).message,
    }).toEqual({
      name: 'RollcallError',
      code: 'RATE_LIMITED',
      message: 'Too many requests; retry in 60 s',
      details: { retryable: true, retryAfterSeconds: 60 },
    });
  });

  it('drops full buckets when it tracks too many keys', () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ perMinute: 60, clock, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    clock.advance(60_000);
    limiter.take('c');
    expect(limiter.size).toBe(1);
  });
});
