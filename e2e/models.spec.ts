import { expect, test, type Download } from '@playwright/test';
import { unzipSync } from 'fflate';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hook, openStudio, testPhoto, TINY, waitForStep } from './studio';

test('FastCUT, chosen in the Train panel, trains one generator; its zip’s index.html stylizes a photo offline, opened from disk', async ({ page, browser }, testInfo) => {
  // A generator that starts from the photo barely changes it in 3 steps at the usual learning rate;
  // a fast one makes the offline page's change visible.
  await openStudio(page, `${TINY}&learningRateG=0.01`);
  await page.getByRole('radio', { name: /^FastCUT/ }).check();
  await expect(page).toHaveURL(/model=fastcut/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 3, 90_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => window.__ganStudio?.training?.phase === 'paused');

  const losses = (await hook(page)).training?.lastLosses;
  expect(losses?.nce).toBeGreaterThan(0);
  expect([losses?.dA, losses?.advF, losses?.cycleA, losses?.idtG]).toEqual([0, 0, 0, 0]);
  // One discriminator and one generator, with the PatchNCE curve; one direction of previews.
  await expect(page.getByRole('figure', { name: 'Discriminator', exact: true })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Generator', exact: true })).toContainText('PatchNCE');
  await expect(page.getByText('Content → style (G)')).toBeVisible();
  await expect(page.getByText('Style → content (F)')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Download generator B→A' })).toHaveCount(0);
  // The quality chart has its first scores: SWD to the style set and, on a demo, PSNR against the filter.
  // The untrained generator, which hands back the photo, is scored first (step 0).
  const [first] = (await hook(page)).quality ?? [];
  expect(first?.step).toBe(0);
  expect(first?.swd).toBeGreaterThan(0);
  expect(first?.psnr).toBeGreaterThan(0);
  await expect(page.getByRole('figure', { name: 'Quality' })).toContainText('SWD ×10³');
  await page.screenshot({ path: testInfo.outputPath('fastcut.png'), fullPage: true });

  const download = new Promise<Download>((resolve) => page.once('download', resolve));
  await page.getByRole('button', { name: 'Download generator A→B' }).click();
  const zipPath = testInfo.outputPath('generator-AtoB.zip');
  await (await download).saveAs(zipPath);
  const folder = testInfo.outputPath('unzipped');
  mkdirSync(folder, { recursive: true });
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zipPath)))) writeFileSync(`${folder}/${name}`, bytes);

  // A browser with no network opens the page straight from the folder.
  const offline = await browser.newContext({ offline: true });
  const standalone = await offline.newPage();
  await standalone.goto(`file://${folder}/index.html`);
  const status = standalone.getByRole('status');
  await expect(status).toContainText('Ready on', { timeout: 30_000 });
  await standalone.getByLabel('Photo').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await testPhoto(page, 300, 200) });
  await expect(status).toContainText('Done: 300×200', { timeout: 30_000 });
  const changed = await standalone.evaluate(() => {
    const pixels = (id: string) => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      return canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    };
    const [before, after] = [pixels('before'), pixels('after')];
    let differing = 0;
    for (let i = 0; i < before.length; i += 4) if (Math.abs(before[i] - after[i]) > 8) differing++;
    return differing / (before.length / 4);
  });
  expect(changed).toBeGreaterThan(0.1);
  await expect(standalone.getByRole('link', { name: 'Download the result (PNG)' })).toBeVisible();
  await standalone.screenshot({ path: testInfo.outputPath('standalone.png'), fullPage: true });
  await offline.close();

  // The paused run was autosaved: after a reload it resumes as FastCUT, at its step, and trains on.
  await page.waitForFunction(() => window.__ganStudio?.storage?.savedStep === window.__ganStudio?.training?.step);
  const step = (await hook(page)).training?.step ?? 0;
  await page.reload();
  const offer = page.getByRole('region', { name: 'Resume offer' });
  await expect(offer).toContainText('FastCUT · 32 px');
  await offer.getByRole('button', { name: `Resume at step ${step}` }).click();
  await page.waitForFunction((s) => window.__ganStudio?.training?.phase === 'paused' && window.__ganStudio.training.step === s, step);
  expect((await hook(page)).training?.model).toBe('fastcut');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, step + 2, 60_000);
  expect((await hook(page)).training?.lastLosses?.nce).toBeGreaterThan(0);
});
