import { expect, test } from '@playwright/test';
import { zipSync } from 'fflate';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hook, openStudio, TINY, waitForStep } from './studio';

const photos = new URL('../public/samples/photos/', import.meta.url).pathname;
const photo = (name: string) => join(photos, name);

test('opens with a demo ready; one click trains; charts and previews move; pause and resume', async ({ page }, testInfo) => {
  await openStudio(page);
  const data = (await hook(page)).data;
  expect(data?.source).toBe('oil');
  expect(data?.content).toBeGreaterThan(10);
  expect(data?.style).toBeGreaterThan(10);
  await expect(page.getByRole('region', { name: 'Content (A)' })).toContainText(`${data?.content} images`);
  // The demo sets are healthy: nothing to warn about.
  await expect(page.getByRole('list', { name: 'dataset health' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('1-open.png'), fullPage: true });

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // How soon they show is a speed figure (bench:browser's studio line), not this test's business.
  await page.waitForFunction(() => (window.__ganStudio?.chart?.points ?? 0) > 0 && (window.__ganStudio?.previews?.count ?? 0) > 0, undefined, { timeout: 60_000 });
  await expect(page.getByLabel(/previews at step \d+/)).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Discriminators' })).toBeVisible();

  // Later: more chart points and a newer preview, scored against the filter.
  const first = await hook(page);
  await page.waitForFunction((n) => (window.__ganStudio?.previews?.lastStep ?? 0) > n, first.previews?.lastStep ?? 0, { timeout: 60_000 });
  const later = await hook(page);
  expect(later.chart?.points).toBeGreaterThan(first.chart?.points ?? 0);
  expect(Number.isFinite(later.previews?.psnr?.generator)).toBe(true);
  await expect(page.getByText(/PSNR against the filter on unseen photos: [\d.]+ dB/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('2-training.png'), fullPage: true });

  // The filmstrip goes back to the first snapshot: the untrained generator, which hands back the photo.
  await page.getByLabel('Filmstrip: earlier snapshots').fill('0');
  await expect(page.getByText(/Step 0 \(earlier snapshot\)/)).toBeVisible();
  await expect(page.getByText(/PSNR against the filter on unseen photos: [\d.]+ dB, the same as doing nothing/)).toBeVisible();

  await page.getByRole('button', { name: 'Pause' }).click();
  const status = page.getByRole('status', { name: 'training status' });
  await expect(status).toContainText('paused');
  const pausedAt = (await hook(page)).training?.step ?? 0;
  await page.waitForTimeout(1500);
  expect((await hook(page)).training?.step).toBe(pausedAt);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, pausedAt + 2, 30_000);
  await expect(status).toContainText('running');
});

test('my own images: files, a folder, a zip and a drop are added; bad files and duplicates are listed and change nothing else', async ({ page }, testInfo) => {
  await openStudio(page);
  await page.getByLabel('Task').selectOption('own');
  await expect(page.getByRole('region', { name: 'Content (A)' })).toContainText('0 images');

  // Files, one of them not an image at all.
  const bad = testInfo.outputPath('notes.jpg');
  writeFileSync(bad, 'this is text, not a JPEG');
  await page.getByLabel('Add content images: files').setInputFiles([photo('aqua-c.jpg'), photo('bridge-e.jpg'), photo('chelsea-c.jpg'), bad]);
  await page.waitForFunction(() => window.__ganStudio?.data?.content === 3 && !window.__ganStudio?.data?.loading);
  const problems = page.getByRole('list', { name: 'Content (A): file notes' });
  await expect(problems).toContainText('notes.jpg is a text file, not an image');

  // A folder with a nested folder.
  const folder = testInfo.outputPath('holiday');
  mkdirSync(join(folder, 'day2'), { recursive: true });
  copyFileSync(photo('coffee-c.jpg'), join(folder, 'coffee.jpg'));
  copyFileSync(photo('fig-c.jpg'), join(folder, 'day2', 'fig.jpg'));
  await page.getByLabel('Add content images: folder').setInputFiles(folder);
  await page.waitForFunction(() => window.__ganStudio?.data?.content === 5 && !window.__ganStudio?.data?.loading);

  // The same photo again is a duplicate.
  await page.getByLabel('Add content images: files').setInputFiles([photo('aqua-c.jpg')]);
  await expect(problems).toContainText('aqua-c.jpg is a duplicate of aqua-c.jpg');
  expect((await hook(page)).data?.content).toBe(5);

  // A zip with images in a sub-folder and a text file.
  const zip = testInfo.outputPath('styles.zip');
  writeFileSync(zip, zipSync({ 'set/wood.jpg': readFileSync(photo('wood-c.jpg')), 'set/storm.jpg': readFileSync(photo('storm-c.jpg')), 'readme.txt': new TextEncoder().encode('hello') }));
  await page.getByLabel('Add style images: files').setInputFiles(zip);
  await page.waitForFunction(() => window.__ganStudio?.data?.style === 2 && !window.__ganStudio?.data?.loading);
  await expect(page.getByRole('list', { name: 'Style (B): file notes' })).toContainText('styles.zip/readme.txt is not an image file');

  // A drop onto the style zone.
  const bytes = Array.from(readFileSync(photo('dune-c.jpg')));
  const transfer = await page.evaluateHandle((b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'dropped-dune.jpg', { type: 'image/jpeg' }));
    return dt;
  }, bytes);
  await page.getByRole('group', { name: 'Add style images' }).dispatchEvent('drop', { dataTransfer: transfer });
  await page.waitForFunction(() => window.__ganStudio?.data?.style === 3 && !window.__ganStudio?.data?.loading);

  // A pasted image, as from the clipboard.
  const pasted = Array.from(readFileSync(photo('rocket-c.jpg')));
  await page.getByRole('group', { name: 'Add style images' }).evaluate((zone, b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'image.png', { type: 'image/jpeg' }));
    zone.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  }, pasted);
  await page.waitForFunction(() => window.__ganStudio?.data?.style === 4 && !window.__ganStudio?.data?.loading);

  // Remove one; the rest stay.
  await page.getByRole('button', { name: 'Remove bridge-e.jpg' }).click();
  expect((await hook(page)).data?.content).toBe(4);
  await expect(page.getByRole('list', { name: 'dataset health' })).toContainText('The content set has only 4 images: the networks will learn them by heart.');
  await page.screenshot({ path: testInfo.outputPath('3-own-images.png'), fullPage: true });

  // And they train.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 3, 90_000);
});

