/**
 * The PyTorch package (scale/) on this machine's CPU: steps/s and images/s of the default
 * CycleGAN and FastCUT at 64 px (batch 1 per process), in one process (PyTorch's own threads) and
 * under torchrun with 2 processes (one thread each), from a run file the TypeScript core writes;
 * then the same for the step ../shared/gpu/torch_ref.py times, to set beside it.
 * Ends with one `scale model=… px=… one_process_images_per_s=… two_processes_images_per_s=… gain=…`
 * line per model.
 *   npm run bench:scale [-- --steps 60 --resolution 64]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectWasmBackend } from '../src/core/backends/nodeWasm';
import { makeConfig, type ModelKind, type TrainingConfig } from '../src/core/config';
import { createGan } from '../src/core/gan/createGan';
import { fixtureRunZip } from '../scale/fixtures/fixtureRun';
import { numberArgs } from './args';
import { AS_TORCH_REF } from './torchRef';

const args = numberArgs({ steps: 60, resolution: 64 });
const root = fileURLToPath(new URL('..', import.meta.url));
const python = process.env.PYTHON ?? '/usr/bin/python3';
await selectWasmBackend();
const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));

/** Images per second from scale.train's last line. */
function imagesPerSecond(output: string): number {
  const found = /([\d.]+) images\/s/.exec(output);
  if (!found) throw new Error(`scale.train printed no images/s:\n${output}`);
  return Number(found[1]);
}

console.log(`${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${args.steps} steps per run, timed from the first (startup excluded)`);
try {
  // The defaults, and the step ../shared/gpu/torch_ref.py takes, for comparing with it on the same machine.
  const setups: { name: string; model: ModelKind; overrides: Partial<TrainingConfig> }[] = [
    { name: 'cyclegan', model: 'cyclegan', overrides: {} },
    { name: 'fastcut', model: 'fastcut', overrides: {} },
    { name: 'cyclegan-as-torch-ref', model: 'cyclegan', overrides: AS_TORCH_REF },
  ];
  for (const { name: model, model: kind, overrides } of setups) {
    const config = makeConfig({ model: kind, resolution: args.resolution, ...overrides });
    const gan = createGan(config);
    const run = join(dir, `${model}.zip`);
    writeFileSync(run, fixtureRunZip(`bench ${model}`, config, await gan.getState(), 12, 96));
    gan.dispose();
    const train = ['-m', 'scale.train', run, '--out', join(dir, 'out.zip'), '--steps', String(args.steps)];
    const one = imagesPerSecond(execFileSync(python, train, { cwd: root, encoding: 'utf8' }));
    const two = imagesPerSecond(execFileSync(python, ['-m', 'torch.distributed.run', '--redirects', '1', '--tee', '1', '--nproc_per_node=2', ...train], { cwd: root, encoding: 'utf8' }));
    console.log(`  ${model} ${args.resolution} px: one process ${one.toFixed(2)} images/s (${(1000 / one).toFixed(0)} ms per step), two processes ${two.toFixed(2)} images/s (${(2000 / two).toFixed(0)} ms per step of 2 images)`);
    console.log(`scale model=${model} px=${args.resolution} one_process_images_per_s=${one.toFixed(2)} two_processes_images_per_s=${two.toFixed(2)} gain=${(two / one).toFixed(2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
