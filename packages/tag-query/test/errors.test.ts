import { DEVICE_STATES } from '@rollcall/fleet';
import { describe, expect, it } from 'vitest';
import type { TagQueryErrorCode } from '../src/index.ts';
import { FIELD_NAMES, TagQueryError, parse, validate } from '../src/index.ts';
import { EXPRESSION_START } from '../src/parserErrors.ts';
import { groupResolver } from './support/index.ts';

interface ExpectedError {
  code: TagQueryErrorCode;
  message: string;
  position: [offset: number, line: number, column: number, length: number];
  expected?: string[];
  suggestions?: string[];
}

/** The first error of parsing then validating `query`, as plain data. */
function errorOf(query: string): ExpectedError | null {
  try {
    const errors = validate(parse(query), { groups: groupResolver() });
    return errors[0] ? shape(errors[0]) : null;
  } catch (error) {
    if (!(error instanceof TagQueryError)) throw error;
    return shape(error);
  }
}

function shape(error: TagQueryError): ExpectedError {
  const { offset, line, column, length } = error.position;
  return {
    code: error.code,
    message: error.message,
    position: [offset, line, column, length],
    expected: error.expected,
    suggestions: error.suggestions,
  };
}

function syntax(
  message: string,
  position: ExpectedError['position'],
  expected: string[] = [],
  suggestions: string[] = [],
): ExpectedError {
  return {
    code: 'QUERY_SYNTAX_ERROR',
    message,
    position,
    expected,
    suggestions,
  };
}

function invalid(
  message: string,
  position: ExpectedError['position'],
  expected: string[] = [],
  suggestions: string[] = [],
): ExpectedError {
  return {
    code: 'QUERY_VALIDATION_ERROR',
    message,
    position,
    expected,
    suggestions,
  };
}

const AFTER_TERM = ['AND', 'OR', 'end of query'];

const SYNTAX_CASES: [string, ExpectedError][] = [
  [
    '',
    syntax(
      'Expected an expression, found end of query.',
      [0, 1, 1, 0],
      EXPRESSION_START,
    ),
  ],
  [
    ' \n\t ',
    syntax(
      'Expected an expression, found end of query.',
      [0, 1, 1, 0],
      EXPRESSION_START,
    ),
  ],
  [
    'tag:a tag:b',
    syntax(
      'Expected "AND", "OR" or end of query, found "tag".',
      [6, 1, 7, 3],
      AFTER_TERM,
    ),
  ],
  [
    'tag:a AND\n  tag:b tag:c',
    syntax(
      'Expected "AND", "OR" or end of query, found "tag".',
      [18, 2, 9, 3],
      AFTER_TERM,
    ),
  ],
  [
    '(tag:a',
    syntax(
      'Expected "AND", "OR" or ")", found end of query.',
      [6, 1, 7, 0],
      ['AND', 'OR', ')'],
    ),
  ],
  [
    'tag:a)',
    syntax(
      'Expected "AND", "OR" or end of query, found ")".',
      [5, 1, 6, 1],
      AFTER_TERM,
    ),
  ],
  [
    'tag:a AND',
    syntax(
      'Expected an expression, found end of query.',
      [9, 1, 10, 0],
      EXPRESSION_START,
    ),
  ],
  [
    'tag:a AND OR tag:b',
    syntax(
      'Expected an expression, found "OR".',
      [10, 1, 11, 2],
      EXPRESSION_START,
    ),
  ],
  [
    'NOT',
    syntax(
      'Expected an expression, found end of query.',
      [3, 1, 4, 0],
      EXPRESSION_START,
    ),
  ],
  [
    '()',
    syntax(
      'Expected an expression, found ")".',
      [1, 1, 2, 1],
      EXPRESSION_START,
    ),
  ],
  [
    'tag:',
    syntax(
      'Expected a tag, found end of query.',
      [4, 1, 5, 0],
      ['word', 'string'],
    ),
  ],
  [
    'tag:region=',
    syntax(
      'Expected a tag value, found end of query.',
      [11, 1, 12, 0],
      ['word', 'string'],
    ),
  ],
  ['tag:"abc', syntax('Unterminated string.', [4, 1, 5, 4], ['"'])],
  [
    'hostname = "a\\nb"',
    syntax(
      'Invalid escape: a backslash escapes only " and \\.',
      [13, 1, 14, 2],
      ['\\"', '\\\\'],
    ),
  ],
  ['hostname ! x', syntax('Unexpected character "!".', [9, 1, 10, 1], ['!='])],
  ['tag:a\u0000', syntax('Unexpected character U+0000.', [5, 1, 6, 1])],
  [
    'tag:a\ud800',
    syntax(
      'Invalid text: a lone UTF-16 surrogate is not a character.',
      [5, 1, 6, 1],
    ),
  ],
  [
    'status IN healthy',
    syntax('Expected "(", found "healthy".', [10, 1, 11, 7], ['(']),
  ],
  [
    'status IN (healthy,)',
    syntax('Expected a value, found ")".', [19, 1, 20, 1], ['word', 'string']),
  ],
  [
    'status IN (healthy degraded)',
    syntax(
      'Expected "," or ")", found "degraded".',
      [19, 1, 20, 8],
      [',', ')'],
    ),
  ],
  [
    'tags:production',
    syntax(
      'Unknown prefix "tags"; expected tag, status, tier or group.',
      [0, 1, 1, 4],
      ['tag:', 'status:', 'tier:', 'group:'],
      ['tag:'],
    ),
  ],
  [
    'production',
    syntax(
      'Expected ":", "IN" or an operator after "production", found end of query.',
      [10, 1, 11, 0],
      [':', 'IN', '=', '!=', '<', '<=', '>', '>='],
      ['tag:production'],
    ),
  ],
  [
    'hardware.ram_mb >=',
    syntax(
      'Expected a value, found end of query.',
      [18, 1, 19, 0],
      ['word', 'string'],
    ),
  ],
];

