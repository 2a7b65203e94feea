import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ROOT_URL } from './servers';
import { downloadsOf, hook, openStudio, TINY, trainAndPause, waitForStep } from './studio';

const require = createRequire(import.meta.url);
const tfBundle = readFileSync(require.resolve('@tensorflow/tfjs/dist/tf.min.js'));


test('an exported generator loads in a fresh page with tf.loadLayersModel and the custom-layers module, and gives the app’s output', async ({ page, context }, testInfo) => {
  await openStudio(page, TINY);
  await trainAndPause(page, 3);
  const dir = testInfo.outputPath('export');
  const zip = await downloadsOf(page, () => page.getByRole('button', { name: 'Download generator A→B' }).click(), 1, dir);
  const bundle = unzipSync(readFileSync(zip.get('generator-AtoB.zip')!));
  expect(Object.keys(bundle).sort()).toEqual(['README.txt', 'gan-studio-layers.js', 'generator-AtoB.json', 'generator-AtoB.weights.bin', 'index.html', 'model.js', 'tf.min.js']);
  // The page's own custom-layers download is the same module the zip carries.
  const layers = await downloadsOf(page, () => page.getByRole('button', { name: 'Download the custom-layers module' }).click(), 1, dir);
  expect(readFileSync(layers.get('gan-studio-layers.js')!)).toEqual(Buffer.from(bundle['gan-studio-layers.js']));

  const shape: [number, number, number, number] = [1, 32, 32, 3];
  const input = Array.from({ length: 32 * 32 * 3 }, (_, i) => Math.sin(i * 0.37));
  const fromApp = await page.evaluate(([x, s]) => window.__ganStudio!.actions!.predict('AtoB', x, s), [input, shape] as const);

  // Another page, knowing nothing of the app: plain tfjs from a script tag, and the downloaded files.
  const files: Record<string, [Buffer, string]> = {
    'index.html': [Buffer.from('<!doctype html><title>fresh</title><script src="tf.min.js"></script>'), 'text/html'],
    'tf.min.js': [tfBundle, 'text/javascript'],
    'gan-studio-layers.js': [Buffer.from(bundle['gan-studio-layers.js']), 'text/javascript'],
    'generator-AtoB.json': [Buffer.from(bundle['generator-AtoB.json']), 'application/json'],
    'generator-AtoB.weights.bin': [Buffer.from(bundle['generator-AtoB.weights.bin']), 'application/octet-stream'],
  };
  const fresh = await context.newPage();
  await fresh.route(`${ROOT_URL}/fresh/**`, (route) => {
    const file = files[new URL(route.request().url()).pathname.replace('/fresh/', '')];
    return file ? route.fulfill({ body: file[0], contentType: file[1] }) : route.fulfill({ status: 404 });
  });
  await fresh.goto(`${ROOT_URL}/fresh/index.html`);
  const fromFile = await fresh.evaluate(async ([x, s]) => {
    const tf = (window as unknown as { tf: typeof import('@tensorflow/tfjs') }).tf;
    const { registerGanStudioLayers } = await import(`${location.origin}/fresh/gan-studio-layers.js`);
    await tf.setBackend('cpu');
    registerGanStudioLayers(tf);
    // tfjs takes the weights' folder from the URL up to its last slash, so the ./ matters.
    const loaded = await tf.loadLayersModel('./generator-AtoB.json');
    return Array.from(await (loaded.predict(tf.tensor4d(x, s)) as import('@tensorflow/tfjs').Tensor).data());
  }, [input, shape] as const);

  expect(fromFile.length).toBe(fromApp.length);
  const worst = Math.max(...fromFile.map((v, i) => Math.abs(v - fromApp[i])));
  expect(worst).toBeLessThanOrEqual(1e-4);
  // And it is a trained network, not a constant: outputs vary.
  expect(Math.max(...fromFile) - Math.min(...fromFile)).toBeGreaterThan(0.01);
});

