import { CATCH_UP_REASON } from '@rollcall/fleet';
import type { CatchUpDocument } from '../../src/importExport/catchUpDocument.ts';
import type { DeploymentDocument } from '../../src/importExport/deploymentDocument.ts';
import type { GroupDocument } from '../../src/importExport/groupDocument.ts';
import type { DemoDevice } from './demoDevices.ts';

/** The spec's example groups, and a few more. */
export function demoGroups(devices: DemoDevice[]): GroupDocument[] {
  const safety = devices
    .filter(
      (d) =>
        d.document.tags.role === 'line-monitoring' &&
        d.site === 'factory-b' &&
        d.environment === 'production',
    )
    .slice(0, 6)
    .map((d) => d.document.id);
  const groups: GroupDocument[] = [
    {
      name: 'production-fleet',
      description: 'All production devices',
      membership: 'dynamic',
      query: 'tag:production AND NOT tag:decommissioned',
    },
    {
      name: 'factory-a-gpu',
      description: 'GPU-capable devices at factory A',
      membership: 'dynamic',
      query: 'tag:production AND tag:gpu-capable AND tag:site-factory-a',
    },
    {
      name: 'canary-pool',
      description: 'Devices eligible for canary deployment',
      membership: 'dynamic',
      query: 'tag:canary-eligible AND tag:production AND status:healthy',
    },
    {
      name: 'critical-devices',
      description: 'High-priority devices requiring careful deployment',
      membership: 'static',
      devices: [
        'edge-gateway-prod-001',
        'edge-jetson-prod-001',
        'edge-jetson-prod-002',
      ],
      deploy_policy: 'canary-only-first-wave',
    },
    {
      name: 'jetson-orin-fleet',
      description: 'All Jetson Orin Nano devices',
      membership: 'dynamic',
      query: 'tag:gpu-jetson-orin',
    },
    {
      name: 'factory-b-devices',
      description: 'Every device at factory B',
      membership: 'dynamic',
      query: 'tag:site-factory-b',
    },
    {
      name: 'warehouse-gateways',
      description: 'Edge gateways of warehouse 1',
      membership: 'dynamic',
      query: 'tag:site-warehouse-1 AND tag:gateway',
    },
    {
      name: 'staging-fleet',
      description: 'Pre-production devices',
      membership: 'dynamic',
      query: 'tag:staging OR tag:development',
    },
    {
      name: 'line-safety-monitors',
      description: 'Monitors that the factory B safety audit covers',
      membership: 'static',
      devices: safety.sort(),
    },
  ];
  return groups.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const WAVES = [
  {
    name: 'critical',
    groups: ['critical-devices'],
    exclude_groups: [],
    percentage: 100,
    soak_minutes: 30,
    require_approval: true,
  },
  {
    name: 'main-fleet',
    groups: ['factory-a-gpu'],
    exclude_groups: ['critical-devices'],
    percentage: 100,
    soak_minutes: 15,
    require_approval: false,
  },
];

/**
 * deploy-20250116-001, the spec's rollout of inference-app:v2.3.1 to the
 * factory A GPU fleet: canary, critical and main waves done; the devices
 * that were offline are skipped and queued for catch-up.
 */
export function demoDeployment(devices: DemoDevice[]): {
  deployment: DeploymentDocument;
  queue: CatchUpDocument[];
} {
  const critical = new Set([
    'edge-gateway-prod-001',
    'edge-jetson-prod-001',
    'edge-jetson-prod-002',
  ]);
  const targets = devices.filter(
    (d) =>
      d.environment === 'production' &&
      d.site === 'factory-a' &&
      d.document.hardware.has_gpu &&
      !['decommissioned', 'maintenance', 'provisioning', 'failed'].includes(
        d.document.status.state,
      ),
  );
  const canaries = targets
    .filter(
      (d) =>
        d.document.labels.includes('canary-eligible') &&
        d.document.status.state === 'healthy',
    )
    .slice(0, 3);
  const canaryIds = new Set(canaries.map((d) => d.document.id));
  const log: DeploymentDocument['status']['log'] = [
    {
      at: '2025-01-16T13:00:00Z',
      device_id: null,
      action: 'started',
      message: 'deployment started by operator:alice',
    },
  ];
  const queue: CatchUpDocument[] = [];
  const parts = targets.map((d) => {
    const id = d.document.id;
    const wave = canaryIds.has(id) ? 0 : critical.has(id) ? 1 : 2;
    const at = [
      '2025-01-16T13:05:00Z',
      '2025-01-16T13:40:00Z',
      '2025-01-16T14:20:00Z',
    ][wave]!;
    if (d.document.status.state === 'offline') {
      log.push({
        at,
        device_id: id,
        action: 'skipped',
        message: `[${id}] skipped: offline (last heartbeat: ${d.document.status.last_heartbeat})`,
      });
      queue.push({
        device_id: id,
        target_version: '2.3.1',
        deployment_id: 'deploy-20250116-001',
        queued_at: '2025-01-16T14:30:00Z',
        reason: CATCH_UP_REASON,
        attempts: 0,
        max_attempts: 3,
        priority: d.document.tags.priority === 'high' ? 'high' : 'normal',
      });
      return {
        device_id: id,
        wave,
        state: 'skipped',
        target_version: '2.3.1',
        from_version: '2.3.0',
        assigned_at: null,
        finished_at: null,
        error: 'device offline',
      };
    }
    d.document.deployment = {
      ...d.document.deployment,
      current_version: '2.3.1',
      previous_version: '2.3.0',
      last_deployed: at,
      rollback_version: '2.3.0',
    };
    log.push({
      at,
      device_id: id,
      action: 'succeeded',
      message: `[${id}] reported 2.3.1`,
    });
    return {
      device_id: id,
      wave,
      state: 'succeeded',
      target_version: '2.3.1',
      from_version: '2.3.0',
      assigned_at: at,
      finished_at: at,
      error: null,
    };
  });
  log.push({
    at: '2025-01-16T14:30:00Z',
    device_id: null,
    action: 'completed',
    message: `deployment completed; ${queue.length} offline devices queued for catch-up`,
  });
  log.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const waveTimes: Array<[string, string, string | null]> = [
    ['2025-01-16T13:00:00Z', '2025-01-16T13:30:00Z', null],
    ['2025-01-16T13:30:00Z', '2025-01-16T14:10:00Z', 'operator:alice'],
    ['2025-01-16T14:10:00Z', '2025-01-16T14:30:00Z', null],
  ];
  const waves = [
    {
      name: 'canary',
      groups: ['canary-pool'],
      exclude_groups: [],
      percentage: 100,
      soak_minutes: 0,
      require_approval: false,
    },
    ...WAVES,
  ].map((wave, index) => ({
    index,
    is_canary: index === 0,
    ...wave,
    state: 'completed',
    started_at: waveTimes[index]![0],
    soak_until: waveTimes[index]![1],
    approved_by: waveTimes[index]![2],
    approved_at: waveTimes[index]![2] ? waveTimes[index]![1] : null,
    completed_at: waveTimes[index]![1],
  }));
  const deployment: DeploymentDocument = {
    id: 'deploy-20250116-001',
    artifact: 'inference-app:v2.3.1',
    target_version: '2.3.1',
    target: { groups: ['factory-a-gpu'], exclude_groups: ['critical-devices'] },
    canary: {
      source_group: 'canary-pool',
      count: 3,
      selection: 'one-per-device-type',
    },
    waves: WAVES,
    status: {
      state: 'completed',
      current_wave: null,
      created_by: 'operator:alice',
      created_at: '2025-01-16T12:45:00Z',
      started_at: '2025-01-16T13:00:00Z',
      finished_at: '2025-01-16T14:30:00Z',
      waves,
      devices: parts.sort((a, b) => (a.device_id < b.device_id ? -1 : 1)),
      log,
    },
  };
  return { deployment, queue };
}

/**
 * The spec's second queue example: an RPi that has been tried once, queued
 * by the demo's one deployment (an entry must name a deployment that
 * exists, or import refuses the queue).
 */
export function retriedEntry(devices: DemoDevice[]): CatchUpDocument | null {
  const rpi = devices.find(
    (d) =>
      d.document.id.startsWith('edge-rpi-prod-') &&
      d.document.status.state === 'offline',
  );
  if (!rpi) return null;
  return {
    device_id: rpi.document.id,
    target_version: '2.3.1',
    deployment_id: 'deploy-20250116-001',
    queued_at: '2025-01-16T14:30:00Z',
    reason: CATCH_UP_REASON,
    attempts: 1,
    max_attempts: 3,
    priority: 'normal',
    last_attempt: '2025-01-16T15:00:00Z',
    last_failure: 'device still offline',
  };
}