test('a link can carry settings, and a bad link setting is explained and ignored', async ({ page }) => {
  await openStudio(page, '?resolution=30&learningRateG=0.0005');
  await expect(page.getByRole('alert', { name: 'link settings' })).toContainText('Expected resolution to be a multiple of 4, got 30');
  await openStudio(page, '?resolution=96&lambdaCycle=5');
  await page.locator('summary', { hasText: 'Advanced settings' }).click();
  await expect(page.getByLabel('Resolution (px)')).toHaveValue('96');
  await expect(page.getByRole('spinbutton', { name: /^λ cycle/ })).toHaveValue('5');

  // The address bar keeps a link to the current setup: task, changed settings and seed.
  await page.getByLabel('Task').selectOption('sketch');
  await page.waitForFunction(() => window.__ganStudio?.data?.source === 'sketch' && !window.__ganStudio.data.loading);
  await page.getByRole('spinbutton', { name: /^λ cycle/ }).fill('7');
  await expect.poll(() => new URL(page.url()).search).toBe('?task=sketch&resolution=96&lambdaCycle=7');
  await page.getByRole('button', { name: 'Copy a link to this setup' }).click();
  await expect(page.getByLabel('Link to this setup')).toHaveValue(page.url());
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(`${link}&seed=7`);
  await other.waitForFunction(() => window.__ganStudio?.data?.source === 'sketch' && (window.__ganStudio.data.content ?? 0) > 0);
  await other.locator('summary', { hasText: 'Advanced settings' }).click();
  await expect(other.getByRole('spinbutton', { name: /^λ cycle/ })).toHaveValue('7');
  await expect(other.getByLabel('Resolution (px)')).toHaveValue('96');
  expect(new URL(other.url()).searchParams.get('seed')).toBe('7');
});

test('the augmentation preview shows random training crops, new ones on request, and the plain crop when augmentation is off', async ({ page }) => {
  await openStudio(page, TINY);
  await page.locator('summary', { hasText: 'What training sees' }).click();
  const crops = page.getByRole('img', { name: /^crop \d/ });
  await expect(crops).toHaveCount(6);
  const pixels = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('.augmentation canvas')).map((c) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.slice(0, 400)).join()),
    );
  // Real pixels, and not six copies of one crop (canvases draw a moment after they mount).
  const drawn = (crops: string[]) => crops.every((p) => p.split(',').some((v, i) => i % 4 !== 3 && v !== '0')) && new Set(crops).size > 1;
  await expect.poll(async () => drawn(await pixels())).toBe(true);
  const before = await pixels();
  await page.getByRole('button', { name: 'Other crops' }).click();
  await expect.poll(pixels).not.toEqual(before);

  await page.locator('summary', { hasText: 'Advanced settings' }).click();
  await page.getByLabel('Augment', { exact: true }).uncheck();
  await expect(page.locator('summary', { hasText: 'What training sees' })).toContainText('the centred crop');
  await expect(crops).toHaveCount(1);
});

test('on the warm-grade demo the generator beats doing nothing within the first previews, and the page says so', async ({ page }, testInfo) => {
  await openStudio(page, '?task=grade');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // Starting from the photo, with the colour loss, the grade arrives in the first few dozen steps.
  await page.waitForFunction(() => {
    const psnr = window.__ganStudio?.previews?.psnr;
    return psnr !== undefined && (window.__ganStudio?.previews?.lastStep ?? 0) > 0 && psnr.generator > psnr.identity + 1;
  }, undefined, { timeout: 240_000 });
  await expect(page.getByText(/PSNR against the filter on unseen photos: [\d.]+ dB, [\d.]+ dB better than doing nothing/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('grade-beats-doing-nothing.png'), fullPage: true });
  await page.getByRole('button', { name: 'Pause' }).click();
});
