/**
 * Literal values: what the text of a value means for a field type. Shared
 * by validation and compilation, so a query that validates always compiles.
 */

import { DEVICE_STATES, parseVersion } from '@rollcall/fleet';
import { quote } from './errors.ts';
import type { FieldType } from './fields.ts';
import { asciiLowercase } from './normalize.ts';
import { suggestionList } from './suggest.ts';

/** Milliseconds per duration unit: seconds, minutes, hours, days, weeks. */
export const DURATION_UNITS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Longest duration or relative-time offset: 36,525 days (100 years). */
export const MAX_OFFSET_MS = 36_525 * 86_400_000;

/** A time value: an instant, or an offset from the injected `now`. */
export type TimeLiteral =
  | { kind: 'absolute'; epochMs: number }
  | { kind: 'relative'; offsetMs: number };

/** A typed literal; `version` keeps its text for `compareVersions`. */
export type Literal =
  | { type: 'string' | 'version' | 'state'; value: string }
  | { type: 'integer' | 'duration'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'time'; value: TimeLiteral };

/** Why a text is not a literal of a type, with did-you-mean. */
export interface LiteralProblem {
  message: string;
  suggestions: string[];
}

const DURATION = /^(\d{1,15})([a-z])$/;
const RELATIVE = /^now(?:([+-])(\d{1,15})([a-z]))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

/** `text` as a literal of `type`, or the problem with it. */
export function parseLiteral(
  type: FieldType,
  text: string,
): Literal | LiteralProblem {
  switch (type) {
    case 'string':
      return { type, value: text };
    case 'integer':
      return parseInteger(text);
    case 'boolean':
      return parseBoolean(text);
    case 'version':
      return parseVersion(text) === null
        ? problem(`${quote(text)} is not a version such as 2.3.0`)
        : { type, value: text };
    case 'state':
      return parseState(text);
    case 'duration':
      return parseDuration(text);
    case 'time':
      return parseTime(text);
  }
}

/** True when `result` is a problem rather than a literal. */
export function isProblem(
  result: Literal | LiteralProblem,
): result is LiteralProblem {
  return 'message' in result;
}

function problem(message: string, suggestions: string[] = []) {
  return { message, suggestions };
}

function parseInteger(text: string): Literal | LiteralProblem {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    return problem(`${quote(text)} is not an integer`);
  }
  return { type: 'integer', value };
}

function parseBoolean(text: string): Literal | LiteralProblem {
  const lower = asciiLowercase(text);
  if (lower === 'true' || lower === 'false') {
    return { type: 'boolean', value: lower === 'true' };
  }
  return problem(`${quote(text)} is not true or false`);
}

/** A device state, ASCII-lowercased, or the problem naming the states. */
export function parseState(text: string): Literal | LiteralProblem {
  const lower = asciiLowercase(text);
  if ((DEVICE_STATES as readonly string[]).includes(lower)) {
    return { type: 'state', value: lower };
  }
  return problem(
    `${quote(text)} is not a device state (${DEVICE_STATES.join(', ')})`,
    suggestionList(lower, DEVICE_STATES),
  );
}

function parseDuration(text: string): Literal | LiteralProblem {
  const match = DURATION.exec(asciiLowercase(text));
  const unit = DURATION_UNITS[match?.[2] ?? ''];
  if (!match || unit === undefined) {
    return problem(
      `${quote(text)} is not a duration such as 15m (units s, m, h, d, w)`,
    );
  }
  const value = Number(match[1]) * unit;
  if (value > MAX_OFFSET_MS) {
    return problem(`${quote(text)} is longer than 36525 days`);
  }
  return { type: 'duration', value };
}

function parseTime(text: string): Literal | LiteralProblem {
  const lower = asciiLowercase(text);
  const relative = RELATIVE.exec(lower);
  if (relative) {
    const [, sign, amount, unitName] = relative;
    if (sign === undefined) {
      return { type: 'time', value: { kind: 'relative', offsetMs: 0 } };
    }
    const unit = DURATION_UNITS[unitName ?? ''];
    const isInRange = Number(amount) * (unit ?? 0) <= MAX_OFFSET_MS;
    if (unit !== undefined && !isInRange) {
      return problem(`${quote(text)} is more than 36525 days from now`);
    }
    if (unit !== undefined) {
      const offsetMs = (sign === '-' ? -1 : 1) * Number(amount) * unit;
      return { type: 'time', value: { kind: 'relative', offsetMs } };
    }
  }

  const epochMs = parseInstant(text);
  if (epochMs === null) {
    return problem(
      `${quote(text)} is not a time: use now, now-15m (units s, m, h, d, ` +
        'w), 2025-01-15 or "2025-01-15T14:30:00Z"',
    );
  }
  return { type: 'time', value: { kind: 'absolute', epochMs } };
}

/** Epoch milliseconds of an ISO date or zoned date-time, null if invalid. */
function parseInstant(text: string): number | null {
  const date = DATE.exec(text);
  const dateTime = DATE_TIME.exec(text);
  const parts = date ?? dateTime;
  if (!parts) return null;

  const [, year, month, day] = parts.map(Number);
  const epochMs = Date.parse(date ? `${text}T00:00:00Z` : text);
  const check = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  const isRealDate =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() + 1 === month &&
    check.getUTCDate() === day;
  return isRealDate && Number.isFinite(epochMs) ? epochMs : null;
}
