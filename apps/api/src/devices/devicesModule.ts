import {
  allowedActions,
  OPERATOR_ACTIONS,
  type OperatorAction,
} from '@rollcall/fleet';
import type { GraphQLResolveInfo } from 'graphql';
import { requireRole } from '../auth/authService.ts';
import { actorName } from '../auth/principal.ts';
import type { RequestContext } from '../server/context.ts';
import { selectsField } from '../server/selectsField.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import {
  checkList,
  checkQueryText,
  checkText,
  INPUT_LIMITS,
} from '../server/inputLimits.ts';
import type { TagInput } from '../tags/tagInput.ts';
import { deviceOperationDefs } from './deviceOperationDefs.ts';
import type { DeviceRecord } from './deviceRecord.ts';
import { deviceLoaders } from './deviceLoaders.ts';
import { deviceTypeDefs } from './deviceTypeDefs.ts';
import type { ListDevicesArgs } from './deviceList.ts';
import type { RegisterDeviceInput } from './registerDevice.ts';
import { actionEnumName } from './stateChange.ts';
import type { UpdateDeviceInput } from './updateDevice.ts';

type Ctx = RequestContext;

function viewer(context: Ctx) {
  requireRole(context.principal, 'viewer');
}

function operator(context: Ctx): string {
  requireRole(context.principal, 'operator');
  return actorName(context.principal);
}

function checkQuery(text: string | null | undefined, field: string) {
  if (text != null) checkQueryText(text, field);
}

function checkReason(reason: string | null | undefined) {
  if (reason != null) {
    checkText(reason, 'reason', INPUT_LIMITS.text, { isMultiline: true });
  }
}

function checkIds(ids: string[] | null | undefined) {
  if (ids != null) checkList(ids, 'ids', INPUT_LIMITS.ids);
}

const transition =
  (action: OperatorAction) =>
  (_: unknown, args: { id: string; reason?: string | null }, context: Ctx) => {
    const actor = operator(context);
    checkReason(args.reason);
    return context.services.devices.transition(
      args.id,
      action,
      args.reason ?? null,
      actor,
    );
  };

interface TagArgs {
  ids?: string[] | null;
  where?: string | null;
  tags: TagInput[];
  expectedCount?: number | null;
}

function tagResolver(kind: 'tag' | 'untag') {
  return (_: unknown, args: TagArgs, context: Ctx) => {
    const actor = operator(context);
    checkIds(args.ids);
    checkQuery(args.where, 'where');
    checkList(args.tags, 'tags', INPUT_LIMITS.tags);
    const target = {
      ids: args.ids,
      where: args.where,
      expectedCount: args.expectedCount,
    };
    return context.services.devices[kind](target, args.tags, actor);
  };
}

/** The devices domain: the record, tag queries, registration, lifecycle. */
export const devicesModule: GraphqlModule = {
  name: 'devices',
  typeDefs: deviceTypeDefs + deviceOperationDefs,
  resolvers: {
    DeviceAction: Object.fromEntries(
      OPERATOR_ACTIONS.map((action) => [actionEnumName(action), action]),
    ),
    Device: {
      tags: (device: DeviceRecord, _: unknown, context: Ctx) =>
        deviceLoaders(context).tags(device.id),
      tagMap: async (device: DeviceRecord, _: unknown, context: Ctx) => {
        const tags = await deviceLoaders(context).tags(device.id);
        return Object.fromEntries(tags.map((tag) => [tag.key, tag.value]));
      },
      groups: (device: DeviceRecord, _: unknown, context: Ctx) =>
        deviceLoaders(context).groups(device.id),
      allowedActions: (device: DeviceRecord) =>
        allowedActions(device.status.state),
    },
    Query: {
      device: (_: unknown, args: { id: string }, context: Ctx) => {
        viewer(context);
        return context.services.devices.device(args.id);
      },
      devices: (
        _: unknown,
        args: ListDevicesArgs,
        context: Ctx,
        info: GraphQLResolveInfo,
      ) => {
        viewer(context);
        checkQuery(args.where, 'where');
        return context.services.devices.devices({
          ...args,
          countAlongside: selectsField(info, 'totalCount'),
        });
      },
      validateQuery: (_: unknown, args: { query: string }, context: Ctx) => {
        viewer(context);
        checkQuery(args.query, 'query');
        return context.services.devices.validateQuery(args.query);
      },
      stateTransitions: (
        _: unknown,
        args: { deviceId: string; first?: number; after?: string | null },
        context: Ctx,
      ) => {
        viewer(context);
        return context.services.devices.stateTransitions(args.deviceId, args);
      },
      auditLog: (
        _: unknown,
        args: {
          entityType?: string | null;
          entityId?: string | null;
          first?: number;
          after?: string | null;
        },
        context: Ctx,
      ) => {
        viewer(context);
        return context.services.devices.auditLog(args, args);
      },
    },
    Mutation: {
      registerDevice: (
        _: unknown,
        args: { input: RegisterDeviceInput },
        context: Ctx,
      ) => {
        const actor = operator(context);
        return context.services.devices.register(args.input, actor);
      },
      transitionDevice: (
        _: unknown,
        args: { id: string; action: OperatorAction; reason?: string | null },
        context: Ctx,
      ) => transition(args.action)(_, args, context),
      activateDevice: transition('activate'),
      enterMaintenance: transition('enterMaintenance'),
      exitMaintenance: transition('exitMaintenance'),
      markFailed: transition('markFailed'),
      repairDevice: transition('repair'),
      updateDevice: (
        _: unknown,
        args: { id: string; input: UpdateDeviceInput },
        context: Ctx,
      ) => {
        const actor = operator(context);
        return context.services.devices.update(args.id, args.input, actor);
      },
      tagDevices: tagResolver('tag'),
      untagDevices: tagResolver('untag'),
      decommissionDevice: (
        _: unknown,
        args: { id: string; force?: boolean | null; reason?: string | null },
        context: Ctx,
      ) => {
        requireRole(context.principal, 'admin');
        checkReason(args.reason);
        return context.services.devices.decommission(
          args.id,
          { force: args.force ?? false, reason: args.reason ?? null },
          actorName(context.principal),
        );
      },
    },
  },
};
