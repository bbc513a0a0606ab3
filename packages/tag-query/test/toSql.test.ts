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

const TAG = 'EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = d.id AND ';

describe('toSql', () => {
  it('compiles a tag to an index-friendly EXISTS with one parameter', () => {
    expect(sql('tag:production')).toEqual({
      text: `${TAG}(t.key = $1 OR t.value = $1))`,
      values: ['production'],
    });
  });

  it('numbers parameters after the caller\u2019s own', () => {
    expect(sql('tag:region=factory-a AND NOT status:healthy', 2)).toEqual({
      text:
        `(${TAG}t.key = $3 AND t.value = $4) AND ` +
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
        '(d.current_version IS NOT NULL AND rollcall_version_key(d.current_version) < ' +
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

  it('compiles a composed tree, OR-ed tag terms sharing one probe', () => {
    const composed = and(parse('tag:a OR tag:b'), parse('tier:alert'));
    expect(toSql(composed, { now: NOW }).text).toEqual(
      `((${TAG}(((t.key = $1 OR t.value = $1)) OR ((t.key = $2 OR ` +
        't.value = $2))))) AND (s.offline_tier IS NOT NULL AND ' +
        's.offline_tier = ANY($3::offline_tier[])))',
    );
  });

  it('throws the first validation error', () => {
    expect(() => sql('hardware.ram_mb >= lots')).toThrow(
      'Field hardware.ram_mb needs an integer: "lots" is not an integer.',
    );
  });
});
