import { createClient, type Client } from 'graphql-ws';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import {
  BENCH_ADMIN_KEY,
  fixtureDeviceId,
  fixtureIndexOf,
  fixtureToken,
} from '../fixtures.ts';
import { createJsonClient } from '../httpClient.ts';
import { round, ratio, summarize } from '../stats.ts';
import type { Benchmark, BenchContext } from '../types.ts';
import { unavailable } from '../types.ts';
import { healthyIndices, heartbeatInput } from './heartbeatLoad.ts';

const SUBSCRIPTION = `subscription { deviceStateChanged {
  device { id } from to cause at } }`;
const TRIGGERS_IN_FLIGHT = 5;
const READY_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 60_000;

/** Receipts of one fan-out run: latency per delivered message. */
class Receipts {
  readonly sentAt = new Map<string, number>();
  readonly latencies: number[] = [];
  delivered = 0;
  lastAt = 0;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  receive(deviceId: string | undefined): void {
    const sent = deviceId ? this.sentAt.get(deviceId) : undefined;
    if (sent === undefined) return;
    const now = performance.now();
    this.latencies.push(now - sent);
    this.delivered += 1;
    this.lastAt = now;
    this.waiters = this.waiters.filter((w) => {
      if (this.delivered < w.count) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when `count` messages arrived, or after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<boolean> {
    if (this.delivered >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  }

  reset(): void {
    this.sentAt.clear();
    this.latencies.length = 0;
    this.delivered = 0;
  }
}

interface FanOut {
  subscribe(receipts: Receipts): Promise<void>;
  trigger(index: number, deviceId: string): Promise<void>;
  close(): Promise<void>;
}

function rollcallFanOut(context: BenchContext, subscribers: number): FanOut {
  const clients: Client[] = [];
  const http = createJsonClient(context.rollcall.url, TRIGGERS_IN_FLIGHT);
  const wsUrl = `${context.rollcall.url.replace(/^http/, 'ws')}/graphql`;
  return {
    async subscribe(receipts) {
      const connected: Promise<void>[] = [];
      for (let i = 0; i < subscribers; i += 1) {
        let onConnected!: () => void;
        connected.push(new Promise((resolve) => (onConnected = resolve)));
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${BENCH_ADMIN_KEY}` },
          retryAttempts: 0,
          on: { connected: () => onConnected() },
        });
        clients.push(client);
        client.subscribe<{ deviceStateChanged: { device: { id: string } } }>(
          { query: SUBSCRIPTION },
          {
            next: (value) =>
              receipts.receive(value.data?.deviceStateChanged.device.id),
            error: () => undefined,
            complete: () => undefined,
          },
        );
      }
      await Promise.all(connected);
    },
    async trigger(_index, deviceId) {
      // Each event is a healthy device reporting DEGRADED: a state change.
      const index = fixtureIndexOf(deviceId);
      const body = {
        query: `mutation Heartbeat($input: HeartbeatInput!) {
          heartbeat(input: $input) { accepted state } }`,
        variables: {
          input: {
            ...heartbeatInput(index),
            status: 'DEGRADED',
            degradationReason: 'bench',
          },
        },
      };
      await http.post('/graphql', body, fixtureToken(index));
    },
    async close() {
      http.close();
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}

function peerFanOut(context: BenchContext, subscribers: number): FanOut {
  const sockets: WebSocket[] = [];
  const http = createJsonClient(context.wsPeer.url, TRIGGERS_IN_FLIGHT);
  const wsUrl = `${context.wsPeer.url.replace(/^http/, 'ws')}/ws`;
  return {
    async subscribe(receipts) {
      const opened: Promise<void>[] = [];
      for (let i = 0; i < subscribers; i += 1) {
        const socket = new WebSocket(wsUrl);
        sockets.push(socket);
        opened.push(
          new Promise((resolve, reject) => {
            socket.once('open', () => resolve());
            socket.once('error', reject);
          }),
        );
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as {
            payload?: {
              data?: { deviceStateChanged?: { device?: { id?: string } } };
            };
          };
          receipts.receive(
            message.payload?.data?.deviceStateChanged?.device?.id,
          );
        });
      }
      await Promise.all(opened);
    },
    async trigger(_index, deviceId) {
      await http.post('/broadcast', {
        data: {
          deviceStateChanged: {
            device: { id: deviceId },
            from: 'HEALTHY',
            to: 'DEGRADED',
            cause: 'HEARTBEAT',
            at: new Date().toISOString(),
          },
        },
      });
    },
    async close() {
      http.close();
      for (const socket of sockets) socket.terminate();
    },
  };
}

/**
 * One fan-out run: subscribe everyone, then a warm-up event that every
 * subscriber must receive (the barrier proving all subscriptions are
 * live), then `events` state changes, at most 5 in flight, each on its
 * own device; the clock runs from the first trigger to the last receipt
 * (throughput, and latency under saturation, which is mostly queueing).
 * Then `paced` events one at a time, for the event-to-client latency.
 */
async function measure(
  fanOut: FanOut,
  subscribers: number,
  devices: string[],
  paced: number,
) {
  const receipts = new Receipts();
  try {
    await fanOut.subscribe(receipts);
    const warm = devices[0]!;
    receipts.sentAt.set(warm, performance.now());
    await fanOut.trigger(0, warm);
    const ready = await receipts.waitFor(subscribers, READY_TIMEOUT_MS);
    if (!ready) {
      throw new Error(
        `only ${receipts.delivered} of ${subscribers} subscribers got the warm-up event`,
      );
    }
    receipts.reset();

    const events = devices.slice(1, devices.length - paced);
    const begin = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < events.length) {
        const index = next++;
        const device = events[index]!;
        receipts.sentAt.set(device, performance.now());
        await fanOut.trigger(index, device);
      }
    };
    await Promise.all(Array.from({ length: TRIGGERS_IN_FLIGHT }, worker));
    const expected = subscribers * events.length;
    await receipts.waitFor(expected, DRAIN_TIMEOUT_MS);
    const elapsed = Math.max(receipts.lastAt - begin, 1);
    const saturated = {
      expected,
      delivered: receipts.delivered,
      perSecond: Math.round((receipts.delivered * 1000) / elapsed),
      latency: summarize(receipts.latencies),
    };

    // Paced: one event at a time, the next once everyone has the last, so
    // the latency is the fan-out's own and not a queue behind a burst.
    receipts.reset();
    for (const [index, device] of devices
      .slice(devices.length - paced)
      .entries()) {
      receipts.sentAt.set(device, performance.now());
      await fanOut.trigger(index, device);
      await receipts.waitFor(subscribers * (index + 1), DRAIN_TIMEOUT_MS);
    }
    return {
      ...saturated,
      pacedDelivered: receipts.delivered,
      pacedLatency: summarize(receipts.latencies),
    };
  } finally {
    await fanOut.close();
  }
}

/**
 * B4: 1,000 graphql-ws subscribers of `deviceStateChanged` receiving
 * state changes caused by heartbeats, against a raw `ws` server
 * broadcasting the same payload to 1,000 sockets.
 */
export const b4Subscriptions: Benchmark = {
  id: 'B4',
  title: '1,000 graphql-ws subscribers vs raw ws broadcast',
  async run(context) {
    if (!context.schema.subscription.has('deviceStateChanged')) {
      return unavailable(
        'Subscription.deviceStateChanged is not in the schema yet',
      );
    }
    if (!context.schema.mutation.has('heartbeat')) {
      return unavailable(
        'Mutation.heartbeat (the trigger) is not in the schema yet',
      );
    }
    const subscribers = context.smoke ? 5 : 1_000;
    const events = context.smoke ? 3 : 100;
    const paced = context.smoke ? 2 : 20;
    const pool = healthyIndices(context.fleet.size);
    const devices = pool.slice(-(events + paced + 1)).map(fixtureDeviceId);

    const ours = await measure(
      rollcallFanOut(context, subscribers),
      subscribers,
      devices,
      paced,
    );
    const peer = await measure(
      peerFanOut(context, subscribers),
      subscribers,
      devices,
      paced,
    );
    const x = ratio(ours.perSecond, peer.perSecond);
    return {
      figures: {
        subscribers,
        events,
        'rollcall.messagesPerSecond': ours.perSecond,
        'rollcall.saturated.p99Ms': ours.latency.p99Ms,
        'rollcall.p50Ms': ours.pacedLatency.p50Ms,
        'rollcall.p99Ms': ours.pacedLatency.p99Ms,
        'peer.messagesPerSecond': peer.perSecond,
        'peer.saturated.p99Ms': peer.latency.p99Ms,
        'peer.p50Ms': peer.pacedLatency.p50Ms,
        'peer.p99Ms': peer.pacedLatency.p99Ms,
        ratio: x,
        'rollcall.deliveredShare': round(ours.delivered / ours.expected, 4),
      },
      goals: [
        { goal: 'messages/s >= 0.3x peer', value: x, met: x >= 0.3 },
        {
          goal: 'paced p99 event-to-client <= 100 ms',
          value: ours.pacedLatency.p99Ms,
          met: ours.pacedLatency.p99Ms <= 100,
        },
      ],
      agreement: [
        {
          what: 'messages delivered',
          ours: ours.delivered,
          peer: peer.delivered,
        },
        {
          what: 'paced messages delivered',
          ours: ours.pacedDelivered,
          peer: peer.pacedDelivered,
        },
      ],
    };
  },
};