const VALIDATION_CASES: [string, ExpectedError][] = [
  [
    'hardware.ram_mb >= lots',
    invalid(
      'Field hardware.ram_mb needs an integer: "lots" is not an integer.',
      [19, 1, 20, 4],
    ),
  ],
  [
    'hardware.ram >= 1',
    invalid(
      'Unknown field "hardware.ram".',
      [0, 1, 1, 12],
      [...FIELD_NAMES],
      ['hardware.ram_mb', 'hardware.gpu', 'hardware.type'],
    ),
  ],
  [
    'ram_mb > 1',
    invalid(
      'Unknown field "ram_mb".',
      [0, 1, 1, 6],
      [...FIELD_NAMES],
      ['hardware.ram_mb'],
    ),
  ],
  [
    'status:helthy',
    invalid(
      '"helthy" is not a device state (provisioning, healthy, degraded, failed, offline, maintenance, decommissioned).',
      [7, 1, 8, 6],
      [...DEVICE_STATES],
      ['healthy'],
    ),
  ],
  [
    'status IN (healthy, ofline)',
    invalid(
      '"ofline" is not a device state (provisioning, healthy, degraded, failed, offline, maintenance, decommissioned).',
      [20, 1, 21, 6],
      [...DEVICE_STATES],
      ['offline'],
    ),
  ],
  [
    'tier:alrt',
    invalid(
      '"alrt" is not an offline tier (warning, alert, critical, monitor, escalate, investigate, decommission_review).',
      [5, 1, 6, 4],
      [
        'warning',
        'alert',
        'critical',
        'monitor',
        'escalate',
        'investigate',
        'decommission_review',
      ],
      ['alert'],
    ),
  ],
  ['group:nope', invalid('Unknown group "nope".', [6, 1, 7, 4])],
  [
    'tag:a OR group:loop-a',
    invalid(
      'In group "loop-a": Group cycle: "loop-a" -> "loop-b" -> "loop-a".',
      [15, 1, 16, 6],
    ),
  ],
  [
    'group:self',
    invalid('In group "self": Group cycle: "self" -> "self".', [6, 1, 7, 4]),
  ],
  [
    'group:broken',
    invalid(
      'In group "broken": Unknown field "hardware.ram".',
      [6, 1, 7, 6],
      [...FIELD_NAMES],
      ['hardware.ram_mb', 'hardware.gpu', 'hardware.type'],
    ),
  ],
  [
    'hardware.has_gpu > true',
    invalid(
      'Operator > does not apply to boolean field hardware.has_gpu; use = or !=.',
      [17, 1, 18, 1],
      ['=', '!='],
    ),
  ],
  [
    'hostname < b',
    invalid(
      'Operator < does not apply to string field hostname; use = or !=.',
      [9, 1, 10, 1],
      ['=', '!='],
    ),
  ],
  [
    'deployment.current_version < banana',
    invalid(
      'Field deployment.current_version needs a version: "banana" is not a version such as 2.3.0.',
      [29, 1, 30, 6],
    ),
  ],
  [
    'last_heartbeat < now-15y',
    invalid(
      'Field status.last_heartbeat needs a time: "now-15y" is not a time: use now, now-15m (units s, m, h, d, w), 2025-01-15 or "2025-01-15T14:30:00Z".',
      [17, 1, 18, 7],
    ),
  ],
  [
    'last_heartbeat < 2025-02-30',
    invalid(
      'Field status.last_heartbeat needs a time: "2025-02-30" is not a time: use now, now-15m (units s, m, h, d, w), 2025-01-15 or "2025-01-15T14:30:00Z".',
      [17, 1, 18, 10],
    ),
  ],
  [
    'offline_for > 15',
    invalid(
      'Field offline_for needs a duration: "15" is not a duration such as 15m (units s, m, h, d, w).',
      [14, 1, 15, 2],
    ),
  ],
  [
    'offline_for > 99999999w',
    invalid(
      'Field offline_for needs a duration: "99999999w" is longer than 36525 days.',
      [14, 1, 15, 9],
    ),
  ],
  ['hardware.type IN ()', null as unknown as ExpectedError],
  [
    'nope IN ()',
    invalid('Unknown field "nope".', [0, 1, 1, 4], [...FIELD_NAMES], []),
  ],
  [
    'tag:si*te',
    invalid(
      'Invalid tag "si*te": a "*" is a wildcard only at the end of an unquoted tag.',
      [4, 1, 5, 5],
    ),
  ],
  [
    'tag:"site-*"',
    invalid(
      'Invalid tag "site-*": a "*" is a wildcard only at the end of an unquoted tag.',
      [4, 1, 5, 8],
    ),
  ],
  [
    'tag:"gpu capable"',
    invalid(
      'Invalid tag "gpu capable": " " is not allowed in a tag (letters, digits, "-", "_", ".", "/").',
      [4, 1, 5, 13],
    ),
  ],
  [
    'tag:-x',
    invalid(
      'Invalid tag "-x": a tag must start with a letter or digit, not "-".',
      [4, 1, 5, 2],
    ),
  ],
  ['tag:""', invalid('Invalid tag "": a tag cannot be empty.', [4, 1, 5, 2])],
];

describe('parse', () => {
  it.each(SYNTAX_CASES)(
    'rejects %j with the exact error',
    (query, expected) => {
      expect(errorOf(query)).toEqual(expected);
    },
  );
});

describe('validate', () => {
  it.each(VALIDATION_CASES)(
    'rejects %j with the exact error',
    (query, expected) => {
      expect(errorOf(query)).toEqual(expected);
    },
  );

  it('reports every error of a query, in text order', () => {
    const errors = validate(
      parse('status:helthy OR hardware.ram >= x OR tier:alrt'),
    );
    expect(errors.map((error) => [error.position.offset, error.code])).toEqual([
      [7, 'QUERY_VALIDATION_ERROR'],
      [17, 'QUERY_VALIDATION_ERROR'],
      [43, 'QUERY_VALIDATION_ERROR'],
    ]);
  });
});
