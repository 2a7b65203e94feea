import { expect, test } from '@playwright/test';
import type { BackendReport } from '../src/worker/backends/backendReport';
import type { StudioTestHook } from '../src/ui/testHook';

test('the page loads and reports which tfjs backends work, with a reason for each failure', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'GAN Style Studio' })).toBeVisible();

  // WebGPU/WebGL on SwiftShader can take a while to initialise.
  await page.waitForFunction(() => window.__ganStudio?.backends !== undefined, undefined, { timeout: 90_000 });
  const hook: StudioTestHook | undefined = await page.evaluate(() => window.__ganStudio);
  const reports: BackendReport[] = hook?.backends ?? [];
  expect(reports.map((r) => r.name)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);

  const byName = Object.fromEntries(reports.map((r) => [r.name, r]));
  // wasm must work from the app's own .wasm files, with SIMD, in a cross-origin isolated page
  // on every core (up to tfjs's pool of 8), where tfjs alone would take half.
  expect(byName.wasm.ok).toBe(true);
  const cores = Math.min(8, await page.evaluate(() => navigator.hardwareConcurrency));
  expect(byName.wasm.detail).toBe(`SIMD on, ${cores} thread${cores === 1 ? '' : 's'}`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(byName.cpu.ok).toBe(true);
  for (const r of reports) {
    expect(r.detail.length, `${r.name} explains itself`).toBeGreaterThan(3);
  }
  // On these GPU-less machines any GPU backend that works must be recognised as software.
  for (const r of reports.filter((r) => (r.name === 'webgpu' || r.name === 'webgl') && r.ok)) {
    expect(r.software, `${r.name}: ${r.detail}`).toBe(true);
  }

  await page.locator('summary', { hasText: 'compute backends' }).click();
  const table = page.getByRole('table', { name: 'tfjs backends' });
  for (const r of reports) {
    await expect(table.locator(`tr[data-backend="${r.name}"]`)).toContainText(r.ok ? 'works' : 'unavailable');
  }
  await page.screenshot({ path: testInfo.outputPath('backends.png'), fullPage: true });
  expect(errors).toEqual([]);
});
