/**
 * The WebGPU engine against tfjs-webgpu on whatever adapter Dawn finds (SwiftShader here, a real
 * GPU elsewhere): ms per training step of the default CycleGAN and FastCUT at each size, with
 * the engine's dispatches and CPU encoding time per step, then the paper-size CycleGAN at 256 px
 * (engine only) with the GPU memory it holds, and a check that the engine's losses match
 * tfjs-webgpu's from the same state on this adapter.
 * `--profile N` also times each kernel of the default CycleGAN step at N px alone, by kind;
 * `--profilePaper 1` the paper-size one's. `--knownMapping N` trains the known-mapping task on the
 * engine with the config and seed of knownMapping.test.ts (which trains it on wasm) for N steps.
 *   npm run bench:gpu [-- --sizes 64,128,256 --timed 20 --tfjsTimed 3 --paper 1 --profile 0]
 */
import './gpuSetup';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { DEFAULT_CONFIG, makeConfig, type ModelKind, type TrainingConfig } from '../src/core/config';
import { randomColourReference } from '../src/core/gan/colourReference';
import { createGan } from '../src/core/gan/createGan';
import { CycleGan } from '../src/core/gan/cycleGan';
import { makeRng } from '../src/core/data/random';
import { LOSS_NAMES } from '../src/core/gan/state';
import { openGpuDevice } from '../src/core/gpu/device';
import { cycleGanEngineFrom, engineColourReference } from '../src/core/gpu/fromTfjs';
import { engineSupport } from '../src/core/gpu/support';
import { trainKnownMapping } from '../src/core/evaluation/knownMapping';
import { median, numberArgs } from './args';
import { profilePlan } from './gpuProfile';

// --sizes is a list; numberArgs reads the rest.
const sizesAt = process.argv.indexOf('--sizes');
const sizes = sizesAt >= 0 ? process.argv.splice(sizesAt, 2)[1].split(',').map(Number) : [64, 128, 256];
const args = numberArgs({ timed: 20, warmup: 3, tfjsTimed: 3, tfjsWarmup: 2, paper: 1, profile: 0, profilePaper: 0, knownMapping: 0 });

await tf.setBackend('webgpu');
await tf.ready();
const gpu = await openGpuDevice(navigator.gpu);
console.log(`adapter=${gpu.adapter} sizes=${sizes.join(',')}`);

function batch(px: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([1, px, px, 3], -1, 1, 'float32', seed) as tf.Tensor4D;
}

async function tfjsMs(config: TrainingConfig): Promise<number> {
  const gan = createGan(config);
  gan.useColourReference(randomColourReference(config.resolution));
  const [a, b] = [batch(config.resolution, 1), batch(config.resolution, 2)];
  for (let i = 0; i < args.tfjsWarmup; i++) await gan.step(a, b);
  const t0 = performance.now();
  for (let i = 0; i < args.tfjsTimed; i++) await gan.step(a, b);
  const ms = (performance.now() - t0) / args.tfjsTimed;
  gan.dispose();
  tf.dispose([a, b]);
  return ms;
}

/** The engine as the trainer drives it: up to two steps in flight, losses read as they land. */
async function engineRun(config: TrainingConfig, profile = false): Promise<{ ms: number; encodeMs: number; dispatches: number; peakMb: number }> {
  const model = new CycleGan(config);
  const reference = randomColourReference(config.resolution);
  const engine = cycleGanEngineFrom(gpu, config, await model.getState(), makeRng('pool'));
  engine.useColourReference(await engineColourReference(reference));
  const [a, b] = await Promise.all([batch(config.resolution, 1), batch(config.resolution, 2)].map(async (t) => Float32Array.from(await t.data())));
  const pending: Promise<Float32Array>[] = [];
  const encodes: number[] = [];
  const run = async (steps: number) => {
    for (let i = 0; i < steps; i++) {
      pending.push(engine.step(a, b));
      encodes.push(engine.lastEncodeMs);
      if (pending.length > 2) await pending.shift();
    }
    while (pending.length) await pending.shift();
  };
  await run(args.warmup);
  encodes.length = 0;
  const t0 = performance.now();
  await run(args.timed);
  const ms = (performance.now() - t0) / args.timed;
  const result = { ms, encodeMs: median(encodes), dispatches: engine.dispatches, peakMb: gpu.liveBytes / 2 ** 20 };
  if (profile) console.log(`gpu profile px=${config.resolution} (each kernel alone, with a submit and wait each)\n${await profilePlan(gpu, engine.compiled)}`);
  engine.dispose();
  model.dispose();
  reference.content.dispose();
  tf.dispose([reference.style, reference.contentStats, reference.styleStats]);
  return result;
}

