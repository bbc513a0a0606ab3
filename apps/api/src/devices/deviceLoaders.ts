import type { RequestContext } from '../server/context.ts';
import { createBatchLoader, type BatchLoader } from './batchLoader.ts';

/** A device tag with its taxonomy category (null outside the taxonomy). */
export interface DeviceTagView {
  key: string;
  value: string;
  category: string | null;
}

interface DeviceLoaders {
  tags: BatchLoader<string, DeviceTagView[]>;
  groups: BatchLoader<string, string[]>;
}

// Loaders live as long as one request, so nothing is cached across
// requests; a WeakMap on the context object ties them to it.
const perRequest = new WeakMap<RequestContext, DeviceLoaders>();

/** The batch loaders of this request, created on first use. */
export function deviceLoaders(context: RequestContext): DeviceLoaders {
  const existing = perRequest.get(context);
  if (existing) return existing;

  const { devices } = context.services;
  const loaders: DeviceLoaders = {
    tags: createBatchLoader(
      (ids) => devices.tagsOf(ids),
      () => [],
    ),
    groups: createBatchLoader(
      (ids) => devices.groupsOf(ids),
      () => [],
    ),
  };
  perRequest.set(context, loaders);
  return loaders;
}
