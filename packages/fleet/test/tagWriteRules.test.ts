import { describe, expect, it } from 'vitest';
import { tagChangeViolation, type NormalizedTag } from '../src/index.ts';

const plain = (key: string): NormalizedTag => ({ key, value: '' });
const pair = (key: string, value: string): NormalizedTag => ({ key, value });

/** What adding `tags` breaks, and what removing them breaks. */
const whenAddedAndRemoved = (tags: NormalizedTag[]) => ({
  add: tagChangeViolation(tags, 'add'),
  remove: tagChangeViolation(tags, 'remove'),
});

describe('tagChangeViolation', () => {
  it('accepts plain and key/value tags of distinct keys', () => {
    expect(
      tagChangeViolation(
        [plain('canary'), pair('region', 'factory-a'), pair('line', '3')],
        'add',
      ),
    ).toBeNull();
  });

  it('refuses adding or removing the reserved decommissioned tag', () => {
    const expected = {
      message: 'The tag "decommissioned" is set by the registry only',
      details: { tag: 'decommissioned' },
    };
    expect(whenAddedAndRemoved([plain('decommissioned')])).toEqual({
      add: expected,
      remove: expected,
    });
  });

  it('refuses a value that names a status tag', () => {
    expect(
      tagChangeViolation([pair('lifecycle', 'decommissioned')], 'add'),
    ).toEqual({
      message:
        'The value "decommissioned" names a status the registry sets; ' +
        'tag:decommissioned would select this device',
      details: { tag: 'lifecycle', value: 'decommissioned' },
    });
  });

  it('refuses adding or removing the environment tag, which mirrors the record', () => {
    const { add, remove } = whenAddedAndRemoved([pair('environment', 'lab')]);

    expect(add).toEqual(remove);
    expect(remove?.message).toBe(
      'The tag "environment" mirrors the device record\'s environment; ' +
        'it changes with the record (registration or import), not by tagging',
    );
  });

  it('refuses adding offline-extended or two values of one key, but not removing them', () => {
    const twoRegions = [pair('region', 'a'), pair('region', 'b')];
    expect({
      offlineExtended: whenAddedAndRemoved([plain('offline-extended')]),
      twoRegions: whenAddedAndRemoved(twoRegions),
    }).toEqual({
      offlineExtended: {
        add: {
          message:
            'The tag "offline-extended" is added by the registry only, to a device 30 days offline',
          details: { tag: 'offline-extended' },
        },
        remove: null,
      },
      twoRegions: {
        add: {
          message:
            '"tags" gives "region" two values ("a" and "b"); a key holds one value',
          details: { key: 'region' },
        },
        remove: null,
      },
    });
  });

  it('checks every tag against the record fields before any for addability, as the API does', () => {
    expect(
      tagChangeViolation(
        [pair('lifecycle', 'offline-extended'), plain('environment')],
        'add',
      )?.details,
    ).toEqual({ tag: 'environment' });
  });
});
