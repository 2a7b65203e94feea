import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFileSync, writeFileSync } from 'node:fs';
import { hook, openStudio, testPhoto, TINY, waitForStep } from './studio';

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

test('stylizes a 1024×768 photo with the trained generator at full size, in tiles, and downloads the PNG', async ({ page }, testInfo) => {
  await openStudio(page, TINY);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 2, 60_000);
  await page.getByRole('button', { name: 'Pause' }).click();

  await page.getByLabel('Photo to stylize').setInputFiles({ name: 'street.png', mimeType: 'image/png', buffer: await testPhoto(page, 1024, 768) });
  await page.getByLabel('Longest side in pixels').selectOption('1024');
  await page.getByRole('button', { name: 'Stylize street.png' }).click();
  await page.waitForFunction(() => window.__ganStudio?.stylize !== undefined, undefined, { timeout: 120_000 });
  expect((await hook(page)).stylize).toMatchObject({ width: 1024, height: 768, differs: true });
  await expect(page.getByRole('img', { name: 'After: stylized, 1024×768' })).toBeVisible();
  await page.getByRole('figure', { name: 'Before and after' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('stylized.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PNG' }).click()]);
  expect(download.suggestedFilename()).toBe('street-stylized.png');
  const path = testInfo.outputPath('street-stylized.png');
  await download.saveAs(path);
  expect(pngSize(readFileSync(path))).toEqual([1024, 768]);
});

test('an imported generator stylizes without any training; a broken one is refused with a reason', async ({ page, browser }, testInfo) => {
  await openStudio(page, TINY);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 1, 60_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  const files: string[] = [];
  page.on('download', (d) => {
    const path = testInfo.outputPath(d.suggestedFilename());
    void d.saveAs(path).then(() => files.push(path));
  });
  await page.getByRole('button', { name: 'Download generator B→A' }).click();
  await expect.poll(() => files.length).toBe(1);
  const zipped = unzipSync(readFileSync(files[0]));
  const loose = ['generator-BtoA.json', 'generator-BtoA.weights.bin'].map((name) => {
    const path = testInfo.outputPath(name);
    writeFileSync(path, zipped[name]);
    return path;
  });

  const context = await browser.newContext();
  const other = await context.newPage();
  await other.goto(`./${TINY}`);
  await other.waitForFunction(() => (window.__ganStudio?.data?.content ?? 0) > 0);
  const json = loose[0];
  // The weights file alone is not a model.
  await other.getByLabel('Import a generator').setInputFiles([loose[1]]);
  await expect(other.getByRole('alert').filter({ hasText: 'That generator could not be used' })).toContainText('No model .json file was given');
  // A truncated weights file is refused too.
  await other.getByLabel('Import a generator').setInputFiles([{ name: 'generator-BtoA.json', mimeType: 'application/json', buffer: readFileSync(json) }, { name: 'generator-BtoA.weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(100) }]);
  await expect(other.getByRole('alert').filter({ hasText: 'That generator could not be used' })).toContainText(/Expected \d+ bytes of weights/);

  // The downloaded .zip itself imports, page and all.
  await other.getByLabel('Import a generator').setInputFiles(files);
  await expect(other.getByLabel('Generator to use')).toHaveValue('imported');
  await other.getByLabel('Photo to stylize').setInputFiles({ name: 'small.png', mimeType: 'image/png', buffer: await testPhoto(other, 300, 200) });
  await other.getByLabel('Longest side in pixels').selectOption('256');
  await other.getByRole('button', { name: 'Stylize small.png' }).click();
  await other.waitForFunction(() => window.__ganStudio?.stylize !== undefined, undefined, { timeout: 60_000 });
  expect((await hook(other)).stylize).toMatchObject({ width: 256, height: 171, differs: true });
  expect(readFileSync(json, 'utf8')).toContain('InstanceNorm');
  await context.close();
});
