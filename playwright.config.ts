import { defineConfig } from '@playwright/test';
import { baseArgs, chromiumPath, gpuArgs } from './e2e/chromium';
import { ROOT_URL, SERVERS } from './e2e/servers';

/*
 * End-to-end tests run the production build (vite preview) in Debian's Chromium: Playwright's
 * own browser download is not available here. See e2e/chromium.ts for the binary and flags.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: ROOT_URL,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromiumPath, args: [...baseArgs, ...gpuArgs] },
  },
  webServer: SERVERS.map((server) => ({ ...server, reuseExistingServer: !process.env.CI, timeout: 60_000 })),
});
