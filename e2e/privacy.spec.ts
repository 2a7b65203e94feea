import { expect, test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../vite.config';
import { samplePhoto } from '../src/core/testing/badInputs';
import { ROOT_URL } from './servers';
import { hook, TINY, waitForStep } from './studio';

test('a whole session — load, add images, train, export, import, stylize — sends nothing beyond the page’s origin, under a strict CSP', async ({ page, context }, testInfo) => {
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(() => {
    const w = window as Window & { violations?: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations?.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  await page.goto(`./${TINY}`);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CONTENT_SECURITY_POLICY);
  await page.waitForFunction(() => (window.__ganStudio?.data?.content ?? 0) > 0);
  await page.getByLabel('Task').selectOption('own');
  const photo = (name: string) => ({ name, mimeType: 'image/jpeg', buffer: Buffer.from(samplePhoto(name)) });
  await page.getByLabel('Add content images: files').setInputFiles([photo('aqua-c.jpg'), photo('bridge-e.jpg'), photo('fig-c.jpg')]);
  await page.waitForFunction(() => window.__ganStudio?.data?.content === 3 && !window.__ganStudio.data.loading);
  await page.getByLabel('Add style images: files').setInputFiles([photo('wood-c.jpg'), photo('storm-c.jpg')]);
  await page.waitForFunction(() => window.__ganStudio?.data?.style === 2 && !window.__ganStudio.data.loading);

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 3, 60_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => window.__ganStudio?.training?.phase === 'paused');

  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.getByRole('button', { name: 'Download generator A→B' }).click();
  // The generator's zip carries tf.min.js, read from the page's own origin like everything else.
  await expect.poll(() => downloads).toEqual(['generator-AtoB.zip']);
  const [run] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download this run (.zip)' }).click()]);
  expect(run.suggestedFilename()).toMatch(/\.zip$/);
  const zip = testInfo.outputPath('run.zip');
  await run.saveAs(zip);
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByLabel('Import a run').setInputFiles(zip);
  await page.waitForFunction(() => window.__ganStudio?.training?.phase === 'paused');

  await page.getByLabel('Photo to stylize').setInputFiles(photo('coffee-c.jpg'));
  await page.getByLabel('Longest side in pixels').selectOption('256');
  await page.getByRole('button', { name: 'Stylize coffee-c.jpg' }).click();
  await page.waitForFunction(() => window.__ganStudio?.stylize !== undefined, undefined, { timeout: 60_000 });
  expect((await hook(page)).stylize?.differs).toBe(true);

  const origin = new URL(ROOT_URL).origin;
  const elsewhere = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'));
  expect(elsewhere).toEqual([]);
  // Requests from the workers are recorded too: the wasm binary is fetched by the training worker.
  expect(requests.some((url) => url.endsWith('.wasm'))).toBe(true);
  expect(await page.evaluate(() => (window as Window & { violations?: string[] }).violations)).toEqual([]);
});
