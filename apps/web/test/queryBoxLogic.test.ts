import { describe, expect, it } from 'vitest';
import {
  applySuggestion,
  caretWord,
  describeQueryError,
  normalizeLineBreaks,
  suggestionsFor,
  underline,
  quoteValue,
  type Vocabulary,
} from '../src/query/queryBoxLogic.ts';
import { localSyntaxError } from '../src/query/localCheck.ts';

const vocabulary: Vocabulary = {
  tags: [
    { name: 'production', deviceCount: 12 },
    { name: 'gpu-jetson-orin', deviceCount: 3 },
    { name: 'site-factory-a', deviceCount: 7 },
  ],
  fields: ['hardware.ram_mb', 'hardware.type', 'status.last_heartbeat'],
  states: ['healthy', 'degraded', 'failed'],
  tiers: ['warning', 'alert'],
  groups: ['production-fleet'],
};

function suggest(text: string, caret = text.length) {
  return suggestionsFor(caretWord(text, caret), vocabulary).map((s) => s.label);
}

describe('caretWord', () => {
  it('finds the value after a tag prefix with its scope', () => {
    expect(caretWord('tag:prod AND x', 8)).toEqual({
      start: 4,
      end: 8,
      prefix: 'prod',
      scope: 'tag',
    });
  });

  it('has no scope for a bare word inside parentheses', () => {
    expect(caretWord('(har', 4)).toEqual({
      start: 1,
      end: 4,
      prefix: 'har',
      scope: null,
    });
  });
});

describe('suggestionsFor', () => {
  it('suggests tags that start with the typed prefix after tag:', () => {
    expect(suggest('tag:p')).toEqual(['production']);
  });

  it('suggests states after status:', () => {
    expect(suggest('tag:production AND status:')).toEqual([
      'healthy',
      'degraded',
      'failed',
    ]);
  });

  it('suggests keywords, prefixes and fields for a bare word', () => {
    expect(suggest('tag:x a')).toEqual(['AND']);
    expect(suggest('h')).toEqual(['hardware.ram_mb', 'hardware.type']);
    expect(suggest('s')).toEqual(['status:', 'status.last_heartbeat']);
  });

  it('suggests nothing for an empty bare word', () => {
    expect(suggest('tag:x ')).toEqual([]);
  });
});

describe('applySuggestion', () => {
  it('replaces the caret word and puts the caret after a trailing space', () => {
    const text = 'tag:gpu AND status:h';
    const word = caretWord(text, 7);
    const [first] = suggestionsFor(word, vocabulary);
    expect(first && applySuggestion(text, word, first)).toEqual({
      text: 'tag:gpu-jetson-orin AND status:h',
      caret: 19,
    });
  });
});

describe('underline', () => {
  it('splits the text around the error span', () => {
    expect(underline('tag:a AND AND tag:b', 10, 3)).toEqual({
      before: 'tag:a AND ',
      error: 'AND',
      after: ' tag:b',
      isAtEnd: false,
    });
  });

  it('marks the end of the text for a missing term', () => {
    expect(underline('tag:a AND', 9, 0)).toEqual({
      before: 'tag:a AND',
      error: '',
      after: '',
      isAtEnd: true,
    });
  });
});

function queryError(
  message: string,
  position: { line: number; column: number },
  suggestions: string[] = [],
) {
  return describeQueryError({
    code: 'QUERY_SYNTAX_ERROR',
    message,
    position: { offset: 0, length: 1, ...position },
    expected: [],
    suggestions,
  });
}

describe('describeQueryError', () => {
  it('says the column on a one-line query and nothing more without suggestions', () => {
    expect(
      queryError('Expected an expression, found "AND".', {
        line: 1,
        column: 11,
      }),
    ).toEqual({
      summary: 'Column 11: Expected an expression, found "AND".',
      didYouMean: null,
    });
  });

  it('says the line too past the first line', () => {
    expect(
      queryError('Expected an expression, found "AND".', {
        line: 2,
        column: 5,
      }).summary,
    ).toBe('Line 2, column 5: Expected an expression, found "AND".');
  });

  it('offers one suggestion, or several with the last after "or"', () => {
    expect([
      queryError('Unknown prefix "state".', { line: 1, column: 1 }, ['status:'])
        .didYouMean,
      queryError('Unknown field "hardware.rammb".', { line: 1, column: 1 }, [
        'hardware.ram_mb',
        'hardware.gpu',
        'hardware.type',
      ]).didYouMean,
    ]).toEqual([
      'Did you mean "status:"?',
      'Did you mean "hardware.ram_mb", "hardware.gpu" or "hardware.type"?',
    ]);
  });
});

describe('quoteValue', () => {
  it('escapes quotes and backslashes', () => {
    expect(quoteValue('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});

describe('normalizeLineBreaks', () => {
  it('writes CRLF and CR as LF and leaves the rest of the query as it is', () => {
    expect(normalizeLineBreaks('tag:a\r\nAND tag:b\rOR tag:c\n')).toBe(
      'tag:a\nAND tag:b\nOR tag:c\n',
    );
  });

  it('keeps an error on a later line underlined at the characters the box shows', () => {
    const text = normalizeLineBreaks('tag:production\r\nAND state:healthy');
    const error = localSyntaxError(text);
    const position = error?.position ?? { offset: -1, length: 0 };

    expect({
      where: describeQueryError(error!).summary.split(':')[0],
      marked: underline(text, position.offset, position.length),
    }).toEqual({
      where: 'Line 2, column 5',
      marked: {
        before: 'tag:production\nAND ',
        error: 'state',
        after: ':healthy',
        isAtEnd: false,
      },
    });
  });
});
