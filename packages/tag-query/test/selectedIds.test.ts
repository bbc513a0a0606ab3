import { describe, expect, it } from 'vitest';
import { isTagQueryError, parse, selectedIds } from '../src/index.ts';
import { groupResolver } from './support/index.ts';

const NOW = new Date('2026-12-04T00:00:00Z');
const idsOf = (query: string) => {
  const ids = selectedIds(parse(query), { now: NOW, groups: groupResolver() });
  return ids === null ? null : [...ids].sort();
};

describe('selectedIds', () => {
  it('is the listed ids of id IN and id =', () => {
    expect({
      list: idsOf('id IN ("edge-a", edge-b)'),
      one: idsOf('id = edge-c'),
    }).toEqual({ list: ['edge-a', 'edge-b'], one: ['edge-c'] });
  });

  it('narrows through AND and widens through OR only when every operand is restricted', () => {
    expect({
      and: idsOf('id IN (a, b, c) AND tag:production AND id IN (b, c, d)'),
      or: idsOf('id = a OR (id = b AND status:healthy)'),
      orUnrestricted: idsOf('id = a OR tag:production'),
    }).toEqual({ and: ['b', 'c'], or: ['a', 'b'], orUnrestricted: null });
  });

  it('does not restrict ids under NOT, with !=, or without any id term', () => {
    expect({
      not: idsOf('NOT id IN (a, b)'),
      notEqual: idsOf('id != a'),
      none: idsOf('tag:production AND status:healthy'),
    }).toEqual({ not: null, notEqual: null, none: null });
  });

  it('is empty for an empty id list', () => {
    expect(idsOf('id IN ()')).toEqual([]);
  });

  it('refuses a query that does not validate, as evaluation does', () => {
    let error: unknown;
    try {
      idsOf('id IN (a) AND status:sleeping');
    } catch (caught) {
      error = caught;
    }
    expect(isTagQueryError(error)).toBe(true);
  });
});
