import type { MachineInfo } from './machine.ts';
import type { SizeRun } from './suite.ts';
import type { BenchResult } from './types.ts';

/** Everything one `pnpm bench` measured, as written to results JSON. */
export interface BenchReport {
  machine: MachineInfo;
  options: { sizes: number[]; only: string[] | null; smoke: boolean };
  targets: Array<{ target: string; runs: SizeRun[] }>;
}

// The figures the table shows for each benchmark (the JSON has them all).
const HEADLINE: Record<string, string[]> = {
  B1: [
    'rollcall.single.heartbeatsPerSecond',
    'peer.single.heartbeatsPerSecond',
    'ratio.single',
    'rollcall.single.p50Ms',
    'rollcall.single.p99Ms',
    'rollcall.batch.heartbeatsPerSecond',
    'peer.batch.heartbeatsPerSecond',
    'ratio.batch',
    'rollcall.batch.p99Ms',
  ],
  B2: [
    'rollcall.p50Ms',
    'peer.p50Ms',
    'ratio.p50',
    'rollcall.p99Ms',
    'peer.p99Ms',
  ],
  B3: [
    'rollcall.sweepMs',
    'peer.updateMs',
    'ratio',
    'rollcall.sweepMsUnderLoad',
    'heartbeat.p99Ms.without',
    'heartbeat.p99Ms.during',
    'heartbeat.p99Ms.duringWorstRound',
    'heartbeat.p99Ratio',
  ],
  B4: [
    'rollcall.messagesPerSecond',
    'peer.messagesPerSecond',
    'ratio',
    'rollcall.p99Ms',
    'peer.p99Ms',
    'rollcall.saturated.p99Ms',
    'peer.saturated.p99Ms',
  ],
  B5: [
    'rollcall.requestsPerSecond',
    'peer.requestsPerSecond',
    'ratio',
    'rollcall.p99Ms',
  ],
  B6: ['firstLoadMs', 'p50Ms', 'maxMs'],
};

function figureLines(result: BenchResult): string[] {
  if (result.status !== 'ok')
    return [`${result.status}: ${result.reason ?? ''}`];
  const keys = HEADLINE[result.id] ?? Object.keys(result.figures);
  const lines = keys
    .filter((key) => key in result.figures)
    .map((key) => `${key} = ${result.figures[key]}`);
  const goals = result.goals.map(
    (g) => `${g.met ? 'MET   ' : 'MISSED'} ${g.goal} (${g.value})`,
  );
  return [...lines, ...goals, ...result.notes.map((n) => `note: ${n}`)];
}

/** A plain-text table of every result, for the terminal. */
export function textTable(report: BenchReport): string {
  const out: string[] = [];
  for (const { target, runs } of report.targets) {
    for (const run of runs) {
      out.push(
        `\n== ${target}, ${run.size.toLocaleString('en-US')} devices (fixture ${run.fixtureLoadMs} ms) ==`,
      );
      for (const result of run.results) {
        const load = result.loadAverage
          ? `  [load ${result.loadAverage.join(' -> ')}]`
          : '';
        out.push(`${result.id}  ${result.title}${load}`);
        for (const line of figureLines(result)) out.push(`      ${line}`);
      }
    }
  }
  out.push('', ...growthLines(report));
  return out.join('\n');
}

/** How each headline figure grows from the smallest to the largest size. */
export function growthLines(report: BenchReport): string[] {
  const lines: string[] = [];
  for (const { target, runs } of report.targets) {
    if (runs.length < 2) continue;
    const small = runs[0]!;
    const large = runs[runs.length - 1]!;
    lines.push(`Growth ${small.size} -> ${large.size} devices (${target}):`);
    for (const result of large.results) {
      const before = small.results.find((r) => r.id === result.id);
      if (!before || result.status !== 'ok' || before.status !== 'ok') continue;
      for (const key of HEADLINE[result.id] ?? []) {
        const a = before.figures[key];
        const b = result.figures[key];
        if (a === undefined || b === undefined || a === 0) continue;
        lines.push(
          `  ${result.id} ${key}: ${a} -> ${b} (x${(b / a).toFixed(2)})`,
        );
      }
    }
  }
  return lines;
}

/** The same results as Markdown, for BENCHMARKS.md. */
export function markdownTables(report: BenchReport): string {
  const out: string[] = [];
  for (const { target, runs } of report.targets) {
    for (const run of runs) {
      out.push(
        `### ${target}, ${run.size.toLocaleString('en-US')} devices`,
        '',
        `Fixture loaded in ${run.fixtureLoadMs} ms.`,
        '',
        '| # | Figures | Goals | Load avg (before → after) |',
        '|---|---|---|---|',
      );
      for (const result of run.results) {
        const figures =
          result.status === 'ok'
            ? (HEADLINE[result.id] ?? [])
                .filter((key) => key in result.figures)
                .map((key) => `${key} = ${result.figures[key]}`)
                .join('<br>')
            : `${result.status}: ${result.reason ?? ''}`;
        const goals = result.goals
          .map((g) => `${g.met ? 'met' : '**missed**'}: ${g.goal} (${g.value})`)
          .join('<br>');
        const load = result.loadAverage?.join(' → ') ?? '';
        out.push(`| ${result.id} | ${figures} | ${goals} | ${load} |`);
      }
      out.push('');
    }
  }
  const growth = growthLines(report);
  if (growth.length > 0) out.push('```', ...growth, '```', '');
  return out.join('\n');
}
