import type pg from 'pg';
import type { Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import { RollcallError, notFound } from '../errors.ts';
import type { EventBus } from '../events/eventBus.ts';
import { createEventFeed } from '../live/eventFeed.ts';
import type { HeartbeatObserver } from '../liveness/heartbeatObserver.ts';
import type { Logger } from '../logger.ts';
import { createCatchUpObserver } from '../catchUp/catchUpObserver.ts';
import { followTimelineEvents } from '../catchUp/catchUpTimeline.ts';
import * as control from './deploymentControl.ts';
import { listLog } from './deploymentLog.ts';
import { createDeploymentObserver } from './deploymentObserver.ts';
import {
  loadDevices,
  type DeploymentDeps,
  type DeploymentRow,
  type DeviceRow,
  type WaveRow,
} from './deploymentRows.ts';
import * as store from './deploymentStore.ts';
import {
  createDeploymentWorker,
  type DeploymentWorker,
} from './deploymentWorker.ts';
import type { GroupMemberSource } from './groupMembers.ts';
import {
  parseManifestYaml,
  validateManifest,
  type DeploymentManifest,
  type ManifestInput,
} from './manifest.ts';
import { planDeployment, type DeploymentPlan } from './planner.ts';
import { rollbackDevice, type RollbackRequest } from './rollback.ts';

/** The manifest arguments: exactly one of GraphQL input or YAML text. */
export interface ManifestArguments {
  manifest?: ManifestInput | null;
  manifestYaml?: string | null;
}

/** Reads the manifest from GraphQL input or the spec's YAML. */
export function manifestFrom(args: ManifestArguments): DeploymentManifest {
  const hasInput = args.manifest !== undefined && args.manifest !== null;
  const hasYaml = typeof args.manifestYaml === 'string';
  if (hasInput === hasYaml) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      'Give exactly one of "manifest" and "manifestYaml"',
      { argument: 'manifest' },
    );
  }

  return hasYaml
    ? parseManifestYaml(args.manifestYaml as string)
    : validateManifest(args.manifest as ManifestInput);
}

/** Deployments: planning, execution, progress, rollback. */
export interface DeploymentService {
  readonly deps: DeploymentDeps;
  /** The deployments observer then the catch-up observer, in this order. */
  readonly observers: HeartbeatObserver[];
  readonly worker: DeploymentWorker;
  plan(manifest: DeploymentManifest): Promise<DeploymentPlan>;
  create(manifest: DeploymentManifest, actor: string): Promise<DeploymentRow>;
  start(id: string, actor: string): Promise<DeploymentRow>;
  pause(id: string, actor: string): Promise<DeploymentRow>;
  resume(id: string, actor: string): Promise<DeploymentRow>;
  abort(
    id: string,
    actor: string,
    reason: string | null,
  ): Promise<DeploymentRow>;
  approveWave(
    id: string,
    waveIndex: number,
    actor: string,
  ): Promise<DeploymentRow>;
  rollbackDevice(deviceId: string, actor: string): Promise<RollbackRequest>;
  get(id: string): Promise<DeploymentRow | null>;
  list: (
    state: string | null,
    first?: number | null,
    after?: string | null,
  ) => ReturnType<typeof store.listDeployments>;
  waves(id: string): Promise<WaveRow[]>;
  counts(id: string): Promise<Map<number, store.WaveCounts>>;
  devices(id: string): Promise<DeviceRow[]>;
  log: (
    filter: { deploymentId?: string | null; deviceId?: string | null },
    first?: number | null,
    after?: string | null,
  ) => ReturnType<typeof listLog>;
  /** Follows decommission and tier events for the catch-up timeline. */
  followEvents(): () => void;
  /**
   * The deployment after each of its changes (NOT_FOUND when unknown),
   * read once per change for all of its subscribers.
   */
  watchProgress(id: string): Promise<AsyncIterableIterator<DeploymentRow>>;
  /** Open `watchProgress` subscribers (for tests and metrics). */
  progressSubscriberCount(): number;
}

export function createDeploymentService(options: {
  pool: pg.Pool;
  clock: Clock;
  logger: Logger;
  config: RollcallConfig;
  events: EventBus;
  groups: GroupMemberSource;
}): DeploymentService {
  const { config, ...services } = options;
  const deps: DeploymentDeps = {
    ...services,
    catchUpDeliveryTimeoutMs: config.catch_up.delivery_timeout_minutes * 60_000,
  };
  const must = async (id: string) => {
    const row = await store.getDeployment(deps.pool, id);
    if (!row) throw notFound('deployment', id);
    return row;
  };
  const progress = createEventFeed({
    events: deps.events,
    kinds: ['deploymentChanged'],
    load: (event) => store.getDeployment(deps.pool, event.deploymentId),
    logger: deps.logger,
  });
  const then =
    <A extends unknown[]>(
      act: (d: DeploymentDeps, id: string, ...a: A) => Promise<void>,
    ) =>
    async (id: string, ...args: A) => {
      await act(deps, id, ...args);
      return must(id);
    };

  return {
    deps,
    observers: [createDeploymentObserver(deps), createCatchUpObserver(deps)],
    worker: createDeploymentWorker(deps),
    plan: (manifest) => planDeployment(deps.pool, deps.groups, manifest),
    async create(manifest, actor) {
      await planDeployment(deps.pool, deps.groups, manifest);
      return must(await store.createDeployment(deps, manifest, actor));
    },
    start: then(control.startDeployment),
    pause: then(control.pauseDeployment),
    resume: then(control.resumeDeployment),
    abort: then(control.abortDeployment),
    approveWave: then(control.approveWave),
    rollbackDevice: (deviceId, actor) => rollbackDevice(deps, deviceId, actor),
    get: (id) => store.getDeployment(deps.pool, id),
    list: (state, first, after) =>
      store.listDeployments(deps.pool, config, state, first, after),
    waves: (id) => store.getWaves(deps.pool, id),
    counts: (id) => store.waveCounts(deps.pool, id),
    devices: (id) => loadDevices(deps.pool, id),
    log: (filter, first, after) =>
      listLog(deps.pool, config, filter, first, after),
    followEvents: () => followTimelineEvents(deps, deps.events),
    async watchProgress(id) {
      await must(id);
      return progress.open((event) => event.deploymentId === id);
    },
    progressSubscriberCount: () => progress.count(),
  };
}
