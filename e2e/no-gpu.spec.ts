import { expect, test } from '@playwright/test';
import type { StudioTestHook } from '../src/ui/testHook';
import { baseArgs, chromiumPath } from './chromium';

// A browser with its GPU process off and no software fallback, as where the GPU is blocklisted.
test.use({ launchOptions: { executablePath: chromiumPath, args: [...baseArgs, '--disable-gpu', '--disable-software-rasterizer'] } });

test('failed backends are listed as unavailable with the reason, and wasm still works', async ({ page }) => {
  await page.goto('./');
  await page.waitForFunction(() => window.__ganStudio?.backends !== undefined, undefined, { timeout: 90_000 });
  const hook: StudioTestHook | undefined = await page.evaluate(() => window.__ganStudio);
  const byName = Object.fromEntries((hook?.backends ?? []).map((r) => [r.name, r]));
  expect(byName.webgpu.ok).toBe(false);
  expect(byName.webgpu.detail).toMatch(/WebGPU/);
  expect(byName.webgl).toMatchObject({ ok: false, detail: 'no WebGL2 context' });
  expect(byName.wasm.ok).toBe(true);
  await page.locator('summary', { hasText: 'compute backends' }).click();
  const table = page.getByRole('table', { name: 'tfjs backends' });
  await expect(table.locator('tr[data-backend="webgpu"]')).toContainText('unavailable');
  await expect(table.locator('tr[data-backend="webgl"]')).toContainText('no WebGL2 context');
});
