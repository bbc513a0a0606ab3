/**
 * The device simulator: drives a fleet of simulated devices over a
 * heartbeat transport (Rollcall's GraphQL API by default), each with its
 * own token, at its heartbeat interval with jitter, with metrics that
 * random-walk around its hardware type's profile. It is `rollcall
 * simulate`, the demo's living fleet, and the benchmarks' load generator.
 *
 * ```ts
 * const simulator = new FleetSimulator({
 *   devices: [{ deviceId, token, hardwareType: 'jetson-orin-nano',
 *               intervalSeconds: 60, appVersion: '2.3.0' }],
 *   transport: graphqlTransport(`${url}/graphql`),
 *   scheduler: realScheduler(),       // or new ManualScheduler(clock)
 *   retry: { enabled: true, count: 3, backoffSeconds: 5 },
 * });
 * simulator.start();
 * simulator.apply(deviceId, { kind: 'offline', forMs: 20 * 60_000 });
 * await simulator.heartbeatNow(deviceId); // one heartbeat at once
 * simulator.stats();                      // sent, acknowledged, retries...
 * await simulator.stop();
 * ```
 *
 * Behaviour: a device answers an `instruction` in its heartbeat ack by
 * installing the target version after `installDelayMs` (simulated) and
 * reporting it as `appVersion` from then on. A failed send is retried per
 * the spec's heartbeat settings (`retry_on_failure`, `retry_count`,
 * `retry_backoff_seconds`) with the same sequence number, waiting the
 * backoff times 2^(attempt-1): 5 s, 10 s, 20 s by default. A device
 * refused as decommissioned stops. Scenarios: see `scenarios.ts`.
 */
import { DeviceMetrics, profileFor, type Stress } from './deviceMetrics.ts';
import {
  TransportError,
  type HeartbeatAck,
  type HeartbeatInput,
} from './heartbeatTransport.ts';
import { hashSeed, Random } from './random.ts';
import type { Scenario } from './scenarios.ts';
import type { Scheduler, TimerHandle } from '../scheduler.ts';
import { realScheduler } from '../scheduler.ts';
import { BatchSender } from './batchSender.ts';
import type {
  DeviceSnapshot,
  FleetSimulatorOptions,
  RetrySettings,
  SimulatedDevice,
  SimulatorStats,
} from './simulatorTypes.ts';

export type * from './simulatorTypes.ts';

interface Runtime {
  spec: SimulatedDevice;
  metrics: DeviceMetrics;
  random: Random;
  appVersion: string | null;
  sequence: number;
  bootAt: number;
  intervalMs: number;
  timer: TimerHandle | null;
  stress: Stress;
  stressUntil: number;
  silentUntil: number;
  skewMs: number;
  skewUntil: number;
  duplicates: number;
  isReorderPending: boolean;
  held: HeartbeatInput | null;
  installing: string | null;
  lastAck: HeartbeatAck | null;
  isStopped: boolean;
}

const DEFAULT_RETRY: RetrySettings = {
  enabled: true,
  count: 3,
  backoffSeconds: 5,
};

export class FleetSimulator {
  private readonly devices = new Map<string, Runtime>();
  private readonly scheduler: Scheduler;
  private readonly retry: RetrySettings;
  private readonly timeScale: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly batch: BatchSender | null;
  private readonly counters: SimulatorStats = {
    sent: 0,
    acknowledged: 0,
    duplicates: 0,
    retries: 0,
    failures: 0,
    installs: 0,
  };
  private isRunning = false;

  constructor(private readonly options: FleetSimulatorOptions) {
    this.scheduler = options.scheduler ?? realScheduler();
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeScale =
      options.timeScale && options.timeScale > 0 ? options.timeScale : 1;
    this.batch = options.batch
      ? new BatchSender(options.transport, this.scheduler, options.batch)
      : null;
    for (const spec of options.devices) this.addDevice(spec);
  }

  /** Adds a device (scheduled at once when the simulator runs). */
  addDevice(spec: SimulatedDevice): void {
    const random = new Random(hashSeed(spec.deviceId, this.options.seed ?? 1));
    const now = this.scheduler.now();
    const runtime: Runtime = {
      spec,
      random,
      metrics: new DeviceMetrics(
        profileFor(spec.hardwareType, spec.ramMb),
        random,
      ),
      appVersion: spec.appVersion,
      sequence: 0,
      bootAt:
        now - (spec.uptimeSeconds ?? random.integer(3_600, 30 * 86_400)) * 1000,
      intervalMs: (spec.intervalSeconds ?? 60) * 1000,
      timer: null,
      stress: null,
      stressUntil: 0,
      silentUntil: 0,
      skewMs: 0,
      skewUntil: 0,
      duplicates: 0,
      isReorderPending: false,
      held: null,
      installing: null,
      lastAck: null,
      isStopped: false,
    };
    this.devices.set(spec.deviceId, runtime);
    if (this.isRunning) this.scheduleFirst(runtime);
  }

