/**
 * `pnpm bench`: runs the suite, prints a table, writes results JSON (and
 * the same tables as Markdown beside it, for BENCHMARKS.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './cli.ts';
import { startTarget } from './environment.ts';
import { machineInfo } from './machine.ts';
import { markdownTables, textTable, type BenchReport } from './report.ts';
import { runSuite } from './suite.ts';

const DEFAULT_OUT = fileURLToPath(
  new URL('../results/latest.json', import.meta.url),
);

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2), process.env);
  const report: BenchReport = {
    machine: machineInfo({}),
    options: { sizes: options.sizes, only: options.only, smoke: options.smoke },
    targets: [],
  };
  for (const kind of options.targets) {
    say(`starting ${kind} PostgreSQL`);
    const target = await startTarget(kind, process.env.DATABASE_URL);
    report.machine.postgres[kind] = target.version;
    try {
      const runs = await runSuite(target, {
        sizes: options.sizes,
        ...(options.only ? { only: options.only } : {}),
        smoke: options.smoke,
        onProgress: (message) =>
          say(`[${new Date().toISOString().slice(11, 19)}] ${message}`),
        onResult: (result) =>
          say(
            `  ${result.id} ${result.status}${result.reason ? `: ${result.reason}` : ''}`,
          ),
      });
      report.targets.push({ target: kind, runs });
    } finally {
      await target.stop();
    }
  }

  process.stdout.write(`${textTable(report)}\n`);
  const out = options.out ?? DEFAULT_OUT;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(out.replace(/\.json$/, '.md'), `${markdownTables(report)}\n`);
  say(`results written to ${out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
