import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { downloadsOf, hook, openStudio, TINY, trainAndPause, waitForStep } from './studio';

const root = fileURLToPath(new URL('..', import.meta.url));
const python = process.env.PYTHON ?? '/usr/bin/python3';

test('a run continues under torchrun with 2 processes on the CPU and comes back to the page, which trains on from there', async ({ page }, testInfo) => {
  const torch = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  expect(torch.status, `${python} has no torch: run \`npm run test:scale\` (it installs python3-torch) or set PYTHON`).toBe(0);
  await openStudio(page, TINY);
  await trainAndPause(page, 3);
  await page.waitForFunction(() => window.__ganStudio?.chart?.lastStep === window.__ganStudio?.training?.step);
  const before = await hook(page);
  const step = before.training?.step ?? 0;

  await page.getByText('Continue on a GPU machine').click();
  const dir = testInfo.outputPath('scale');
  const run = await downloadsOf(page, () => page.getByRole('button', { name: 'Download run.zip' }).click(), 1, dir);
  const runPath = run.get('run.zip') as string;
  const pack = await downloadsOf(page, () => page.getByRole('button', { name: 'Download the scale package (.zip)' }).click(), 1, dir);
  const files = Object.keys(unzipSync(readFileSync(pack.get('scale.zip') as string)));
  expect(files).toEqual(expect.arrayContaining(['scale/train.py', 'scale/networks.py', 'scale/runfile.py']));

  // The page's own CPU command, with this test's paths and 20 steps.
  const command = (await page.getByLabel('CPU cores as processes (here 2)').innerText()).trim().split(/\s+/);
  expect(command.slice(0, 7)).toEqual(['torchrun', '--redirects', '1', '--tee', '1', '--nproc_per_node=2', '-m']);
  const outPath = `${dir}/run-out.zip`;
  const args = command.slice(1).map((a) => (a === 'run.zip' ? runPath : a === 'run-out.zip' ? outPath : a));
  args[args.indexOf('--steps') + 1] = '20';
  // torchrun is `python -m torch.distributed.run`: the same launcher, with the interpreter that has torch.
  const output = execFileSync(python, ['-m', 'torch.distributed.run', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  expect(output).toContain('2 processes × batch 1');
  expect(output).toContain(`wrote ${outPath} at step ${step + 20}`);

  await page.getByLabel('Import a run').setInputFiles(outPath);
  await page.waitForFunction((s) => window.__ganStudio?.training?.phase === 'paused' && window.__ganStudio.training.step === s, step + 20, { timeout: 60_000 });
  const imported = await hook(page);
  // The curves go on: every step before, then the 20 trained in PyTorch.
  expect(imported.chart?.lastStep).toBe(step + 20);
  expect(imported.chart?.points).toBe((before.chart?.points ?? 0) + 20);
  expect(imported.previews?.lastStep).toBe(step + 20);
  await page.screenshot({ path: testInfo.outputPath('imported.png'), fullPage: true });
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForStep(page, step + 22, 60_000);
  await page.waitForFunction((s) => (window.__ganStudio?.chart?.lastStep ?? 0) > s, step + 20);
});
