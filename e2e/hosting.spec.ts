import { expect, test, type Page } from '@playwright/test';
import { SUB_PATH_URL, DEV_URL } from './servers';
import { TINY, waitForStep } from './studio';

/** Opens a URL, records every failed request, and trains a tiny config for two steps. */
async function trainsAt(page: Page, url: string) {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
  await page.goto(url + TINY);
  await page.waitForFunction(() => (window.__ganStudio?.data?.content ?? 0) > 0 && !window.__ganStudio?.data?.loading, undefined, { timeout: 90_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 2, 90_000);
  expect(failed).toEqual([]);
}

test('the built dist/ works from a sub-path of a static host', async ({ page }) => {
  await trainsAt(page, SUB_PATH_URL);
  expect(page.url()).toContain('/nested/studio/');
});

test('the dev server (npm run dev) trains too', async ({ page }) => {
  await trainsAt(page, DEV_URL);
});
