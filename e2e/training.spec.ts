import { expect, test, type Page } from '@playwright/test';
import type { StudioTestHook } from '../src/ui/testHook';

type Training = NonNullable<StudioTestHook['training']>;

async function training(page: Page): Promise<Training | undefined> {
  return page.evaluate(() => window.__ganStudio?.training);
}

async function waitForStep(page: Page, step: number, timeout: number) {
  await page.waitForFunction((s) => (window.__ganStudio?.training?.step ?? 0) >= s, step, { timeout, polling: 250 });
}

async function startTraining(page: Page, backend: string, size: 'default' | 'tiny') {
  await page.goto('./');
  const panel = page.getByRole('region', { name: 'Training engine' });
  await panel.getByLabel('Backend').selectOption(backend);
  await panel.getByLabel('Size').selectOption(size);
  await panel.getByRole('button', { name: 'Start' }).click();
  return panel;
}

function expectFiniteLosses(t: Training | undefined) {
  expect(t?.lastLosses).toBeDefined();
  for (const [name, value] of Object.entries(t?.lastLosses ?? {})) expect(Number.isFinite(value), name).toBe(true);
}

test('auto picks wasm here with its reasons, trains the default config in a worker, and the page stays responsive', async ({ page }, testInfo) => {
  await page.goto('./');
  // Long tasks on the main thread during training would mean the UI freezes.
  await page.evaluate(() => {
    const w = window as Window & { longTasks?: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks?.push(e.duration))).observe({ type: 'longtask', buffered: false });
  });
  const panel = page.getByRole('region', { name: 'Training engine' });
  await panel.getByRole('button', { name: 'Start' }).click();
  await page.waitForFunction(() => window.__ganStudio?.training?.selection !== undefined, undefined, { timeout: 60_000 });

  const selection = (await training(page))?.selection;
  expect(selection?.chosen).toBe('wasm');
  expect(selection?.reason).toMatch(/^wasm trained fastest \(\d+ ms per step\)/);
  const verdicts = Object.fromEntries(selection?.candidates.map((c) => [c.name, c.verdict]) ?? []);
  expect(verdicts.webgpu).toMatch(/skipped: a software GPU adapter/);
  expect(verdicts.webgl).toMatch(/skipped: a software GPU adapter/);
  expect(verdicts.cpu).toMatch(/skipped: wasm works/);
  await expect(panel.getByRole('table', { name: 'backend selection' })).toContainText('fastest');

  await waitForStep(page, 20, 90_000);
  let t = await training(page);
  expect(t?.backend).toBe('wasm');
  expectFiniteLosses(t);
  // Every step's losses arrived, in batched progress events.
  expect(t?.rowsReceived).toBe(t?.step);
  expect(t?.stepsPerSecond).toBeGreaterThan(0);
  await expect(panel.getByLabel(/previews at step \d+/)).toBeVisible();
  expect(t?.step).toBeGreaterThanOrEqual(10);

  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(panel.getByRole('status')).toContainText('paused');
  const pausedAt = (await training(page))?.step ?? 0;
  await page.waitForTimeout(1500);
  expect((await training(page))?.step).toBe(pausedAt);
  await panel.getByRole('button', { name: 'Step' }).click();
  await waitForStep(page, pausedAt + 1, 30_000);
  await panel.getByRole('button', { name: 'Resume' }).click();
  await waitForStep(page, pausedAt + 3, 30_000);
  await page.screenshot({ path: testInfo.outputPath('training-wasm.png'), fullPage: true });
  await panel.getByRole('button', { name: 'Stop' }).click();
  await expect(panel.getByRole('status')).toContainText('stopped');

  const longTasks = await page.evaluate(() => (window as Window & { longTasks?: number[] }).longTasks ?? []);
  expect(longTasks.filter((d) => d > 200)).toEqual([]);
  t = await training(page);
  expect(t?.notices).toEqual([]);
});

test('trains a tiny config in a worker on WebGL (SwiftShader here)', async ({ page }) => {
  test.setTimeout(240_000);
  await startTraining(page, 'webgl', 'tiny');
  await waitForStep(page, 3, 200_000);
  const t = await training(page);
  expect(t?.backend).toBe('webgl');
  expect(t?.selection).toMatchObject({ chosen: 'webgl', forced: true });
  expectFiniteLosses(t);
});

test('trains a tiny config in a worker on WebGPU (SwiftShader here)', async ({ page }) => {
  test.setTimeout(300_000);
  await startTraining(page, 'webgpu', 'tiny');
  await waitForStep(page, 2, 260_000);
  const t = await training(page);
  expect(t?.backend).toBe('webgpu');
  expectFiniteLosses(t);
});

test('when the WebGL context is lost mid-training, training moves to the next backend and keeps its progress', async ({ page }) => {
  test.setTimeout(240_000);
  const panel = await startTraining(page, 'webgl', 'tiny');
  await waitForStep(page, 3, 200_000);
  await page.evaluate(() => window.__ganStudio?.actions?.loseDevice());
  await page.waitForFunction(() => window.__ganStudio?.training?.backend === 'wasm', undefined, { timeout: 60_000 });
  const lostAt = (await training(page))?.step ?? 0;
  await waitForStep(page, lostAt + 5, 60_000);
  const t = await training(page);
  expectFiniteLosses(t);
  expect(t?.notices.join('\n')).toMatch(/Training moved from webgl to wasm because the WebGL context was lost; resumed at step \d+/);
  await expect(panel.getByRole('alert')).toContainText('moved from webgl to wasm');
});
