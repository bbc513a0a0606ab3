import { describe, expect, it } from 'vitest';
import {
  afterApplied,
  afterSubmitted,
  historyAt,
  startingQuery,
  type QueryHistory,
  type UrlWrite,
} from '../src/views/devices/queryHistory.ts';

type Step = { applied: string } | { submitted: string };

/** The URL writes a sequence of applied queries and Enters makes. */
function writesFor(urlQuery: string, steps: Step[]): UrlWrite[] {
  let history: QueryHistory = historyAt(urlQuery);
  const writes: UrlWrite[] = [];
  for (const step of steps) {
    if ('submitted' in step) {
      history = afterSubmitted(history, step.submitted);
      continue;
    }
    const next = afterApplied(history, step.applied);
    history = next.history;
    writes.push(next.write);
  }
  return writes;
}

describe('afterApplied', () => {
  it('writes nothing for the query the URL holds, as on a load or Back', () => {
    expect(writesFor('tag:gpu', [{ applied: 'tag:gpu ' }])).toEqual([
      { kind: 'none' },
    ]);
  });

  it('pushes the first query of an edit and replaces it while typing goes on', () => {
    expect(
      writesFor('', [
        { applied: 'tag:gpu' },
        { applied: 'tag:gpu AND status:healthy' },
      ]),
    ).toEqual([
      { kind: 'push', query: 'tag:gpu' },
      { kind: 'replace', query: 'tag:gpu AND status:healthy' },
    ]);
  });

  it('pushes again after Enter on the applied query', () => {
    expect(
      writesFor('', [
        { applied: 'tag:gpu' },
        { submitted: 'tag:gpu ' },
        { applied: 'tag:cpu' },
      ]),
    ).toEqual([
      { kind: 'push', query: 'tag:gpu' },
      { kind: 'push', query: 'tag:cpu' },
    ]);
  });

  it('ends the edit at a query Enter was pressed on before it was applied', () => {
    expect(
      writesFor('tag:a', [
        { submitted: 'tag:b' },
        { applied: 'tag:b' },
        { applied: 'tag:c' },
      ]),
    ).toEqual([
      { kind: 'push', query: 'tag:b' },
      { kind: 'push', query: 'tag:c' },
    ]);
  });

  it('removes ?q= for a cleared box as a write like any other', () => {
    expect(writesFor('tag:gpu', [{ applied: '  ' }])).toEqual([
      { kind: 'push', query: '' },
    ]);
  });
});

describe('startingQuery', () => {
  it('starts the table on a URL query that parses, even one the server may refuse', () => {
    expect([
      startingQuery('tag:gpu AND status:healthy'),
      startingQuery('status:helthy'),
      startingQuery(''),
    ]).toEqual(['tag:gpu AND status:healthy', 'status:helthy', '']);
  });

  it('starts the table on every device for a URL query that does not parse', () => {
    expect([
      startingQuery('tag:gpu AND AND'),
      startingQuery('('),
      startingQuery('x'.repeat(5_000)),
    ]).toEqual(['', '', '']);
  });
});
