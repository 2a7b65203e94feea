import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeConfig, type ModelKind } from '../src/core/config';
import { buildDemos, type SampleManifest } from '../src/core/demos/demos';
import { FILTERS, type FilterName } from '../src/core/demos/filters';
import { scoreOverTime, type ScoredTask } from '../src/core/evaluation/scoreOverTime';
import { PRESETS } from '../src/ui/settings';
import { loadPhoto } from './photos';

/** The side the page decodes photos to (useStudioData's DECODE_MAX_SIDE). */
const DECODE_MAX_SIDE = 320;
const photosDir = fileURLToPath(new URL('../public/samples/photos/', import.meta.url));

/** A demo task as the page builds it: its photos decoded, the style and held-out ones through the filter. */
export function photoTask(id: FilterName): ScoredTask {
  const manifest = JSON.parse(readFileSync(new URL('../public/samples/manifest.json', import.meta.url), 'utf8')) as SampleManifest;
  const demo = buildDemos(manifest).find((d) => d.id === id);
  if (!demo) throw new Error(`no demo task called ${id}`);
  const load = (files: string[]) => files.map((f) => loadPhoto(photosDir + f, DECODE_MAX_SIDE));
  const heldOut = load(demo.heldOut);
  return { content: load(demo.content), style: load(demo.style).map(FILTERS[id].apply), heldOut, targets: heldOut.map(FILTERS[id].apply) };
}

/**
 * Each demo task and model under the Quick preset: PSNR of G against the filter on held-out photos
 * after each checkpoint's seconds of training, beside doing nothing; a table, then one line per
 * task and model at the last checkpoint.
 */
export async function benchPhotoTasks(tasks: readonly FilterName[], models: readonly ModelKind[], checkpoints: readonly number[]): Promise<void> {
  const quick = PRESETS[0];
  console.log(`\nreal photos, ${quick.label} preset (${quick.config.resolution} px), PSNR dB against the filter on held-out photos after ${checkpoints.join(' / ')} s of training (doing nothing in brackets)`);
  console.log(`| task | model | ${checkpoints.map((s) => `${s} s`).join(' | ')} | steps |`);
  console.log(`|---|---|${checkpoints.map(() => '---|').join('')}---|`);
  const lines: string[] = [];
  for (const id of tasks) {
    const task = photoTask(id);
    for (const model of models) {
      const scores = await scoreOverTime(makeConfig({ ...quick.config, model }), task, checkpoints);
      console.log(`| ${id} | ${model} | ${scores.map((s) => `${s.psnrGenerator.toFixed(2)} (${s.psnrIdentity.toFixed(2)})`).join(' | ')} | ${scores.at(-1)?.steps} |`);
      const last = scores[scores.length - 1];
      lines.push(`demo task=${id} model=${model} seconds=${Math.round(last.seconds)} steps=${last.steps} psnr_generator=${last.psnrGenerator.toFixed(2)} psnr_identity=${last.psnrIdentity.toFixed(2)}`);
    }
  }
  for (const line of lines) console.log(line);
}
