import type { FleetSimulator } from '../simulator/fleetSimulator.ts';
import { Random } from '../simulator/random.ts';
import type { Scenario } from '../simulator/scenarios.ts';
import type { Scheduler, TimerHandle } from '../scheduler.ts';

const MINUTE = 60_000;

/** How often the demo starts one more random scenario, in ms (90 s). */
export const CHAOS_INTERVAL_MS = 90_000;

function randomScenario(random: Random): Scenario {
  const roll = random.next();
  if (roll < 0.35) {
    return {
      kind: 'degrade',
      metric: random.pick(['cpu', 'temperature', 'disk'] as const),
      forMs: random.integer(4, 12) * MINUTE,
    };
  }
  if (roll < 0.5)
    return { kind: 'fail', forMs: random.integer(5, 15) * MINUTE };
  if (roll < 0.8)
    return { kind: 'offline', forMs: random.integer(6, 30) * MINUTE };
  if (roll < 0.88)
    return {
      kind: 'clockSkew',
      offsetMs: random.pick([-1, 1]) * 365 * 24 * 60 * MINUTE,
      forMs: 10 * MINUTE,
    };
  if (roll < 0.94) return { kind: 'duplicate', count: 3 };
  return { kind: 'reorder' };
}

/**
 * What makes the demo fleet look alive within minutes of the first start:
 * - the devices the files say are offline come back one by one within
 *   3-15 minutes (and get their queued catch-up version), except two that
 *   stay silent for days;
 * - eight online devices go silent at once for 25-45 minutes, so that the
 *   offline tiers appear on schedule (offline after the 3 minute timeout,
 *   warning at 5 minutes, alert at 15), and then return;
 * - six devices degrade (CPU, temperature, disk) and two crash-loop;
 * - every 90 seconds one more random scenario starts somewhere.
 * Seeded, so the same fleet gets the same opening every time.
 */
export function demoScript(
  simulator: FleetSimulator,
  scheduler: Scheduler,
  initial: { offline: string[]; degraded: string[] },
  seed = 7,
): { stop(): void } {
  const random = new Random(seed);
  const simulated = new Set(simulator.deviceIds());
  const offline = initial.offline.filter((id) => simulated.has(id));
  // Devices the files say are degraded stay so for a while.
  for (const id of initial.degraded.filter((d) => simulated.has(d))) {
    simulator.apply(id, {
      kind: 'degrade',
      metric: random.pick(['cpu', 'temperature', 'disk'] as const),
      forMs: random.integer(10, 40) * MINUTE,
    });
  }
  const online = simulator.deviceIds().filter((id) => !offline.includes(id));

  offline.forEach((id, index) => {
    const forMs =
      index < 2 ? 3 * 24 * 60 * MINUTE : random.integer(3, 15) * MINUTE;
    simulator.apply(id, { kind: 'offline', forMs });
  });

  const shuffled = online
    .map((id) => [random.next(), id] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, id]) => id);
  shuffled.slice(0, 8).forEach((id) =>
    simulator.apply(id, {
      kind: 'offline',
      forMs: random.integer(25, 45) * MINUTE,
    }),
  );
  shuffled.slice(8, 14).forEach((id) =>
    simulator.apply(id, {
      kind: 'degrade',
      metric: random.pick(['cpu', 'temperature', 'disk'] as const),
      forMs: random.integer(5, 15) * MINUTE,
    }),
  );
  shuffled
    .slice(14, 16)
    .forEach((id) => simulator.apply(id, { kind: 'fail', forMs: 10 * MINUTE }));

  let timer: TimerHandle | null = null;
  let isStopped = false;
  const chaos = () => {
    if (isStopped || online.length === 0) return;
    simulator.apply(random.pick(online), randomScenario(random));
    timer = scheduler.schedule(CHAOS_INTERVAL_MS, chaos);
  };
  timer = scheduler.schedule(CHAOS_INTERVAL_MS, chaos);

  return {
    stop: () => {
      isStopped = true;
      if (timer) scheduler.cancel(timer);
    },
  };
}
