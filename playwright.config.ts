import { defineConfig } from '@playwright/test';
import { baseArgs, chromiumPath, gpuArgs } from './e2e/chromium';

/*
 * End-to-end tests run the production build (vite preview) in Debian's Chromium: Playwright's
 * own browser download is not available here. See e2e/chromium.ts for the binary and flags.
 */
const port = Number(process.env.E2E_PORT ?? 4173);

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
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromiumPath, args: [...baseArgs, ...gpuArgs] },
  },
  webServer: {
    // Started through node directly: through npx, killing the wrapper leaves vite running.
    command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
