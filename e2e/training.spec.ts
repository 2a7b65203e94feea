import { expect, test } from '@playwright/test';
import { expectFiniteLosses, hook, openStudio, TINY, waitForStep } from './studio';

test('auto picks wasm here with its reasons, trains the default config in a worker, and answers pause, step and resume', async ({ page }, testInfo) => {
  await openStudio(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__ganStudio?.training?.selection !== undefined, undefined, { timeout: 60_000 });

  const selection = (await hook(page)).training?.selection;
  expect(selection?.chosen).toBe('wasm');
  expect(selection?.reason).toBe('wasm is the only fast candidate: the others are unavailable or known to be slower here');
  const verdicts = Object.fromEntries(selection?.candidates.map((c) => [c.name, c.verdict]) ?? []);
  expect(verdicts.webgpu).toMatch(/skipped: a software GPU adapter/);
  expect(verdicts.webgl).toMatch(/skipped: a software GPU adapter/);
  expect(verdicts.cpu).toMatch(/skipped: wasm works/);
  // At 64 px wasm starts on every core without timing (a probe would cost seconds before the
  // first step) and times one thread against it on the run itself.
  const cores = Math.min(8, await page.evaluate(() => navigator.hardwareConcurrency));
  const wasm = selection?.candidates.find((c) => c.name === 'wasm');
  if (cores > 1) {
    expect(wasm?.verdict).toContain(`runs on ${cores} threads, every core, from the first step; the run times 1 thread against it after a few steps`);
    expect(wasm?.detail).toContain(`SIMD on, ${cores} threads`);
  }
  await expect(page.getByRole('status', { name: 'training status' })).toContainText('backend: wasm (wasm is the only fast candidate');
  await page.locator('summary', { hasText: 'compute backends' }).click();
  await expect(page.getByRole('table', { name: 'backend selection' }).locator('tr[data-backend="wasm"]')).toContainText('chosen: the only fast candidate here');

  await waitForStep(page, 20, 90_000);
  if (cores > 1) {
    // The trial restarts wasm between two steps: the run goes on, and the row says what it timed.
    await expect(page.getByRole('table', { name: 'backend selection' }).locator('tr[data-backend="wasm"]')).toContainText(
      new RegExp(`runs on (1 thread|${cores} threads), timed while training at 64 px: 1 thread \\d+ ms, ${cores} threads \\d+ ms per step`),
      { timeout: 90_000 },
    );
  }
  // The steps run in tfjs's worker, off the page's thread. How long the page's own tasks take is a
  // speed figure on a shared 2-core machine, so bench:browser measures it rather than this test.
  expect(page.workers().map((w) => w.url()).some((url) => /tfjs\.worker/.test(url))).toBe(true);
  const t = (await hook(page)).training;
  expectFiniteLosses(t);
  // Every step's losses arrived, in batched progress events.
  expect(t?.rowsReceived).toBe(t?.step);
  expect(t?.stepsPerSecond).toBeGreaterThan(0);

  const status = page.getByRole('status', { name: 'training status' });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toContainText('paused');
  const pausedAt = (await hook(page)).training?.step ?? 0;
  await page.waitForTimeout(1500);
  expect((await hook(page)).training?.step).toBe(pausedAt);
  await page.getByRole('button', { name: 'Step' }).click();
  await waitForStep(page, pausedAt + 1, 30_000);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, pausedAt + 3, 30_000);
  await page.screenshot({ path: testInfo.outputPath('training-wasm.png'), fullPage: true });
  expect((await hook(page)).training?.notices).toEqual([]);
});

// One run through the GPU backends, which run on SwiftShader here and are slow: it trains on the
// WebGPU engine, loses the device and goes on in tfjs on WebGL, then loses that context and goes on in wasm.
test('a tiny config trains on the WebGPU engine (SwiftShader here), moves to tfjs on WebGL when the device is lost, then to wasm when the context is lost, keeping its progress', async ({ page }) => {
  test.setTimeout(480_000);
  await openStudio(page, `${TINY}&backend=webgpu`);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 2, 260_000);
  const onEngine = (await hook(page)).training;
  expect(onEngine?.backend).toBe('webgpu');
  // Forced webgpu trains CycleGAN on the compiled engine, not on tfjs-webgpu.
  expect(onEngine?.selection?.reason).toMatch(/training runs on the WebGPU engine/);
  expectFiniteLosses(onEngine);

  // Paused, the engine's state is the snapshot: the move to tfjs must not redo a single step.
  const status = page.getByRole('status', { name: 'training status' });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toContainText('paused');
  const pausedAt = (await hook(page)).training?.step ?? 0;
  await page.evaluate(() => window.__ganStudio?.actions?.injectFault('device-lost'));
  await page.waitForFunction(() => window.__ganStudio?.training?.backend === 'webgl', undefined, { timeout: 60_000 });
  expect((await hook(page)).training?.notices.join('\n')).toMatch(/Training moved from webgpu to webgl because the WebGPU (engine's )?device was lost/);
  expect((await hook(page)).training?.notices.join('\n')).toContain(`resumed at step ${pausedAt} (0 steps redone)`);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, pausedAt + 2, 200_000);
  const onWebgl = (await hook(page)).training;
  expect(onWebgl?.backend).toBe('webgl');
  expectFiniteLosses(onWebgl);

  await page.evaluate(() => window.__ganStudio?.actions?.injectFault('device-lost'));
  await page.waitForFunction(() => window.__ganStudio?.training?.backend === 'wasm', undefined, { timeout: 60_000 });
  const lostAt = (await hook(page)).training?.step ?? 0;
  await waitForStep(page, lostAt + 5, 60_000);
  const t = (await hook(page)).training;
  expectFiniteLosses(t);
  expect(t?.notices.join('\n')).toMatch(/Training moved from webgl to wasm because the WebGL context was lost; resumed at step \d+/);
  await expect(page.getByRole('alert').filter({ hasText: 'moved from webgl to wasm' })).toBeVisible();
});
