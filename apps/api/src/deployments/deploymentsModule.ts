import { requireRole } from '../auth/authService.ts';
import { actorName } from '../auth/principal.ts';
import type { RequestContext } from '../server/context.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import { checkText, INPUT_LIMITS } from '../server/inputLimits.ts';
import type { DeploymentRow, DeviceRow, WaveRow } from './deploymentRows.ts';
import { manifestFrom, type ManifestArguments } from './deploymentService.ts';
import { deploymentTypeDefs } from './deploymentTypeDefs.ts';

type Ctx = RequestContext;

/** Largest manifest YAML accepted, in characters. */
const MAX_MANIFEST_CHARACTERS = 65_536;

function operator(context: Ctx): string {
  requireRole(context.principal, 'operator');
  return actorName(context.principal);
}

function manifestOf(args: ManifestArguments) {
  if (typeof args.manifestYaml === 'string') {
    checkText(args.manifestYaml, 'manifestYaml', MAX_MANIFEST_CHARACTERS, {
      isMultiline: true,
    });
  }
  return manifestFrom(args);
}

function upperEnum(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((value) => [value.toUpperCase(), value]),
  );
}

function deviceOf(row: DeviceRow) {
  return {
    deviceId: row.device_id,
    waveIndex: row.wave_index,
    state: row.state,
    targetVersion: row.target_version,
    fromVersion: row.from_version,
    assignedAt: row.assigned_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

async function wavesOf(deployment: DeploymentRow, context: Ctx) {
  const service = context.services.deployments;
  const [waves, devices] = await Promise.all([
    service.waves(deployment.id),
    service.devices(deployment.id),
  ]);
  return waves.map((wave: WaveRow) => {
    const own = devices.filter((device) => device.wave_index === wave.index);
    const count = (state: string) =>
      own.filter((device) => device.state === state).length;
    return {
      index: wave.index,
      name: wave.name,
      isCanary: wave.is_canary,
      groups: wave.groups,
      excludeGroups: wave.exclude_groups,
      percentage: wave.percentage,
      soakMinutes: wave.soak_minutes,
      requireApproval: wave.require_approval,
      state: wave.state,
      startedAt: wave.started_at,
      soakUntil: wave.soak_until,
      approvedBy: wave.approved_by,
      approvedAt: wave.approved_at,
      completedAt: wave.completed_at,
      devices: own.map(deviceOf),
      succeeded: count('succeeded'),
      failed: count('quarantined'),
      skipped: count('skipped'),
      pending: count('assigned'),
    };
  });
}

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Deployments: plan, create, run, gate, abort, roll back, follow. */
export const deploymentsModule: GraphqlModule = {
  name: 'deployments',
  typeDefs: deploymentTypeDefs,
  resolvers: {
    DeploymentState: upperEnum([
      'planned',
      'running',
      'paused',
      'completed',
      'aborted',
    ]),
    WaveState: upperEnum([
      'pending',
      'awaiting_approval',
      'running',
      'soaking',
      'completed',
      'aborted',
    ]),
    DeviceDeploymentState: upperEnum([
      'assigned',
      'succeeded',
      'quarantined',
      'skipped',
      'aborted',
    ]),
    CanarySelection: {
      ONE_PER_DEVICE_TYPE: 'one-per-device-type',
      RANDOM: 'random',
      FIRST: 'first',
    },
    Deployment: {
      targetVersion: (row: DeploymentRow) => row.target_version,
      currentWave: (row: DeploymentRow) => row.current_wave,
      createdBy: (row: DeploymentRow) => row.created_by,
      createdAt: (row: DeploymentRow) => row.created_at,
      startedAt: (row: DeploymentRow) => row.started_at,
      finishedAt: (row: DeploymentRow) => row.finished_at,
      waves: (row: DeploymentRow, _: unknown, context: Ctx) =>
        wavesOf(row, context),
      devices: async (
        row: DeploymentRow,
        args: { state?: string | null },
        context: Ctx,
      ) => {
        const devices = await context.services.deployments.devices(row.id);
        return devices
          .filter((device) => !args.state || device.state === args.state)
          .map(deviceOf);
      },
    },
    Device: {
      deploymentLog: (device: { id: string }, args: PageArgs, context: Ctx) => {
        requireRole(context.principal, 'viewer');
        return context.services.deployments.log(
          { deviceId: device.id },
          args.first,
          args.after,
        );
      },
    },
    Query: {
      deployments: (
        _: unknown,
        args: PageArgs & { state?: string | null },
        context: Ctx,
      ) => {
        requireRole(context.principal, 'viewer');
        return context.services.deployments.list(
          args.state ?? null,
          args.first,
          args.after,
        );
      },
      deployment: (_: unknown, args: { id: string }, context: Ctx) => {
        requireRole(context.principal, 'viewer');
        return context.services.deployments.get(args.id);
      },
      deploymentLog: (
        _: unknown,
        args: PageArgs & {
          deploymentId?: string | null;
          deviceId?: string | null;
        },
        context: Ctx,
      ) => {
        requireRole(context.principal, 'viewer');
        return context.services.deployments.log(args, args.first, args.after);
      },
    },
    Mutation: {
      planDeployment: (_: unknown, args: ManifestArguments, context: Ctx) => {
        operator(context);
        return context.services.deployments.plan(manifestOf(args));
      },
      createDeployment: (_: unknown, args: ManifestArguments, context: Ctx) => {
        const actor = operator(context);
        return context.services.deployments.create(manifestOf(args), actor);
      },
      startDeployment: (_: unknown, args: { id: string }, context: Ctx) =>
        context.services.deployments.start(args.id, operator(context)),
      pauseDeployment: (_: unknown, args: { id: string }, context: Ctx) =>
        context.services.deployments.pause(args.id, operator(context)),
      resumeDeployment: (_: unknown, args: { id: string }, context: Ctx) =>
        context.services.deployments.resume(args.id, operator(context)),
      abortDeployment: (
        _: unknown,
        args: { id: string; reason?: string | null },
        context: Ctx,
      ) => {
        const actor = operator(context);
        if (args.reason) checkText(args.reason, 'reason', INPUT_LIMITS.text);
        return context.services.deployments.abort(
          args.id,
          actor,
          args.reason ?? null,
        );
      },
      approveWave: (
        _: unknown,
        args: { deploymentId: string; waveIndex: number },
        context: Ctx,
      ) =>
        context.services.deployments.approveWave(
          args.deploymentId,
          args.waveIndex,
          operator(context),
        ),
      rollbackDevice: (_: unknown, args: { id: string }, context: Ctx) =>
        context.services.deployments.rollbackDevice(args.id, operator(context)),
    },
    Subscription: {
      deploymentProgress: {
        subscribe: async (_: unknown, args: { id: string }, context: Ctx) => {
          requireRole(context.principal, 'viewer');
          return context.services.deployments.watchProgress(args.id);
        },
        resolve: (row: unknown) => row,
      },
    },
  },
};