  /** Starts every device's heartbeat loop, first beats spread over one interval. */
  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    for (const runtime of this.devices.values()) this.scheduleFirst(runtime);
  }

  /** Stops all loops and waits for sends in flight. */
  async stop(): Promise<void> {
    this.isRunning = false;
    for (const runtime of this.devices.values()) {
      if (runtime.timer) this.scheduler.cancel(runtime.timer);
      runtime.timer = null;
    }
    this.batch?.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Starts a scenario on a device (see `Scenario`). */
  apply(deviceId: string, scenario: Scenario): void {
    const runtime = this.runtime(deviceId);
    const until = (forMs: number) =>
      this.scheduler.now() + forMs / this.timeScale;
    switch (scenario.kind) {
      case 'degrade':
        runtime.stress = scenario.metric;
        runtime.stressUntil = until(scenario.forMs);
        return;
      case 'fail':
        runtime.stress = 'crash';
        runtime.stressUntil = until(scenario.forMs);
        return;
      case 'offline':
        runtime.silentUntil = until(scenario.forMs);
        return;
      case 'clockSkew':
        runtime.skewMs = scenario.offsetMs;
        runtime.skewUntil = until(scenario.forMs);
        return;
      case 'duplicate':
        runtime.duplicates += scenario.count;
        return;
      case 'reorder':
        runtime.isReorderPending = true;
        return;
    }
  }

  /** Sends one heartbeat of this device now (outside its loop). */
  async heartbeatNow(deviceId: string): Promise<void> {
    await this.track(this.beat(this.runtime(deviceId)));
  }

  stats(): SimulatorStats {
    return { ...this.counters };
  }

  device(deviceId: string): DeviceSnapshot {
    const runtime = this.runtime(deviceId);
    return {
      deviceId,
      appVersion: runtime.appVersion,
      sequence: runtime.sequence,
      lastAck: runtime.lastAck,
      isSilent: this.scheduler.now() < runtime.silentUntil,
      isStopped: runtime.isStopped,
    };
  }

  deviceIds(): string[] {
    return [...this.devices.keys()];
  }

  private runtime(deviceId: string): Runtime {
    const runtime = this.devices.get(deviceId);
    if (!runtime)
      throw new Error(`Assertion failed: ${deviceId} is not simulated`);
    return runtime;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise
      .finally(() => this.inFlight.delete(promise))
      .catch(() => undefined);
    return promise;
  }

  private scheduleFirst(runtime: Runtime): void {
    this.scheduleNext(runtime, runtime.random.between(0, runtime.intervalMs));
  }

  private scheduleNext(runtime: Runtime, delayMs?: number): void {
    if (!this.isRunning || runtime.isStopped) return;
    const jitter = this.options.jitter ?? 0.1;
    const delay =
      delayMs ??
      runtime.intervalMs * (1 + jitter * (runtime.random.next() * 2 - 1));
    runtime.timer = this.scheduler.schedule(Math.round(delay), () => {
      runtime.timer = null;
      this.scheduleNext(runtime);
      return this.track(this.beat(runtime));
    });
  }

  private buildInput(runtime: Runtime): HeartbeatInput {
    const now = this.scheduler.now();
    if (runtime.stress && now >= runtime.stressUntil) runtime.stress = null;
    if (runtime.skewMs && now >= runtime.skewUntil) runtime.skewMs = 0;
    if (runtime.stress === 'crash')
      runtime.bootAt = now - runtime.random.integer(5, 40) * 1000;

    runtime.sequence = Math.max(runtime.sequence + 1, Math.floor(now));
    const status =
      runtime.stress === 'crash'
        ? 'FAILED'
        : runtime.stress
          ? 'DEGRADED'
          : 'HEALTHY';
    const reasons = {
      cpu: 'cpu above 90%',
      temperature: 'temperature above 80 C',
      disk: 'disk below 1 GB',
    };
    return {
      deviceId: runtime.spec.deviceId,
      timestamp: new Date(now + runtime.skewMs).toISOString(),
      status,
      appVersion: runtime.appVersion,
      sequence: runtime.sequence,
      metrics: runtime.metrics.step(
        (now - runtime.bootAt) / 1000,
        runtime.stress,
      ),
      degradationReason:
        runtime.stress && runtime.stress !== 'crash'
          ? reasons[runtime.stress]
          : null,
    };
  }

  private async beat(runtime: Runtime): Promise<void> {
    if (runtime.isStopped) return;
    const now = this.scheduler.now();
    if (now < runtime.silentUntil) return;
    if (runtime.silentUntil > 0) {
      // Back from a silence: it was off, so it booted again.
      runtime.silentUntil = 0;
      runtime.bootAt = now - runtime.random.integer(20, 90) * 1000;
    }

    const input = this.buildInput(runtime);
    if (runtime.isReorderPending) {
      runtime.isReorderPending = false;
      runtime.held = input;
      return;
    }
    await this.deliver(runtime, input, 0);
    if (runtime.duplicates > 0) {
      runtime.duplicates -= 1;
      await this.deliver(runtime, input, 0);
    }
    const held = runtime.held;
    if (held) {
      runtime.held = null;
      await this.deliver(runtime, held, 0);
    }
  }

  private async deliver(
    runtime: Runtime,
    input: HeartbeatInput,
    attempt: number,
  ): Promise<void> {
    this.counters.sent += 1;
    let ack: HeartbeatAck;
    try {
      ack = this.batch
        ? await this.batch.send(input)
        : await this.options.transport.send(runtime.spec.token, input);
    } catch (error) {
      this.onFailure(runtime, input, attempt, error);
      return;
    }
    this.onAck(runtime, input, ack);
  }

  private onFailure(
    runtime: Runtime,
    input: HeartbeatInput,
    attempt: number,
    error: unknown,
  ) {
    const transportError =
      error instanceof TransportError
        ? error
        : new TransportError('UNKNOWN', String(error), true);
    const deviceId = runtime.spec.deviceId;
    if (
      transportError.retryable &&
      this.retry.enabled &&
      attempt < this.retry.count
    ) {
      this.counters.retries += 1;
      this.options.onEvent?.({
        kind: 'retry',
        deviceId,
        attempt: attempt + 1,
        error: transportError.message,
      });
      const waitMs = this.retry.backoffSeconds * 1000 * 2 ** attempt;
      this.scheduler.schedule(waitMs, () =>
        this.track(this.deliver(runtime, input, attempt + 1)),
      );
      return;
    }

    this.counters.failures += 1;
    this.options.onEvent?.({
      kind: 'failed',
      deviceId,
      error: transportError.message,
      code: transportError.code,
    });
    if (
      transportError.code === 'DEVICE_DECOMMISSIONED' ||
      transportError.code === 'UNAUTHENTICATED'
    ) {
      this.stopDevice(runtime, transportError.code);
    }
  }

  private onAck(
    runtime: Runtime,
    input: HeartbeatInput,
    ack: HeartbeatAck,
  ): void {
    this.counters.acknowledged += 1;
    if (ack.duplicate) this.counters.duplicates += 1;
    runtime.lastAck = ack;
    this.options.onEvent?.({
      kind: 'acknowledged',
      deviceId: runtime.spec.deviceId,
      ack,
      input,
    });
    if (ack.state === 'DECOMMISSIONED') {
      this.stopDevice(runtime, 'DECOMMISSIONED');
      return;
    }
    if (ack.nextHeartbeatSeconds && ack.nextHeartbeatSeconds > 0) {
      runtime.intervalMs = ack.nextHeartbeatSeconds * 1000;
    }

    const target = ack.instruction?.targetVersion;
    if (
      !target ||
      target === runtime.appVersion ||
      target === runtime.installing
    )
      return;
    runtime.installing = target;
    const delay = (this.options.installDelayMs ?? 30_000) / this.timeScale;
    this.scheduler.schedule(delay, () => {
      if (runtime.installing !== target) return;
      runtime.installing = null;
      runtime.appVersion = target;
      this.counters.installs += 1;
      this.options.onEvent?.({
        kind: 'installed',
        deviceId: runtime.spec.deviceId,
        version: target,
      });
    });
  }

  private stopDevice(runtime: Runtime, reason: string): void {
    runtime.isStopped = true;
    if (runtime.timer) this.scheduler.cancel(runtime.timer);
    runtime.timer = null;
    this.options.onEvent?.({
      kind: 'stopped',
      deviceId: runtime.spec.deviceId,
      reason,
    });
  }
}
