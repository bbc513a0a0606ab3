import { describe, expect, it } from 'vitest';
import { TagQueryError, isValidTag, normalizeTag } from '../src/index.ts';

function outcome(text: string): string | [string, string] {
  try {
    return normalizeTag(text);
  } catch (error) {
    if (!(error instanceof TagQueryError)) throw error;
    return [error.code, error.message];
  }
}

describe('normalizeTag', () => {
  it.each([
    ['GPU-Capable', 'gpu-capable'],
    ['Cafe\u0301', 'caf\u00e9'],
    ['CAF\u00c9', 'caf\u00c9'],
    ['kubernetes.io/arch', 'kubernetes.io/arch'],
    ['memory_8gb', 'memory_8gb'],
    ['\u6771\u4eac-1', '\u6771\u4eac-1'],
  ])('normalises %j to %j', (text, expected) => {
    expect(outcome(text)).toEqual(expected);
  });

  it.each([
    ['', 'Invalid tag "": a tag cannot be empty.'],
    [
      'gpu capable',
      'Invalid tag "gpu capable": " " is not allowed in a tag (letters, digits, "-", "_", ".", "/").',
    ],
    [
      '-gpu',
      'Invalid tag "-gpu": a tag must start with a letter or digit, not "-".',
    ],
    [
      'site-*',
      'Invalid tag "site-*": a "*" is a wildcard only at the end of an unquoted tag.',
    ],
    [
      'a'.repeat(129),
      `Invalid tag "${'a'.repeat(129)}": a tag is at most 128 characters.`,
    ],
  ])('rejects %j', (text, message) => {
    expect(outcome(text)).toEqual(['QUERY_VALIDATION_ERROR', message]);
  });

  it('agrees with isValidTag', () => {
    expect(['ok', 'Not OK', 'x=y', 'é'].map(isValidTag)).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });
});
