import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueryNode } from '../src/index.ts';
import { and, not, or, parse, print, stripLocations } from '../src/index.ts';
import { SELECTION_CASES, queryArbitrary } from './support/index.ts';

function canonical(query: string): string {
  return print(parse(query));
}

function roundTrip(ast: QueryNode): QueryNode {
  return stripLocations(parse(print(ast)));
}

describe('print', () => {
  it.each([
    ['tag:a and tag:b or not tag:c', 'tag:a AND tag:b OR NOT tag:c'],
    ['(tag:a OR tag:b) AND tag:c', '(tag:a OR tag:b) AND tag:c'],
    ['((tag:a))', 'tag:a'],
    ['tag:a AND (tag:b AND tag:c)', 'tag:a AND (tag:b AND tag:c)'],
    ['NOT (tag:a)', 'NOT tag:a'],
    ['not not (tag:a or tag:b)', 'NOT NOT (tag:a OR tag:b)'],
    ['TAG : Region = Factory-*', 'tag:region=factory-*'],
    ['tag:"gpu-capable"', 'tag:gpu-capable'],
    ['tag:Cafe\u0301', 'tag:caf\u00e9'],
    ['Status:HEALTHY', 'status:healthy'],
    ['status in(healthy,degraded)', 'status IN (healthy, degraded)'],
    ['hardware.type in ()', 'hardware.type IN ()'],
    ['hostname="a b"', 'hostname = "a b"'],
    ['hostname = "say \\"hi\\" \\\\o/"', 'hostname = "say \\"hi\\" \\\\o/"'],
    ['hostname = ""', 'hostname = ""'],
    ['hostname = "plain"', 'hostname = plain'],
    ['mac_address = "00:04:4b:e6:a3:12"', 'mac_address = "00:04:4b:e6:a3:12"'],
    ['group:"factory a"', 'group:"factory a"'],
    ['last_heartbeat<now-15m', 'last_heartbeat < now-15m'],
    ['hardware.type = AND', 'hardware.type = AND'],
  ])('prints %j as %j', (query, expected) => {
    expect(canonical(query)).toEqual(expected);
  });

  it('prints every table query so that it parses back to the same tree', () => {
    for (const [query] of SELECTION_CASES) {
      const ast = stripLocations(parse(query));
      expect(roundTrip(ast)).toEqual(ast);
    }
  });

  it('round-trips random trees without dropping a parenthesis', () => {
    fc.assert(
      fc.property(queryArbitrary(5), (ast) => {
        expect(roundTrip(ast)).toEqual(ast);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the meaning of composed trees when printed', () => {
    const saved = parse('tag:a OR tag:b');
    const filter = parse('status:healthy');
    expect(print(and(saved, filter))).toEqual(
      '(tag:a OR tag:b) AND status:healthy',
    );
    expect(print(and(and(filter, filter), saved))).toEqual(
      'status:healthy AND status:healthy AND (tag:a OR tag:b)',
    );
    expect(print(not(or(saved, filter)))).toEqual(
      'NOT (tag:a OR tag:b OR status:healthy)',
    );
    const composed = and(saved, filter);
    expect(roundTrip(composed)).toEqual(stripLocations(composed));
  });
});
