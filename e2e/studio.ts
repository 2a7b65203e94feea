import { expect, type Page } from '@playwright/test';
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