/** Losses of two steps from one state, engine against tfjs-webgpu: the largest relative difference. */
async function lossCheck(px: number): Promise<number> {
  const config = makeConfig({ resolution: px });
  const model = new CycleGan(config);
  const reference = randomColourReference(px);
  const engine = cycleGanEngineFrom(gpu, config, await model.getState(), makeRng(`${config.seed}:pool`));
  engine.useColourReference(await engineColourReference(reference));
  model.useColourReference(reference);
  let worst = 0;
  for (let s = 0; s < 2; s++) {
    const [ta, tb] = [batch(px, 10 + s), batch(px, 20 + s)];
    const [a, b] = await Promise.all([ta, tb].map(async (t) => Float32Array.from(await t.data())));
    const expected = await model.step(ta, tb);
    const got = await engine.step(a, b);
    LOSS_NAMES.forEach((name, i) => (worst = Math.max(worst, Math.abs(got[i] - expected[name]) / Math.max(1, Math.abs(expected[name])))));
    tf.dispose([ta, tb]);
  }
  engine.dispose();
  model.dispose();
  return worst;
}

const vendor = gpu.adapter;
console.log(`gpu check px=${sizes[0]} max_loss_diff=${(await lossCheck(sizes[0])).toExponential(2)} adapter=${vendor}`);
for (const px of sizes) {
  for (const model of ['cyclegan', 'fastcut'] as ModelKind[]) {
    const config = makeConfig({ model, resolution: px });
    const tfjs = args.tfjsTimed > 0 ? (await tfjsMs(config)).toFixed(1) : 'skipped';
    const support = engineSupport(config);
    if (!support.ok) {
      console.log(`gpu engine model=${model} px=${px} ms=n/a tfjs_ms=${tfjs} dispatches=n/a encode_ms=n/a adapter=${vendor} fallback="${support.reason}"`);
      continue;
    }
    const e = await engineRun(config);
    console.log(`gpu engine model=${model} px=${px} ms=${e.ms.toFixed(1)} tfjs_ms=${tfjs} dispatches=${e.dispatches} encode_ms=${e.encodeMs.toFixed(2)} adapter=${vendor} gpu_mb=${e.peakMb.toFixed(0)}`);
  }
}
if (args.knownMapping) {
  const steps = args.knownMapping;
  const config = makeConfig({ resolution: 32, genFilters: 8, genResBlocks: 1, discFilters: 8, discLayers: 2, learningRateG: 1e-3, learningRateD: 1e-3, totalSteps: steps, decayStartStep: steps / 2, poolSize: 10, seed: 7 });
  {
    // tfjs (batches, scores) on cpu: tfjs-webgpu's synchronous reads need OffscreenCanvas, which Node lacks.
    await tf.setBackend('cpu');
    const r = await trainKnownMapping(config, { steps }, undefined, gpu);
    await tf.setBackend('webgpu');
    console.log(`gpu known-mapping on=engine steps=${r.steps} seconds=${r.seconds.toFixed(0)} psnr_db=${r.psnrGenerator.toFixed(2)} identity_db=${r.psnrIdentity.toFixed(2)} swd=${r.swdGenerator.toFixed(0)} identity_swd=${r.swdIdentity.toFixed(0)} adapter=${vendor}`);
  }
}
if (args.profile) await engineRun(makeConfig({ resolution: args.profile }), true);
if (args.paper) {
  const paper = makeConfig({ resolution: 256, genFilters: 64, genResBlocks: 9, discFilters: 64 });
  const e = await engineRun(paper, args.profilePaper === 1);
  console.log(`gpu engine model=cyclegan-paper-size px=256 ms=${e.ms.toFixed(1)} dispatches=${e.dispatches} encode_ms=${e.encodeMs.toFixed(2)} adapter=${vendor} gpu_mb=${e.peakMb.toFixed(0)}`);
}
console.log(`defaults: genFilters=${DEFAULT_CONFIG.genFilters} resBlocks=${DEFAULT_CONFIG.genResBlocks} discFilters=${DEFAULT_CONFIG.discFilters} generatorStart=${DEFAULT_CONFIG.generatorStart} lambdaColour=${DEFAULT_CONFIG.lambdaColour}`);
process.exit(0);
