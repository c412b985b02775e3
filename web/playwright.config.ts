import { defineConfig } from '@playwright/test';

/** Browser tests against the real local stack (e2e/global-setup.ts starts it on free ports). */
export default defineConfig({
  testDir: './e2e',
  // The input-delay measurement runs alone (make web-perf): other work on the machine skews it.
  testIgnore: process.env.WEB_PERF ? [] : ['**/perf.spec.ts'],
  testMatch: process.env.WEB_PERF ? ['**/perf.spec.ts'] : ['**/*.spec.ts'],
  timeout: 150_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  // In CI one retry, reported as flaky in the list (with a trace kept to find out why).
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
  },
});
