import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { BENCH_ADMIN_KEY } from '../fixtures.ts';
import { summarize } from '../stats.ts';
import type { Benchmark } from '../types.ts';
import { unavailable } from '../types.ts';

/** Debian's Chromium: benchmarks never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const WEB_DIST = fileURLToPath(
  new URL('../../../web/dist/index.html', import.meta.url),
);
// The dashboard keeps the signed-in key here (apps/web/src/auth/session.ts).
const SESSION_KEY = 'rollcall.operatorKey';
const FIRST_ROW = 'table[aria-label="Devices"] tbody tr';
const ROW_TIMEOUT_MS = 30_000;

/**
 * B6: the dashboard's device list, from navigation to the first table
 * row visible, in headless Chromium, signed in with an operator key. Each
 * load uses a fresh browser context (empty cache and storage); the first
 * load also pays the browser's own warm-up, so it is reported apart.
 */
export const b6Dashboard: Benchmark = {
  id: 'B6',
  title: 'dashboard device list: first rows visible in Chromium',
  async run({ rollcall, schema, smoke, fleet }) {
    if (!existsSync(join(WEB_DIST))) {
      return unavailable(
        'apps/web/dist is not built (pnpm --filter @rollcall/web build)',
      );
    }
    if (!existsSync(CHROMIUM_PATH))
      return unavailable(`no Chromium at ${CHROMIUM_PATH}`);
    if (!schema.query.has('devices'))
      return unavailable('Query.devices is not in the schema yet');

    const loads = smoke ? 2 : 8;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
    const samples: number[] = [];
    let rows = 0;
    try {
      for (let i = 0; i < loads; i += 1) {
        const context = await browser.newContext();
        await context.addInitScript({
          content: `window.sessionStorage.setItem(${JSON.stringify(SESSION_KEY)}, ${JSON.stringify(BENCH_ADMIN_KEY)});`,
        });
        const page = await context.newPage();
        const t0 = performance.now();
        await page.goto(`${rollcall.url}/devices`, { waitUntil: 'commit' });
        await page
          .locator(FIRST_ROW)
          .first()
          .waitFor({ state: 'visible', timeout: ROW_TIMEOUT_MS });
        samples.push(performance.now() - t0);
        rows = await page.locator(FIRST_ROW).count();
        await context.close();
      }
    } finally {
      await browser.close();
    }
    const [first, ...rest] = samples;
    const warm = summarize(rest.length > 0 ? rest : samples);
    return {
      figures: {
        firstLoadMs: Math.round(first ?? Number.NaN),
        p50Ms: warm.p50Ms,
        maxMs: warm.maxMs,
        rowsShown: rows,
      },
      goals: [
        {
          goal: 'first rows <= 1.5 s (worst warm load)',
          value: warm.maxMs,
          met: warm.maxMs <= 1500,
        },
      ],
      agreement: [
        {
          what: 'rows shown (a full page or the whole fleet)',
          ours: rows > 0,
          peer: fleet.size > 0,
        },
      ],
    };
  },
};
