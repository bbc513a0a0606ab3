import type { Fleet } from './environment.ts';
import type { JsonClient } from './httpClient.ts';
import type { ServerChild } from './processes.ts';
import type { SchemaFields } from './schemaProbe.ts';

/** A benchmark's identifier. */
export type BenchId = 'B1' | 'B2' | 'B3' | 'B4' | 'B5' | 'B6';

/** One goal of the issue, checked against a figure. */
export interface GoalCheck {
  goal: string;
  value: number;
  met: boolean;
}

/** What one benchmark produced at one fleet size. */
export interface BenchResult {
  id: BenchId;
  title: string;
  size: number;
  status: 'ok' | 'unavailable' | 'failed';
  /** Why the benchmark has no figures (unavailable or failed). */
  reason?: string;
  /** Named figures: rates per second, latencies in ms, ratios. */
  figures: Record<string, number>;
  goals: GoalCheck[];
  /**
   * What Rollcall and its peer both computed, which must agree (row
   * counts, delivered messages); the smoke test compares them.
   */
  agreement: Array<{ what: string; ours: unknown; peer: unknown }>;
  notes: string[];
  /**
   * The machine's 1-minute load average before and after the run: the
   * machine is shared, and a figure taken under load says so.
   */
  loadAverage?: [number, number];
}

/** The servers and fleet a benchmark runs against. */
export interface BenchContext {
  fleet: Fleet;
  rollcall: ServerChild;
  httpPeer: ServerChild;
  wsPeer: ServerChild;
  schema: SchemaFields;
  /** A tiny run that proves the benchmark works; its timings mean nothing. */
  smoke: boolean;
  /** A client for one-off GraphQL calls to Rollcall (admin key). */
  admin: JsonClient;
}

/** A benchmark: figures for one fleet, or why there are none. */
export interface Benchmark {
  id: BenchId;
  title: string;
  run(context: BenchContext): Promise<Partial<BenchResult>>;
}

/** A result with no figures, saying why. */
export function unavailable(reason: string): Partial<BenchResult> {
  return { status: 'unavailable', reason };
}
