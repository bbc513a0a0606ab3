import { describe, expect, it } from 'vitest';
import { readSearchParam } from '../src/router/searchParam.ts';

describe('readSearchParam', () => {
  it('is the decoded value, spaces written as + or %20 alike', () => {
    expect(
      readSearchParam('?q=tag%3Aa+AND%20tag%3Ab%0Aor+tag%3Ac&page=2', 'q'),
    ).toEqual({ isMalformed: false, value: 'tag:a AND tag:b\nor tag:c' });
  });

  it('is the first of repeated parameters, and empty when absent', () => {
    expect([
      readSearchParam('?q=first&q=second', 'q'),
      readSearchParam('?page=2', 'q'),
      readSearchParam('', 'q'),
      readSearchParam('?q', 'q'),
    ]).toEqual([
      { isMalformed: false, value: 'first' },
      { isMalformed: false, value: '' },
      { isMalformed: false, value: '' },
      { isMalformed: false, value: '' },
    ]);
  });

  it('reports a truncated UTF-8 escape as malformed, not as replacement characters', () => {
    expect(readSearchParam('?q=%E0%A4%A', 'q')).toEqual({
      isMalformed: true,
      value: '',
    });
  });

  it('reports a lone % and an escape of no UTF-8 character as malformed', () => {
    expect([
      readSearchParam('?q=50%', 'q').isMalformed,
      readSearchParam('?q=%FF', 'q').isMalformed,
      readSearchParam('?other=%FF&q=fine', 'q'),
    ]).toEqual([true, true, { isMalformed: false, value: 'fine' }]);
  });
});
