// Runs the scale package's tests (scale/tests): PyTorch on the CPU, against fixtures the
// TypeScript core writes first. Debian's python3-torch is installed where this machine can
// (root with apt-get), as ensure-chromium.js installs Chromium; PYTHON picks another interpreter
// that has torch. Ends with the tests' own `N passed, N failed` line.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall } from './aptInstall.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const python = process.env.PYTHON ?? '/usr/bin/python3';
const hasTorch = () => existsSync(python) && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

if (!hasTorch()) {
  aptInstall({
    need: `The scale tests need PyTorch for ${python}, the Debian package`,
    packages: ['python3-torch'],
    advice: ', or set PYTHON to an interpreter that has torch',
    canInstall: !process.env.PYTHON,
    minutes: 'about two minutes',
  });
}

const fixtures = mkdtempSync(join(tmpdir(), 'scale-fixtures-'));
try {
  const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
  execFileSync(process.execPath, [tsx, 'scale/fixtures/parity.ts', fixtures], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [tsx, 'scale/fixtures/steps.ts', join(fixtures, 'steps')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const run = spawnSync(python, ['-m', 'scale.tests.run'], { cwd: root, stdio: 'inherit', env: { ...process.env, SCALE_FIXTURES: fixtures } });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(fixtures, { recursive: true, force: true });
}
