import type { OperatorAction } from '@rollcall/fleet';
import { retryOnConflict } from '../db/conflictRetry.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { ServiceDependencies } from '../server/services.ts';
import type { TagInput } from '../tags/tagInput.ts';
import type { TagService } from '../tags/tagService.ts';
import { groupsOfDevices } from './deviceGroups.ts';
import {
  listAuditLog,
  listStateTransitions,
  type AuditEntryView,
  type StateTransitionView,
} from './deviceHistory.ts';
import { findDevice, listDevices, type ListDevicesArgs } from './deviceList.ts';
import type { DeviceTagView } from './deviceLoaders.ts';
import type { DeviceRecord } from './deviceRecord.ts';
import { tagsOfDevices } from './deviceTags.ts';
import {
  tagDevices,
  untagDevices,
  type TagChange,
  type TagTarget,
} from './deviceTagging.ts';
import {
  decommissionDevice,
  transitionDevice,
  type Decommissioning,
} from './deviceTransitions.ts';
import type { Connection } from './pagination.ts';
import {
  registerDevice,
  type RegisterDeviceInput,
  type Registration,
} from './registerDevice.ts';
import { updateDevice, type UpdateDeviceInput } from './updateDevice.ts';
import { validateQuery, type QueryValidation } from './validateQuery.ts';

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * The registry's device operations (the spec's "Registry Operations"):
 * reads by id and by tag query, registration, guarded state changes,
 * updates, bulk tagging, decommissioning and the history. Every write is
 * one transaction that records its transition or audit entry and
 * publishes its events before committing. `actor` is who asked
 * (`actorName(principal)`).
 */
export interface DeviceService {
  device(id: string): Promise<DeviceRecord | null>;
  devices(args: ListDevicesArgs): Promise<Connection<DeviceRecord>>;
  validateQuery(text: string): Promise<QueryValidation>;
  /** Tags per device id, for the batch loader. */
  tagsOf(ids: string[]): Promise<Map<string, DeviceTagView[]>>;
  /** Static and dynamic group names per device id, resolved now. */
  groupsOf(ids: string[]): Promise<Map<string, string[]>>;
  register(input: RegisterDeviceInput, actor: string): Promise<Registration>;
  transition(
    id: string,
    action: OperatorAction,
    reason: string | null,
    actor: string,
  ): Promise<DeviceRecord>;
  update(
    id: string,
    input: UpdateDeviceInput,
    actor: string,
  ): Promise<DeviceRecord>;
  tag(target: TagTarget, tags: TagInput[], actor: string): Promise<TagChange>;
  untag(target: TagTarget, tags: TagInput[], actor: string): Promise<TagChange>;
  decommission(
    id: string,
    options: { force: boolean; reason: string | null },
    actor: string,
  ): Promise<Decommissioning>;
  stateTransitions(
    deviceId: string,
    args: PageArgs,
  ): Promise<Connection<StateTransitionView>>;
  auditLog(
    filter: { entityType?: string | null; entityId?: string | null },
    args: PageArgs,
  ): Promise<Connection<AuditEntryView>>;
}

export function createDeviceService(
  deps: ServiceDependencies,
  events: EventBus,
  tags: TagService,
): DeviceService {
  const { pool } = deps.db;
  const { clock, config, logger } = deps;
  const changeDeps = { events, logger, config };
  // Each write is one transaction that a deadlock or serialization
  // failure rolls back whole, so it is safe to run again.
  const retried = <T>(operation: string, write: () => Promise<T>) =>
    retryOnConflict(logger, operation, write);

  return {
    device: (id) => findDevice(pool, id),
    devices: (args) => listDevices(pool, config, clock.now(), args),
    validateQuery: (text) => validateQuery(pool, text, clock.now()),
    async tagsOf(ids) {
      await tags.ensureTaxonomy();
      return tagsOfDevices(pool, ids);
    },
    groupsOf: (ids) => groupsOfDevices(pool, logger, ids, clock.now()),
    register: (input, actor) =>
      retried('registerDevice', () =>
        registerDevice(pool, changeDeps, input, actor, clock.now()),
      ),
    transition: (id, action, reason, actor) =>
      retried('transitionDevice', () =>
        transitionDevice(pool, changeDeps, {
          deviceId: id,
          action,
          reason,
          actor,
          at: clock.now(),
        }),
      ),
    update: (id, input, actor) =>
      retried('updateDevice', () =>
        updateDevice(pool, changeDeps, {
          deviceId: id,
          input,
          actor,
          at: clock.now(),
        }),
      ),
    tag: (target, list, actor) =>
      retried('tagDevices', () =>
        tagDevices(pool, changeDeps, {
          target,
          tags: list,
          actor,
          at: clock.now(),
        }),
      ),
    untag: (target, list, actor) =>
      retried('untagDevices', () =>
        untagDevices(pool, changeDeps, {
          target,
          tags: list,
          actor,
          at: clock.now(),
        }),
      ),
    decommission: (id, options, actor) =>
      retried('decommissionDevice', () =>
        decommissionDevice(pool, changeDeps, {
          deviceId: id,
          ...options,
          actor,
          at: clock.now(),
        }),
      ),
    stateTransitions: (deviceId, args) =>
      listStateTransitions(pool, config, deviceId, args),
    auditLog: (filter, args) => listAuditLog(pool, config, filter, args),
  };
}
