import { describe, expect, it } from 'vitest';
import { analyze, parse } from '../src/index.ts';
import { groupResolver } from './support/index.ts';

describe('analyze', () => {
  it('lists every tag, field, state, tier and group a query refers to', () => {
    const ast = parse(
      'tag:production AND tag:region=factory-a AND tag:site-* AND ' +
        'tag:line=assembly-* AND status IN (Healthy, degraded) AND ' +
        'status.state != failed AND tier:alert AND group:canary-pool AND ' +
        'hardware.ram_mb >= 4096 AND last_heartbeat < now-15m',
    );
    expect(analyze(ast)).toEqual({
      tags: ['factory-a', 'line', 'production', 'region'],
      tagPrefixes: ['assembly-', 'site-'],
      fields: ['hardware.ram_mb', 'status.last_heartbeat', 'status.state'],
      states: ['healthy', 'degraded', 'failed'],
      tiers: ['alert'],
      groups: ['canary-pool'],
      usesTime: true,
    });
  });

  it('looks into dynamic groups when given a resolver, once per group', () => {
    const ast = parse('group:nested OR group:loop-a');
    expect(analyze(ast, { groups: groupResolver() })).toEqual({
      tags: ['canary-eligible', 'production'],
      tagPrefixes: [],
      fields: [],
      states: ['healthy'],
      tiers: [],
      groups: ['canary-pool', 'critical-devices', 'loop-a', 'loop-b', 'nested'],
      usesTime: false,
    });
  });

  it('reports absolute times as not depending on the clock', () => {
    expect(analyze(parse('metadata.registered < 2024-07-01')).usesTime).toEqual(
      false,
    );
    expect(analyze(parse('offline_for > 1h')).usesTime).toEqual(true);
  });
});
