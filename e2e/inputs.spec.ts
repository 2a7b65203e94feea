import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bombZip, inputCases, png, samplePhoto } from '../src/core/testing/badInputs';
import { hook, openStudio, TINY, waitForStep } from './studio';

/** The notes listed under one set, as "name reason" lines. */
async function notes(page: Page, set: 'Content (A)' | 'Style (B)'): Promise<string[]> {
  return page.getByRole('list', { name: `${set}: file notes` }).locator('li').allInnerTexts();
}

async function settled(page: Page) {
  await page.waitForFunction(() => !window.__ganStudio?.data?.loading);
}

test('each bad file gets its own reason, good ones are used (EXIF turned, alpha on grey, first GIF frame), names stay text, and training works', async ({ page }, testInfo) => {
  await openStudio(page, TINY);
  await page.getByLabel('Task').selectOption('own');
  const dir = testInfo.outputPath('inputs');
  mkdirSync(dir, { recursive: true });
  const cases = inputCases();
  // A few that only a browser makes or that are too big to keep: WebP, a 24-megapixel photo, a hostile name.
  const webp = Buffer.from(
    await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(48, 40);
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#2a9d8f';
      context.fillRect(0, 0, 48, 40);
      context.fillStyle = '#e76f51';
      context.fillRect(10, 10, 20, 20);
      return Array.from(new Uint8Array(await (await canvas.convertToBlob({ type: 'image/webp' })).arrayBuffer()));
    }),
  );
  const extra = [
    { name: 'web.webp', bytes: webp },
    { name: 'panorama.png', bytes: png(6000, 4000, 2, 8, (x, y, c) => [(x >> 4) & 255, (y >> 4) & 255, 90][c]) },
    { name: '<img src=x onerror="window.__xss=1">.png', bytes: png(32, 32, 2, 8, (x, y, c) => [x * 8, 200, y * 8][c]) },
    { name: '<img src=y onerror="window.__xss=2">.jpg', bytes: new TextEncoder().encode('not a photo') },
  ];
  const paths = [...cases, ...extra].map((c) => {
    const path = join(dir, c.name.replace(/[<>"= ]/g, '_'));
    writeFileSync(path, c.bytes);
    return { name: c.name, mimeType: 'application/octet-stream', buffer: Buffer.from(c.bytes) };
  });
  await page.getByLabel('Add content images: files').setInputFiles(paths);
  await settled(page);

  const listed = await notes(page, 'Content (A)');
  for (const c of cases) {
    if (c.expect.used) {
      expect(listed.filter((l) => l.startsWith(`${c.name} `) && !/\(kept\)$/.test(l)), `${c.name} should be used`).toEqual([]);
      if (c.expect.note) expect(listed.find((l) => l.startsWith(`${c.name} `)), c.name).toMatch(c.expect.note);
    } else {
      expect(listed.find((l) => l.startsWith(`${c.name} `)), c.name).toMatch(c.expect.reason);
    }
  }
  const used = cases.filter((c) => c.expect.used).length + extra.length - 1;
  const data = (await hook(page)).data;
  expect(data?.content).toBe(used);
  for (const c of cases) if (c.expect.used && c.expect.size) expect(data?.sizes[c.name], c.name).toEqual(c.expect.size);
  // The huge photo was decoded small; the hostile name is plain text, never markup.
  expect(Math.max(...(data?.sizes['panorama.png'] ?? [0]))).toBe(320);
  expect(listed).toContain('<img src=y onerror="window.__xss=2">.jpg is a text file, not an image');
  expect(data?.sizes['<img src=x onerror="window.__xss=1">.png']).toEqual([32, 32]);
  expect(await page.evaluate(() => (window as Window & { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"], img[src="y"]').count()).toBe(0);
  // Smaller than the 32 px training size: kept, upscaled, and the student is told.
  await expect(page.getByRole('note', { name: 'small images' })).toContainText(/3 images are smaller than the 32 px training size \(spinner\.gif, still\.gif, small\.png\): they are upscaled/);
  await page.screenshot({ path: testInfo.outputPath('bad-inputs.png'), fullPage: true });

  // The good ones train.
  await page.getByLabel('Add style images: files').setInputFiles([
    { name: 'a.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(samplePhoto('wood-c.jpg')) },
    { name: 'b.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(samplePhoto('storm-c.jpg')) },
  ]);
  await settled(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 2, 90_000);
});

test('archives: nested folders are walked, unsafe paths, inner archives and zip bombs are refused, and a set keeps its first 1000 images', async ({ page }) => {
  await openStudio(page);
  await page.getByLabel('Task').selectOption('own');
  const image = (i: number) => png(16, 16, 2, 8, (x, y, c) => [i & 255, (i >> 8) * 60 + x, y * 8][c]);
  const nested = zipSync({ 'trip/day1/a.png': image(1), 'trip/day2/deep/b.png': image(2), 'trip/notes.txt': new TextEncoder().encode('hello'), '../../evil.png': image(3), 'trip/more.zip': zipSync({ 'c.png': image(4) }) });
  await page.getByLabel('Add style images: files').setInputFiles([
    { name: 'trip.zip', mimeType: 'application/zip', buffer: Buffer.from(nested) },
    { name: 'bomb.zip', mimeType: 'application/zip', buffer: Buffer.from(bombZip(0xfffffff0)) },
  ]);
  await settled(page);
  expect((await hook(page)).data?.style).toBe(2);
  const listed = await notes(page, 'Style (B)');
  expect(listed).toEqual(
    expect.arrayContaining([
      'trip.zip/trip/notes.txt is not an image file (skipped inside the archive)',
      'trip.zip/../../evil.png has a path that points outside the archive (skipped)',
      'trip.zip/trip/more.zip is an archive inside the archive (not opened)',
      expect.stringMatching(/^bomb\.zip\/bomb\/huge\.png would unpack to \d+ MB, above the 100 MB limit per file/),
    ]),
  );

  // 1005 distinct images in one archive: the first 1000 are kept, the rest named as over the limit.
  const many = zipSync(Object.fromEntries(Array.from({ length: 1005 }, (_, i) => [`many/${String(i).padStart(4, '0')}.png`, image(i + 10)])));
  await page.getByLabel('Add content images: files').setInputFiles({ name: 'many.zip', mimeType: 'application/zip', buffer: Buffer.from(many) });
  await page.waitForFunction(() => !window.__ganStudio?.data?.loading, undefined, { timeout: 120_000 });
  expect((await hook(page)).data?.content).toBe(1000);
  const over = (await notes(page, 'Content (A)')).filter((l) => l.includes('beyond the limit of 1000 images per set'));
  expect(over.map((l) => l.split(' ')[0])).toEqual(['many.zip/many/1000.png', 'many.zip/many/1001.png', 'many.zip/many/1002.png', 'many.zip/many/1003.png', 'many.zip/many/1004.png']);
  // The style set was not touched.
  expect((await hook(page)).data?.style).toBe(2);
});
