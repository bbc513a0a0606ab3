import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TagQueryError, parse, validate } from '../src/index.ts';
import { groupResolver } from './support/index.ts';

function failureOf(run: () => unknown): [string, number, number] | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof TagQueryError)) throw error;
    return [error.code, error.position.offset, error.position.length];
  }
}

describe('limits', () => {
  it('rejects text past 4096 characters at the first excess character', () => {
    const text = `tag:${'a'.repeat(4093)}`;
    expect(failureOf(() => parse(text))).toEqual([
      'QUERY_TOO_COMPLEX',
      4096,
      1,
    ]);
  });

  it('accepts 32 nested parentheses and rejects the 33rd', () => {
    const nested = (n: number) => `${'('.repeat(n)}tag:a${')'.repeat(n)}`;
    expect(failureOf(() => parse(nested(32)))).toEqual(null);
    expect(failureOf(() => parse(nested(33)))).toEqual([
      'QUERY_TOO_COMPLEX',
      32,
      1,
    ]);
  });

  it('counts NOT as a nesting level', () => {
    expect(failureOf(() => parse(`${'NOT '.repeat(33)}tag:a`))).toEqual([
      'QUERY_TOO_COMPLEX',
      128,
      3,
    ]);
  });

  it('rejects the 257th term', () => {
    const terms = Array.from({ length: 257 }, (_, i) => `tag:t${i}`);
    const text = terms.join(' OR ');
    const offset = text.lastIndexOf('tag:');
    expect(failureOf(() => parse(text))).toEqual([
      'QUERY_TOO_COMPLEX',
      offset,
      3,
    ]);
  });

  it('counts list values as terms', () => {
    const values = Array.from({ length: 257 }, (_, i) => `v${i}`).join(', ');
    expect(failureOf(() => parse(`hostname IN (${values})`))).toEqual([
      'QUERY_TOO_COMPLEX',
      13 + values.lastIndexOf('v256'),
      4,
    ]);
  });

  it('honours custom limits', () => {
    expect(failureOf(() => parse('(tag:a)', { maxDepth: 0 }))).toEqual([
      'QUERY_TOO_COMPLEX',
      0,
      1,
    ]);
  });

  it('stops expanding groups past maxExpandedTerms', () => {
    const groups: Record<string, string> = { g0: 'tag:a OR tag:b' };
    for (let i = 1; i <= 20; i += 1) {
      groups[`g${i}`] = `group:g${i - 1} OR group:g${i - 1}`;
    }
    const started = performance.now();
    const errors = validate(parse('group:g20'), {
      groups: groupResolver(groups),
    });
    expect(errors.map((error) => [error.code, error.position.offset])).toEqual([
      ['QUERY_TOO_COMPLEX', 6],
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('fails fast on hostile nesting of a megabyte', () => {
    const text = '('.repeat(1_000_000);
    const started = performance.now();
    expect(failureOf(() => parse(text, { maxLength: 2_000_000 }))).toEqual([
      'QUERY_TOO_COMPLEX',
      32,
      1,
    ]);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('parses a maximal flat query in linear time', () => {
    const text = Array.from({ length: 256 }, () => 'tag:abcdefghij').join(
      ' AND ',
    );
    const started = performance.now();
    parse(text, { maxLength: 10_000 });
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('parse on random text', () => {
  const alphabet = fc.constantFrom(
    ...'tag:status:group:tier: AND OR NOT IN ()(),=!=<>"\\*%_ ab\n\u00e9\u0301\ud800'.split(
      '',
    ),
  );
  const queryish = fc
    .array(alphabet, { maxLength: 80 })
    .map((chars) => chars.join(''));

  it('only ever throws TagQueryError, quickly', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          queryish,
          fc.string({ unit: 'binary', maxLength: 100 }),
        ),
        (text) => {
          const started = performance.now();
          try {
            const ast = parse(text);
            validate(ast);
          } catch (error) {
            expect(error).toBeInstanceOf(TagQueryError);
          }
          expect(performance.now() - started).toBeLessThan(50);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
