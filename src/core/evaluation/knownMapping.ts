import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config';
import { createGan } from '../gan/createGan';
import { lossRecord, type GanModel } from '../gan/ganModel';
import type { GpuDevice } from '../gpu/device';
import { EngineCycleGan } from '../gpu/engineCycleGan';
import { engineSupport } from '../gpu/support';
import { ImageSet } from '../data/imageSet';
import { colourReferenceOf } from '../gan/colourReference';
import type { RgbaImage } from '../data/pixels';
import type { ChartPoint } from '../training/lossHistory';
import { knownMappingTask } from '../data/syntheticScenes';
import { UnpairedSampler } from '../data/unpairedSampler';
import { psnr } from './psnr';
import { makeRng } from '../data/random';
import { SwdReference } from './swd';

export interface KnownMappingResult {
  /** PSNR(G(x), f(x)) on held-out scenes, dB. */
  psnrGenerator: number;
  /** PSNR(x, f(x)): what doing nothing scores, dB. */
  psnrIdentity: number;
  /** SWD ×10³ of G's held-out outputs to the style set (see SwdReference), and of the inputs themselves. */
  swdGenerator: number;
  swdIdentity: number;
  steps: number;
  seconds: number;
  /** totalG averaged over the first and the last tenth of training. */
  generatorLoss: { first: number; last: number };
  /** Every step's losses, as the page charts them. */
  history: ChartPoint[];
  /** The first few held-out scenes and their translations, as the page previews them. */
  samples: { input: RgbaImage; output: RgbaImage }[];
}

/** Held-out inputs and G's translations as pixels, like the page's previews. */
async function previewSamples(gan: GanModel, inputs: readonly RgbaImage[], resolution: number): Promise<{ input: RgbaImage; output: RgbaImage }[]> {
  const x = ImageSet.centredBatch(inputs, resolution);
  try {
    return await gan.translatePairs(x, 'AtoB');
  } finally {
    x.dispose();
  }
}

/** PSNR of G over held-out inputs against their known targets, and of the inputs themselves. */
export function scoreMapping(gan: GanModel, inputs: readonly RgbaImage[], targets: readonly RgbaImage[], resolution: number) {
  return tf.tidy(() => {
    const xs = ImageSet.centredBatch(inputs, resolution);
    const ys = ImageSet.centredBatch(targets, resolution);
    return {
      generator: psnr(gan.translate(xs, 'AtoB'), ys).dataSync()[0],
      identity: psnr(xs, ys).dataSync()[0],
    };
  });
}

/** SWD of G's translations of `inputs`, and of the inputs untouched, to the style set. */
async function swdScores(gan: GanModel, inputs: readonly RgbaImage[], style: readonly RgbaImage[], resolution: number, seed: number): Promise<{ generator: number; identity: number }> {
  const [x, y] = [ImageSet.centredBatch(inputs, resolution), ImageSet.centredBatch(style, resolution)];
  const reference = await SwdReference.of(y, `${seed}:swd`);
  const translated = gan.translate(x, 'AtoB');
  try {
    return { generator: (await reference.distance(translated)).mean, identity: (await reference.distance(x)).mean };
  } finally {
    reference.dispose();
    tf.dispose([x, y, translated]);
  }
}

/**
 * Trains the config's model on the synthetic known-mapping task (warm scenes → red/blue swapped
 * scenes, unpaired, disjoint) for `budget.steps` steps or until `budget.seconds` have passed,
 * whichever comes first, and scores it on held-out scenes.
 */
export async function trainKnownMapping(
  config: TrainingConfig,
  budget: { steps?: number; seconds?: number },
  counts = { train: 32, test: 16 },
  gpu: GpuDevice | null = null,
): Promise<KnownMappingResult> {
  const task = knownMappingTask(counts, Math.round(config.resolution * 1.25));
  const a = ImageSet.fromPixels(task.content, config.resolution, config.augment);
  const b = ImageSet.fromPixels(task.style, config.resolution, config.augment);
  // With a device, configs the WebGPU engine supports train there, as in the app.
  const gan = gpu && engineSupport(config).ok ? new EngineCycleGan(config, gpu) : createGan(config);
  gan.useColourReference(colourReferenceOf(a, b));
  const maxSteps = budget.steps ?? Infinity;
  const maxMs = (budget.seconds ?? Infinity) * 1000;
  const sampler = new UnpairedSampler(a, b, config.batchSize, makeRng(`${config.seed}:data`), config.augment);
  const history: ChartPoint[] = [];
  const started = performance.now();
  try {
    let steps = 0;
    for (; steps < maxSteps && performance.now() - started < maxMs; steps++) {
      const batch = sampler.next();
      const pending = gan.queueStep(batch.a, batch.b);
      batch.a.dispose();
      batch.b.dispose();
      const losses = lossRecord(await pending);
      history.push({ step: steps + 1, ...losses });
    }
    const seconds = (performance.now() - started) / 1000;
    await gan.syncNetworks();
    const score = scoreMapping(gan, task.heldOut, task.target, config.resolution);
    const swd = await swdScores(gan, task.heldOut, task.style, config.resolution, config.seed);
    const totals = history.map((p) => p.totalG);
    const tenth = Math.max(1, Math.floor(steps / 10));
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    return {
      psnrGenerator: score.generator,
      psnrIdentity: score.identity,
      swdGenerator: swd.generator,
      swdIdentity: swd.identity,
      steps,
      seconds,
      generatorLoss: { first: mean(totals.slice(0, tenth)), last: mean(totals.slice(-tenth)) },
      history,
      samples: await previewSamples(gan, task.heldOut.slice(0, 3), config.resolution),
    };
  } finally {
    gan.dispose();
    a.dispose();
    b.dispose();
  }
}
