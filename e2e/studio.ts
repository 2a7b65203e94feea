import { expect, type Download, type Page } from '@playwright/test';
import type { StudioTestHook } from '../src/ui/testHook';

/** Reads the app's test hook (state, not pixels). */
export async function hook(page: Page): Promise<StudioTestHook> {
  return (await page.evaluate(() => window.__ganStudio)) ?? {};
}

/** Opens the page (optionally with settings in the query) and waits for the first demo's images. */
export async function openStudio(page: Page, query = '') {
  await page.goto(`./${query}`);
  await page.waitForFunction(() => (window.__ganStudio?.data?.content ?? 0) > 0 && !window.__ganStudio?.data?.loading, undefined, { timeout: 60_000 });
}

export async function waitForStep(page: Page, step: number, timeout: number) {
  await page.waitForFunction((s) => (window.__ganStudio?.training?.step ?? 0) >= s, step, { timeout, polling: 250 });
}

export function expectFiniteLosses(training: StudioTestHook['training']) {
  expect(training?.lastLosses).toBeDefined();
  for (const [name, value] of Object.entries(training?.lastLosses ?? {})) expect(Number.isFinite(value), name).toBe(true);
}

export const TINY = '?resolution=32&genFilters=4&genResBlocks=1&discFilters=4&discLayers=2';

/** A PNG drawn by the browser: colour gradients with a few shapes, so stylizing has something to change. */
export async function testPhoto(page: Page, width: number, height: number): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([w, h]) => {
      const canvas = new OffscreenCanvas(w, h);
      const context = canvas.getContext('2d')!;
      const gradient = context.createLinearGradient(0, 0, w, h);
      gradient.addColorStop(0, '#3a7bd5');
      gradient.addColorStop(1, '#f4d03f');
      context.fillStyle = gradient;
      context.fillRect(0, 0, w, h);
      context.fillStyle = '#c0392b';
      context.beginPath();
      context.arc(w / 3, h / 2, h / 4, 0, Math.PI * 2);
      context.fill();
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let text = '';
      for (const b of bytes) text += String.fromCharCode(b);
      return btoa(text);
    },
    [width, height] as const,
  );
  return Buffer.from(base64, 'base64');
}

/** Trains the tiny config to at least `steps`, then pauses and waits for the pause to land. */
export async function trainAndPause(page: Page, steps: number) {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, steps, 90_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => window.__ganStudio?.training?.phase === 'paused');
}

/** Clicks, then collects the given number of downloads, saved under the test's output folder. */
export async function downloadsOf(page: Page, click: () => Promise<void>, count: number, dir: string): Promise<Map<string, string>> {
  const got: Download[] = [];
  const listener = (d: Download) => got.push(d);
  page.on('download', listener);
  await click();
  await expect.poll(() => got.length, { timeout: 30_000 }).toBe(count);
  page.off('download', listener);
  const saved = new Map<string, string>();
  for (const d of got) {
    const path = `${dir}/${d.suggestedFilename()}`;
    await d.saveAs(path);
    saved.set(d.suggestedFilename(), path);
  }
  return saved;
}
