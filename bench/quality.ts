/**
 * Does training learn, and which model learns more for the same time? CycleGAN and FastCUT each
 * train for the same wall-clock time on the synthetic known-mapping task (warm scenes ↔ the same
 * kind of scenes with red and blue swapped, unpaired and disjoint), then on held-out scenes:
 * PSNR of G(x) against the true mapping f(x), beside the do-nothing PSNR(x, f(x)), and SWD of
 * G(x) to the style set, beside SWD of x itself (lower is closer).
 * Then the demo tasks on real photos (the bundled photos through their filters) under the Quick
 * preset, CycleGAN and FastCUT, scored after 60, 180 and 300 s (see photoTasks.ts).
 *   npm run bench:quality [-- --seconds 180 --resolution 32 --until 300 --knownMapping 1 --photos 1 --tasks oil,grade --models fastcut]
 */
import { selectWasmBackend } from '../src/core/backends/nodeWasm';
import { makeConfig, type ModelKind } from '../src/core/config';
import { trainKnownMapping } from '../src/core/evaluation/knownMapping';
import { FILTER_NAMES, type FilterName } from '../src/core/demos/filters';
import { numberArgs } from './args';
import { benchPhotoTasks } from './photoTasks';

// Lists (--tasks, --models) are read here; every other option is a number.
const argv = process.argv.slice(2);
const list = (name: string, all: readonly string[]) => {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return all;
  const [value] = argv.splice(at, 2).slice(1);
  const chosen = (value ?? '').split(',');
  const unknown = chosen.filter((v) => !all.includes(v));
  if (unknown.length > 0) throw new Error(`Unknown ${name} ${unknown.join(', ')}; expected some of ${all.join(', ')}`);
  return chosen;
};
const tasks = list('tasks', FILTER_NAMES) as FilterName[];
const models = list('models', ['cyclegan', 'fastcut']) as ModelKind[];
process.argv.splice(2, process.argv.length, ...argv);
const args = numberArgs({ seconds: 180, resolution: 32, train: 48, test: 24, until: 300, knownMapping: 1, photos: 1 });
await selectWasmBackend();
if (args.knownMapping) await knownMapping();
if (args.photos) await benchPhotoTasks(tasks, models, [60, 180, 300].filter((s) => s < args.until).concat(args.until));

async function knownMapping() {
  console.log(`each model trains for ${args.seconds} s at ${args.resolution} px on ${args.train} + ${args.train} unpaired scenes (default networks, LSGAN), scored on ${args.test} held-out scenes`);
  console.log('| model | steps | ms/step | PSNR dB (identity) | SWD ×10³ (identity) |');
  console.log('|---|---|---|---|---|');
  const results: Record<string, { psnr: number; swd: number }> = {};
  for (const model of ['cyclegan', 'fastcut'] as ModelKind[]) {
    // The schedule assumes as many steps as this model will fit in the time (from a short trial).
    const trial = await trainKnownMapping(makeConfig({ model, resolution: args.resolution, discLayers: args.resolution >= 64 ? 3 : 2 }), { steps: 5 }, { train: 4, test: 4 });
    const expected = Math.max(2, Math.round((args.seconds / trial.seconds) * trial.steps));
    const config = makeConfig({ model, resolution: args.resolution, discLayers: args.resolution >= 64 ? 3 : 2, totalSteps: expected, decayStartStep: Math.floor(expected / 2) });
    const r = await trainKnownMapping(config, { seconds: args.seconds }, { train: args.train, test: args.test });
    results[model] = { psnr: r.psnrGenerator, swd: r.swdGenerator };
    console.log(`| ${model} | ${r.steps} | ${((r.seconds * 1000) / r.steps).toFixed(0)} | ${r.psnrGenerator.toFixed(2)} (${r.psnrIdentity.toFixed(2)}) | ${r.swdGenerator.toFixed(0)} (${r.swdIdentity.toFixed(0)}) |`);
  }
  console.log(
    `quality seconds=${args.seconds} cyclegan_psnr=${results.cyclegan.psnr.toFixed(2)} cyclegan_swd=${results.cyclegan.swd.toFixed(0)} fastcut_psnr=${results.fastcut.psnr.toFixed(2)} fastcut_swd=${results.fastcut.swd.toFixed(0)}`,
  );
}
