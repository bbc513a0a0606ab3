import { describe, expect, it } from 'vitest';
import { createMatcher, evaluate, parse } from '../src/index.ts';
import { FLEET, NOW, SELECTION_CASES, groupResolver } from './support/index.ts';

function select(query: string): string[] {
  const matches = createMatcher(parse(query), {
    now: NOW,
    groups: groupResolver(),
  });
  return FLEET.filter(matches)
    .map((device) => device.id)
    .sort();
}

describe('evaluate', () => {
  it.each(SELECTION_CASES)(
    'selects exactly the devices of %j',
    (query, ids) => {
      expect(select(query)).toEqual(ids);
    },
  );

  it('gives the same answer through evaluate as through createMatcher', () => {
    const ast = parse('tag:production AND status:healthy');
    const options = { now: NOW, groups: groupResolver() };
    const matches = createMatcher(ast, options);
    expect(FLEET.map((device) => evaluate(ast, device, options))).toEqual(
      FLEET.map(matches),
    );
  });
});
