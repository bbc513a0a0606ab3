import { describe, expect, it } from 'vitest';
import {
  parseManifestYaml,
  validateManifest,
  versionFromArtifact,
} from '../src/deployments/manifest.ts';
import { manifestFrom } from '../src/deployments/deploymentService.ts';
import { RollcallError } from '../src/errors.ts';

function errorOf(run: () => unknown): {
  code: string;
  message: string;
  details: unknown;
} {
  try {
    run();
  } catch (error) {
    if (error instanceof RollcallError) {
      return {
        code: error.code,
        message: error.message,
        details: error.details,
      };
    }
    throw error;
  }
  throw new Error('expected an error');
}

const SPEC_YAML = `
deployment:
  artifact: "inference-app:v2.3.1"
  target:
    groups: ["factory-a-gpu"]
    exclude_groups: ["critical-devices"]
  canary:
    source_group: "canary-pool"
    count: 3
    selection: "one-per-device-type"
  waves:
    - name: "critical"
      groups: ["critical-devices"]
      percentage: 100
      soak_minutes: 30
      require_approval: true
    - name: "main-fleet"
      groups: ["factory-a-gpu"]
      exclude_groups: ["critical-devices"]
      percentage: 100
      soak_minutes: 15
`;

describe('deployment manifest', () => {
  it('reads the spec YAML manifest with every field, deriving the version from the tag', () => {
    expect(parseManifestYaml(SPEC_YAML)).toEqual({
      artifact: 'inference-app:v2.3.1',
      targetVersion: '2.3.1',
      target: {
        groups: ['factory-a-gpu'],
        excludeGroups: ['critical-devices'],
      },
      canary: {
        sourceGroup: 'canary-pool',
        count: 3,
        selection: 'one-per-device-type',
        soakMinutes: 0,
      },
      waves: [
        {
          name: 'critical',
          groups: ['critical-devices'],
          excludeGroups: [],
          percentage: 100,
          soakMinutes: 30,
          requireApproval: true,
          timeoutMinutes: 60,
        },
        {
          name: 'main-fleet',
          groups: ['factory-a-gpu'],
          excludeGroups: ['critical-devices'],
          percentage: 100,
          soakMinutes: 15,
          requireApproval: false,
          timeoutMinutes: 60,
        },
      ],
    });
  });

  it('gives a manifest without waves one wave over the target', () => {
    const manifest = validateManifest({
      artifact: 'inference-app:2.4.0',
      target: { groups: ['all'], excludeGroups: ['lab'] },
    });
    expect(manifest.waves).toEqual([
      {
        name: 'all',
        groups: ['all'],
        excludeGroups: ['lab'],
        percentage: 100,
        soakMinutes: 0,
        requireApproval: false,
        timeoutMinutes: 60,
      },
    ]);
  });

  it('derives versions from artifact tags only when the tag is a version', () => {
    expect(
      [
        'inference-app:v2.3.1',
        'registry:5000/app:1.0.0-rc.1',
        'app:latest',
        'app',
      ].map(versionFromArtifact),
    ).toEqual(['2.3.1', '1.0.0-rc.1', null, null]);
  });

  it('refuses a bad percentage naming the field', () => {
    expect(
      errorOf(() =>
        validateManifest({
          artifact: 'app:1.0.0',
          target: { groups: ['a'] },
          waves: [{ name: 'w', groups: ['a'], percentage: 120 }],
        }),
      ),
    ).toEqual({
      code: 'INVALID_MANIFEST',
      message: 'waves[0].percentage: must be between 1 and 100; got 120',
      details: { path: 'waves[0].percentage' },
    });
  });

  it('refuses a missing version, duplicate waves and an unknown selection', () => {
    const codes = [
      () =>
        validateManifest({ artifact: 'app:latest', target: { groups: ['a'] } }),
      () =>
        validateManifest({
          artifact: 'app:1.0.0',
          target: { groups: ['a'] },
          waves: [
            { name: 'w', groups: ['a'] },
            { name: 'w', groups: ['a'] },
          ],
        }),
      () =>
        validateManifest({
          artifact: 'app:1.0.0',
          target: { groups: ['a'] },
          canary: { sourceGroup: 'c', count: 1, selection: 'fastest' },
        }),
      () => validateManifest({ artifact: 'app:1.0.0', target: { groups: [] } }),
    ].map((run) => (errorOf(run).details as { path: string }).path);
    expect(codes).toEqual([
      'target_version',
      'waves[1].name',
      'canary.selection',
      'target.groups',
    ]);
  });

  it('caps YAML aliases so a small document cannot expand', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 12 },
        (_, i) => `b${i}: [*a, *a, *a, *a, *a, *a]`,
      ),
    ].join('\n');
    expect(errorOf(() => parseManifestYaml(bomb))).toEqual({
      code: 'INVALID_MANIFEST',
      message:
        'yaml: Excessive alias count indicates a resource exhaustion attack',
      details: { path: 'yaml' },
    });
  });

  it('takes exactly one of the GraphQL input and the YAML', () => {
    expect(errorOf(() => manifestFrom({})).code).toBe('BAD_USER_INPUT');
    expect(
      errorOf(() =>
        manifestFrom({ manifestYaml: SPEC_YAML, manifest: { artifact: 'x' } }),
      ).code,
    ).toBe('BAD_USER_INPUT');
  });
});
