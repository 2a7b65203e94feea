import { expect, test, type Page } from '@playwright/test';
import { expectFiniteLosses, hook, openStudio, TINY, waitForStep } from './studio';

const notices = (page: Page) => page.getByRole('alert').filter({ hasText: /./ });

async function startTraining(page: Page) {
  await openStudio(page, TINY);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
}

/** Pauses and waits until the pause's autosave has landed. */
async function pauseAndSave(page: Page) {
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => window.__ganStudio?.training?.phase === 'paused' && window.__ganStudio.storage?.savedStep === window.__ganStudio.training.step, undefined, { timeout: 30_000 });
  return (await hook(page)).training?.step ?? 0;
}

test('full storage: the page says so and training goes on', async ({ page }) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args: Parameters<typeof put>) {
      if (this.name === 'images' || this.name === 'checkpoints') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await startTraining(page);
  await waitForStep(page, 3, 60_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => window.__ganStudio?.training?.phase === 'paused');
  await expect(page.getByRole('status', { name: 'autosave' })).toContainText('Browser storage is full, so this run is not being saved any more; training goes on.');
  expect((await hook(page)).storage?.runs).toBe(0);
  const at = (await hook(page)).training?.step ?? 0;
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, at + 3, 60_000);
  expect((await hook(page)).training?.phase).toBe('running');
});

test('NaN losses: training pauses back at the last good snapshot, explains, and trains on from there', async ({ page }) => {
  await startTraining(page);
  await waitForStep(page, 3, 60_000);
  const good = await pauseAndSave(page);
  await page.evaluate(() => window.__ganStudio?.actions?.injectFault('nan'));
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(notices(page)).toContainText(new RegExp(`Losses became NaN or infinite at step \\d+; training paused and went back to step ${good}, the last good snapshot. Lower the learning rates`));
  await page.waitForFunction((step) => window.__ganStudio?.training?.phase === 'paused' && window.__ganStudio.chart?.lastStep === step, good);
  expect((await hook(page)).training?.step).toBe(good);
  // The hints explain it too, with a one-click remedy that takes effect on the next step.
  const hint = page.locator('[data-hint="nan"]');
  await expect(hint).toContainText(`went back to step ${good}`);
  await hint.getByRole('button', { name: 'Halve both learning rates' }).click();
  await expect(notices(page)).toContainText('Set learningRateG = 0.0001, learningRateD = 0.0001: training uses it from the next step.');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, good + 3, 60_000);
  expectFiniteLosses((await hook(page)).training);
});

test('out of memory: training stops on the same backend with advice, nothing lost', async ({ page }) => {
  await startTraining(page);
  await waitForStep(page, 3, 60_000);
  const saved = await pauseAndSave(page);
  await page.evaluate(() => window.__ganStudio?.actions?.injectFault('out-of-memory'));
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(notices(page)).toContainText(/ran out of memory .*At 32 px and batch 1 .*lower the resolution, the batch size or the filters\. Training went back to step \d+; nothing else was lost\./);
  const t = (await hook(page)).training;
  expect(t?.phase).toBe('paused');
  expect(t?.backend).toBe('wasm');
  expect(t?.step).toBeGreaterThanOrEqual(saved);
  expect((await hook(page)).storage?.runs).toBe(1);
});

test('a crashed worker is replaced from the latest autosave, and the student is told', async ({ page }) => {
  await startTraining(page);
  await waitForStep(page, 3, 60_000);
  const saved = await pauseAndSave(page);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, saved + 2, 60_000);
  await page.evaluate(() => window.__ganStudio?.actions?.injectFault('crash'));
  await expect(notices(page)).toContainText(new RegExp(`The training worker crashed \\(.*simulated crash.*\\)\\. A new one took over from the autosave at step ${saved}: press Resume to go on\\.`));
  await page.waitForFunction((step) => window.__ganStudio?.training?.phase === 'paused' && window.__ganStudio.training.step === step, saved);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, saved + 2, 60_000);
});
