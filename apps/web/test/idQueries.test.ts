import { describe, expect, it } from 'vitest';
import { idQueries } from '../src/query/idQueries.ts';

describe('idQueries', () => {
  it('selects every id in one IN list while it fits', () => {
    expect(idQueries(['edge-1', 'edge-"2"'])).toEqual([
      'id IN ("edge-1", "edge-\\"2\\"")',
    ]);
  });

  it('starts a new query where the next id would pass the length limit', () => {
    expect(idQueries(['a1', 'b2', 'c3'], 'id IN ("a1", "b2")'.length)).toEqual([
      'id IN ("a1", "b2")',
      'id IN ("c3")',
    ]);
  });

  it('leaves out an id no query can hold and returns none for no ids', () => {
    expect([idQueries(['toolong', 'ok'], 12), idQueries([])]).toEqual([
      ['id IN ("ok")'],
      [],
    ]);
  });
});
