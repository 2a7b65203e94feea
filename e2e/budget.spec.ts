import { expect, test } from '@playwright/test';
import { openStudio, TINY } from './studio';

test('before training, the Train panel estimates time and memory from a short calibration, and warns before settings that would not fit', async ({ page }, testInfo) => {
  await openStudio(page, TINY);
  const estimate = page.getByRole('status', { name: 'budget estimate' });
  await expect(estimate).toContainText(/Estimate on wasm: about .+ per 1000 steps .+ peak memory about [\d.]+ MB of 4\.0 GB/, { timeout: 60_000 });
  await expect(estimate).toContainText('Measured with a few steps at 32 px.');
  await expect(page.getByRole('alert', { name: 'budget warning' })).toHaveCount(0);

  // 512 px with 16 images a step: measured at 32 and 64 px, extrapolated, far beyond what wasm can hold.
  await page.locator('summary', { hasText: 'Advanced settings' }).click();
  await page.getByLabel('Batch size').fill('16');
  await page.getByLabel('Resolution (px)').fill('512');
  await expect(estimate).toContainText('Measured at 32 and 64 px, extrapolated to 512 px.', { timeout: 60_000 });
  await expect(page.getByRole('alert', { name: 'budget warning' })).toContainText(/would need about [\d.]+ GB at their peak, too close to or beyond the 4 GB WebAssembly can address/);
  await page.screenshot({ path: testInfo.outputPath('budget-warning.png'), fullPage: false });

  // Back to a small size: the warning goes.
  await page.getByLabel('Resolution (px)').fill('32');
  await page.getByLabel('Batch size').fill('1');
  await expect(estimate).toContainText('Measured with a few steps at 32 px.', { timeout: 60_000 });
  await expect(page.getByRole('alert', { name: 'budget warning' })).toHaveCount(0);
});
