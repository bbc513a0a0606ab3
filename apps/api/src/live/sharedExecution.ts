import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Principal } from '../auth/principal.ts';

type PromiseOrValue<T> = T | Promise<T>;

/**
 * The key under which subscribers may share one execution of an event:
 * the same operation text, operation name and variables, run for the same
 * principal. Sharing is then invisible: each of them would have computed
 * the same result from the same event object.
 */
export function executionKey(
  args: ExecutionArgs,
  principal: Principal,
): string | null {
  const source = args.document.loc?.source.body;
  if (source === undefined) return null;
  return JSON.stringify([
    principalKey(principal),
    args.operationName ?? null,
    args.variableValues ?? null,
    source,
  ]);
}

function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'operator':
      return `operator:${principal.keyId}`;
    case 'device':
      return `device:${principal.tokenId}`;
  }
}

/**
 * A graphql-ws `subscribe` that executes each event once per distinct
 * subscription rather than once per subscriber. The live hub hands every
 * matching subscriber the same payload object, so results are cached per
 * payload object (weakly: they go when the event does) and per
 * `executionKey`. 1,000 dashboards on the same subscription cost one
 * execution per state change instead of 1,000.
 */
export function createSharedSubscribe(
  principalOf: (args: ExecutionArgs) => Principal,
) {
  const results = new WeakMap<
    object,
    Map<string, PromiseOrValue<ExecutionResult>>
  >();

  return async (
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;

    const key = executionKey(args, principalOf(args));
    const run = (payload: unknown) =>
      execute({
        ...args,
        rootValue: payload,
      }) as PromiseOrValue<ExecutionResult>;
    return mapAsyncIterator(source, (payload) => {
      if (key === null || typeof payload !== 'object' || payload === null) {
        return run(payload);
      }
      let byKey = results.get(payload);
      if (byKey === undefined) {
        byKey = new Map();
        results.set(payload, byKey);
      }
      let result = byKey.get(key);
      if (result === undefined) {
        result = run(payload);
        byKey.set(key, result);
      }
      return result;
    });
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' && value !== null && Symbol.asyncIterator in value
  );
}

/**
 * `source` with `map` applied to each value. `return()` goes straight to
 * the source, so an unsubscribe ends the hub's stream at once instead of
 * waiting for its next event, as an async generator would.
 */
export function mapAsyncIterator<T, U>(
  source: AsyncIterable<T>,
  map: (value: T) => PromiseOrValue<U>,
): AsyncIterableIterator<U> {
  const iterator = source[Symbol.asyncIterator]();
  const close = async () => {
    try {
      await iterator.return?.();
    } catch {
      // The mapping error is the one to report.
    }
  };
  const mapped = async (
    step: IteratorResult<T>,
  ): Promise<IteratorResult<U>> => {
    if (step.done === true) return { done: true, value: undefined };
    try {
      return { done: false, value: await map(step.value) };
    } catch (error) {
      await close();
      throw error;
    }
  };
  return {
    next: async () => mapped(await iterator.next()),
    return: async () => {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    throw: async (error: unknown) => {
      if (iterator.throw) return mapped(await iterator.throw(error));
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
