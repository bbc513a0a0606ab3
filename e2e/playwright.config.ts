import { defineConfig } from '@playwright/test';

/**
 * The e2e suite: Debian's Chromium (never a downloaded browser), one worker
 * (the machine has two cores shared with the server and PostgreSQL), a real
 * Rollcall server started by globalSetup.
 */
export default defineConfig({
  testDir: './tests',
  globalSetup: './globalSetup.ts',
  outputDir: './test-results/artifacts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'playwright-report' }],
  ],
  use: {
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
