import { describe, expect, it } from 'vitest';
import { and, parse, toSql } from '../src/index.ts';
import { NOW, groupResolver } from './support/index.ts';

function sql(query: string, paramOffset = 0) {
  return toSql(parse(query), {
    now: NOW,
    groups: groupResolver(),
    paramOffset,
  });
}

const SET = 'coalesce(d.tag_set ';
const TAG = 'EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = d.id AND ';

describe('toSql', () => {
  it('compiles a tag to one test of the tag set with one parameter', () => {
    expect(sql('tag:production')).toEqual({
      text: `${SET}@> ARRAY[rollcall_tag_name($1)], FALSE)`,
      values: ['production'],
    });
  });

  it('tests the tag terms of one AND together and its prefixes apart', () => {
    expect(sql('tag:a AND tag:k=v AND tag:gpu-* AND NOT tag:c')).toEqual({
      text:
        `(${SET}@> ARRAY[rollcall_tag_name($1), ` +
        'rollcall_tag_pair($2, $3)], FALSE) AND ' +
        `${TAG}(((t.key LIKE $4 OR t.value LIKE $4)))) AND ` +
        `(NOT ${SET}@> ARRAY[rollcall_tag_name($5)], FALSE)))`,
      values: ['a', 'k', 'v', 'gpu-%', 'c'],
    });
  });

  it('tests the exact tags of one OR together and its prefixes in one probe', () => {
    expect(sql('tag:a OR tag:x* OR status:failed OR tag:b OR tag:y*')).toEqual({
      text:
        `(${SET}&& ARRAY[rollcall_tag_name($1), rollcall_tag_name($2)], ` +
        `FALSE) OR ${TAG}(((t.key LIKE $3 OR t.value LIKE $3)) OR ` +
        '((t.key LIKE $4 OR t.value LIKE $4)))) OR ' +
        's.state = ANY($5::device_state[]))',
      values: ['a', 'b', 'x%', 'y%', ['failed']],
    });
  });

  it('numbers parameters after the caller\u2019s own', () => {
    expect(sql('tag:region=factory-a AND NOT status:healthy', 2)).toEqual({
      text:
        `(${SET}@> ARRAY[rollcall_tag_pair($3, $4)], FALSE) AND ` +
        '(NOT s.state = ANY($5::device_state[])))',
      values: ['region', 'factory-a', ['healthy']],
    });
  });

  it('escapes LIKE metacharacters in prefixes', () => {
    expect(sql('tag:gpu_*').values).toEqual(['gpu\\_%']);
  });

  it('never puts a value into the SQL text', () => {
    const condition = sql(
      'hostname = "x\'; DROP TABLE devices; --" OR hardware.ram_mb >= 4096 ' +
        'OR deployment.current_version < 2.3.0 OR last_heartbeat < now-15m',
    );
    expect(condition).toEqual({
      text:
        '(d.hostname = $1::text OR (d.ram_mb IS NOT NULL AND d.ram_mb >= $2::bigint) OR ' +
        '(d.current_version IS NOT NULL AND d.current_version_key < ' +
        'rollcall_version_key($3::text)) OR (s.last_heartbeat_at IS NOT NULL AND ' +
        's.last_heartbeat_at < $4::timestamptz))',
      values: [
        "x'; DROP TABLE devices; --",
        4096,
        '2.3.0',
        new Date('2025-01-16T10:45:00.000Z'),
      ],
    });
  });

  it('compiles offline_for against the injected now', () => {
    expect(sql('offline_for > 1h')).toEqual({
      text:
        '(s.state = $1::device_state AND s.offline_since IS NOT NULL AND ' +
        's.offline_since < $2::timestamptz)',
      values: ['offline', new Date('2025-01-16T10:00:00.000Z')],
    });
  });

  it('compiles static groups and empty lists', () => {
    expect(sql('group:critical-devices OR status IN ()')).toEqual({
      text:
        '(EXISTS (SELECT 1 FROM group_members gm JOIN groups g ON g.id = ' +
        'gm.group_id WHERE g.name = $1 AND gm.device_id = d.id) OR FALSE)',
      values: ['critical-devices'],
    });
  });

  it('compiles a composed tree, OR-ed tag terms sharing one test', () => {
    const composed = and(parse('tag:a OR tag:b'), parse('tier:alert'));
    expect(toSql(composed, { now: NOW }).text).toEqual(
      `((${SET}&& ARRAY[rollcall_tag_name($1), rollcall_tag_name($2)], ` +
        'FALSE)) AND (s.offline_tier IS NOT NULL AND ' +
        's.offline_tier = ANY($3::offline_tier[])))',
    );
  });

  it('throws the first validation error', () => {
    expect(() => sql('hardware.ram_mb >= lots')).toThrow(
      'Field hardware.ram_mb needs an integer: "lots" is not an integer.',
    );
  });
});