test('a run downloaded as .zip imports into an empty browser and continues from the same step with the same curves', async ({ page, browser }, testInfo) => {
  await openStudio(page, TINY);
  await trainAndPause(page, 4);
  // The chart redraws a moment after the last progress: wait until it shows the paused step.
  await page.waitForFunction(() => window.__ganStudio?.chart?.lastStep === window.__ganStudio?.training?.step);
  const before = await hook(page);
  const zip = await downloadsOf(page, () => page.getByRole('button', { name: 'Download this run (.zip)' }).click(), 1, testInfo.outputPath('run'));
  const [zipPath] = [...zip.values()];
  expect(zipPath).toMatch(/-step-\d+\.zip$/);

  // A new browser context has empty storage: nothing to resume there.
  const empty = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await empty.newPage();
  await other.goto(`${ROOT_URL}/${TINY}`);
  await other.waitForFunction(() => window.__ganStudio?.storage !== undefined && (window.__ganStudio?.data?.content ?? 0) > 0);
  expect((await hook(other)).storage?.runs).toBe(0);

  // A broken file first: a clear message, and nothing changes.
  await other.getByLabel('Import a run').setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
  await expect(other.getByRole('alert', { name: 'run problems' })).toContainText('broken.zip is not a readable .zip file');
  expect((await hook(other)).training?.phase).toBe('idle');

  await other.getByLabel('Import a run').setInputFiles(zipPath);
  await other.waitForFunction((step) => window.__ganStudio?.training?.phase === 'paused' && window.__ganStudio.training.step === step, before.training?.step);
  const imported = await hook(other);
  expect(imported.chart).toEqual(before.chart);
  expect(imported.previews?.count).toBe(before.previews?.count);
  expect(imported.data).toMatchObject({ source: before.data?.source, content: before.data?.content, style: before.data?.style });
  // It is saved in the new browser too, and it trains on from where it was.
  await other.waitForFunction(() => (window.__ganStudio?.storage?.runs ?? 0) === 1);
  await other.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(other, (before.training?.step ?? 0) + 2, 60_000);
  await other.waitForFunction((step) => (window.__ganStudio?.chart?.lastStep ?? 0) > step, before.chart?.lastStep ?? 0);
  await empty.close();
});

test('a run file saved before generators started from the photo (format 2) imports as it was and trains on', async ({ page }) => {
  // Made by the code of commit aebfee3 (format 2): a tiny CycleGAN, 3 steps, on six photos.
  await openStudio(page);
  await page.getByLabel('Import a run').setInputFiles(new URL('./fixtures/run-format-2.zip', import.meta.url).pathname);
  await page.waitForFunction(() => window.__ganStudio?.training?.phase === 'paused' && window.__ganStudio.training.step === 3);
  expect((await hook(page)).storage?.runProblems).toEqual([]);
  // Its weights are the paper's generator's, and it had no colour loss: so it stays.
  await expect(page.getByLabel('Generator starts')).toHaveValue('random');
  await expect(page.getByLabel('λ colour')).toHaveValue('0');
  await expect(page.getByLabel('λ change')).toHaveValue('0');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, 6, 60_000);
  const losses = (await hook(page)).training?.lastLosses;
  expect(Number.isFinite(losses?.totalG)).toBe(true);
  expect(losses?.colourG).toBe(0);
});

test('after a reload mid-training the page offers the autosaved run and resumes at its step with its loss history', async ({ page }, testInfo) => {
  await openStudio(page, TINY);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // The first autosave comes within 15 s of running.
  await page.waitForFunction(() => (window.__ganStudio?.storage?.savedStep ?? 0) > 0, undefined, { timeout: 60_000 });
  const saved = (await hook(page)).storage?.savedStep ?? 0;
  expect((await hook(page)).training?.phase).toBe('running');

  await page.reload();
  const offer = page.getByRole('region', { name: 'Resume offer' });
  await expect(offer).toContainText(/was saved at step \d+/);
  const offered = Number((await offer.textContent())?.match(/saved at step (\d+)/)?.[1]);
  expect(offered).toBeGreaterThanOrEqual(saved);
  await page.screenshot({ path: testInfo.outputPath('resume-offer.png'), fullPage: true });
  await offer.getByRole('button', { name: `Resume at step ${offered}` }).click();
  await page.waitForFunction((step) => window.__ganStudio?.training?.phase === 'paused' && window.__ganStudio.training.step === step, offered);
  // Every step up to the saved one is on the chart again (one point per step this early).
  const restored = await hook(page);
  expect(restored.chart).toEqual({ points: offered, lastStep: offered });
  expect(restored.previews?.count).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, offered + 2, 60_000);

  // Renamed while training, the run keeps its new name through later autosaves and a reload.
  const runs = page.getByRole('list', { name: 'Saved runs' });
  await runs.getByRole('button', { name: /^Rename / }).click();
  await runs.getByRole('textbox').fill('My oil run');
  await runs.getByRole('button', { name: 'Save name' }).click();
  await expect(runs).toContainText('My oil run');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => window.__ganStudio?.training?.phase === 'paused' && window.__ganStudio.storage?.savedStep === window.__ganStudio.training.step);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Resume offer' })).toContainText('My oil run');
  // Deleted, it is gone for good.
  await page.getByRole('button', { name: 'Delete My oil run' }).click();
  await page.waitForFunction(() => window.__ganStudio?.storage?.runs === 0);
  await expect(page.getByRole('region', { name: 'Resume offer' })).toHaveCount(0);
});
