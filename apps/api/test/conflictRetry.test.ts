import { describe, expect, it } from 'vitest';
import { retryOnConflict } from '../src/db/conflictRetry.ts';
import { RollcallError } from '../src/errors.ts';
import { testLogger } from '../src/testing/index.ts';

// A write that fails with these SQLSTATEs in turn, then returns 'done'.
function failingWith(codes: string[]) {
  const calls: number[] = [];
  const write = async () => {
    calls.push(calls.length + 1);
    const code = codes[calls.length - 1];
    if (code) throw Object.assign(new Error(code), { code });
    return 'done';
  };
  return { calls, write };
}

async function outcomeOf(codes: string[]) {
  const { calls, write } = failingWith(codes);
  try {
    const value = await retryOnConflict(testLogger(), 'test', write);
    return { value, calls: calls.length };
  } catch (error) {
    const typed = error instanceof RollcallError;
    return {
      code: typed ? error.code : (error as { code: string }).code,
      details: typed ? error.details : null,
      calls: calls.length,
    };
  }
}

describe('retryOnConflict', () => {
  it('runs a write again after deadlocks and serialization failures', async () => {
    expect(await outcomeOf(['40P01', '40001', '40P01'])).toEqual({
      value: 'done',
      calls: 4,
    });
  });

  it('answers a retryable SERVICE_UNAVAILABLE after four conflicting attempts', async () => {
    expect(await outcomeOf(['40P01', '40P01', '40001', '40P01'])).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      details: { retryable: true },
      calls: 4,
    });
  });

  it('passes any other error through at once', async () => {
    expect(await outcomeOf(['23505'])).toEqual({
      code: '23505',
      details: null,
      calls: 1,
    });
  });
});
