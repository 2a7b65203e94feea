import { expect, test } from '@playwright/test';
import { hook, openStudio, TINY, waitForStep } from './studio';

test('keyboard only: tab to Train, start, pause and resume without a mouse; focus is visible', async ({ page }) => {
  await openStudio(page, TINY);
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
  // Tab from the top of the page until Train has focus; every stop on the way must show a focus ring.
  await page.locator('body').focus();
  for (let i = 0; i < 80 && (await focused()) !== 'Train'; i++) {
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return 'body';
      const style = getComputedStyle(el);
      return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? 'ring' : `none on ${el.tagName} ${el.textContent?.slice(0, 30)}`;
    });
    expect(ring === 'ring' || ring === 'body', ring).toBe(true);
  }
  expect(await focused()).toBe('Train');
  await page.keyboard.press('Enter');
  await waitForStep(page, 2, 60_000);

  await page.keyboard.press('Tab');
  expect(await focused()).toBe('Pause');
  await page.keyboard.press('Space');
  await expect(page.getByRole('status', { name: 'training status' })).toContainText('paused');
  const pausedAt = (await hook(page)).training?.step ?? 0;
  // Resume is the next enabled control after Pause, which is now disabled.
  await page.getByRole('button', { name: 'Resume', exact: true }).focus();
  await page.keyboard.press('Enter');
  await waitForStep(page, pausedAt + 2, 60_000);
});

test('a narrow screen: nothing spills sideways and Train still works', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openStudio(page, TINY);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath('narrow-open.png'), fullPage: true });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => (window.__ganStudio?.previews?.count ?? 0) > 0, undefined, { timeout: 60_000 });
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath('narrow-training.png'), fullPage: true });
});
