import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/principal.ts';
import { createEventStream } from '../src/live/eventStream.ts';
import { createSharedSubscribe } from '../src/live/sharedExecution.ts';

const VIEWER: Principal = {
  kind: 'operator',
  keyId: 'key-viewer',
  name: 'viewer',
  role: 'viewer',
};
const OTHER: Principal = { ...VIEWER, keyId: 'key-other', name: 'other' };

/** A schema whose `tick` events count how often `label` is resolved. */
function tickSchema() {
  const streams = new Set<ReturnType<typeof createEventStream<object>>>();
  let resolutions = 0;
  const schema = makeExecutableSchema({
    typeDefs: /* GraphQL */ `
      type Query {
        ok: Boolean
      }
      type Tick {
        n: Int!
        label(prefix: String): String!
      }
      type Subscription {
        tick: Tick!
      }
    `,
    resolvers: {
      Tick: {
        label: (tick: { n: number }, args: { prefix?: string }) => {
          resolutions += 1;
          return `${args.prefix ?? ''}${tick.n}`;
        },
      },
      Subscription: {
        tick: {
          subscribe: () => {
            const stream = createEventStream<object>(() =>
              streams.delete(stream),
            );
            streams.add(stream);
            return stream.iterator;
          },
          resolve: (payload: unknown) => payload,
        },
      },
    },
  });
  return {
    schema,
    resolutions: () => resolutions,
    open: () => streams.size,
    emit(n: number) {
      const payload = { n };
      for (const stream of streams) stream.push(payload);
    },
  };
}

const TICK = 'subscription ($p: String) { tick { n label(prefix: $p) } }';

describe('shared subscription execution', () => {
  const subscribeWith = (setup: ReturnType<typeof tickSchema>) => {
    const subscribe = createSharedSubscribe(
      (args) => (args.contextValue as { principal: Principal }).principal,
    );
    return async (principal: Principal, variables: Record<string, unknown>) => {
      const args: ExecutionArgs = {
        schema: setup.schema,
        document: parse(TICK),
        variableValues: variables,
        contextValue: { principal },
      };
      const stream = await subscribe(args);
      if (!(Symbol.asyncIterator in stream)) throw new Error('no stream');
      return stream as AsyncIterableIterator<ExecutionResult>;
    };
  };

  it('executes an event once for subscribers of the same operation', async () => {
    const setup = tickSchema();
    const subscribe = subscribeWith(setup);
    const first = await subscribe(VIEWER, { p: '#' });
    const second = await subscribe(VIEWER, { p: '#' });

    setup.emit(1);
    const results = [await first.next(), await second.next()];

    expect(results.map((result) => result.value)).toEqual([
      { data: { tick: { n: 1, label: '#1' } } },
      { data: { tick: { n: 1, label: '#1' } } },
    ]);
    expect(setup.resolutions()).toBe(1);
  });

  it('executes apart for other variables or another principal', async () => {
    const setup = tickSchema();
    const subscribe = subscribeWith(setup);
    const streams = [
      await subscribe(VIEWER, { p: '#' }),
      await subscribe(VIEWER, { p: 'n=' }),
      await subscribe(OTHER, { p: '#' }),
    ];

    setup.emit(7);
    const labels = [];
    for (const stream of streams) {
      const { value } = await stream.next();
      labels.push((value?.data?.tick as { label: string }).label);
    }

    expect(labels).toEqual(['#7', 'n=7', '#7']);
    expect(setup.resolutions()).toBe(3);
  });

  it('ends the source at once when a waiting subscriber leaves', async () => {
    const setup = tickSchema();
    const subscribe = subscribeWith(setup);
    const stream = await subscribe(VIEWER, {});
    const pending = stream.next();
    expect(setup.open()).toBe(1);

    await stream.return?.();

    expect(setup.open()).toBe(0);
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
