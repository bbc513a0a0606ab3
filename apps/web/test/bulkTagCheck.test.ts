import { describe, expect, it } from 'vitest';
import { bulkTagProblem } from '../src/views/devices/bulkTagCheck.ts';

describe('bulkTagProblem', () => {
  it('accepts plain and key/value tags, normalised as the API stores them', () => {
    expect(
      bulkTagProblem(['Canary', 'region=factory-a', 'line=3'], false),
    ).toBeNull();
  });

  it("refuses a tag with a character outside the tag charset, in the API's words", () => {
    expect(bulkTagProblem(['canary', 'rack#9'], false)).toBe(
      'Invalid tag "rack#9": "#" is not allowed in a tag ' +
        '(letters, digits, "-", "_", ".", "/").',
    );
  });

  it('refuses a value naming a status tag when adding', () => {
    expect(bulkTagProblem(['lifecycle=decommissioned'], false)).toBe(
      'The value "decommissioned" names a status the registry sets; ' +
        'tag:decommissioned would select this device',
    );
  });

  it('refuses two values of one key when adding, and not when removing', () => {
    const tags = ['region=factory-a', 'REGION=factory-b'];
    expect([bulkTagProblem(tags, false), bulkTagProblem(tags, true)]).toEqual([
      '"tags" gives "region" two values ("factory-a" and "factory-b"); a key holds one value',
      null,
    ]);
  });

  it('lets an operator remove offline-extended but not add it', () => {
    expect([
      bulkTagProblem(['offline-extended'], false),
      bulkTagProblem(['offline-extended'], true),
    ]).toEqual([
      'The tag "offline-extended" is added by the registry only, to a device 30 days offline',
      null,
    ]);
  });
});
