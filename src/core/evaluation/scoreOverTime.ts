import type { TrainingConfig } from '../config';
import { createGan } from '../gan/createGan';
import { ImageSet } from '../data/imageSet';
import { colourReferenceOf } from '../gan/colourReference';
import type { RgbaImage } from '../data/pixels';
import { UnpairedSampler } from '../data/unpairedSampler';
import { makeRng } from '../data/random';
import { scoreMapping } from './knownMapping';

/** Unpaired training sets and held-out inputs with what a perfect A→B generator makes of them. */
export interface ScoredTask {
  content: readonly RgbaImage[];
  style: readonly RgbaImage[];
  heldOut: readonly RgbaImage[];
  targets: readonly RgbaImage[];
}

export interface ScoreAt {
  /** Seconds of training (scoring time not counted). */
  seconds: number;
  steps: number;
  /** PSNR(G(x), f(x)) on the held-out inputs, and PSNR(x, f(x)): what doing nothing scores. */
  psnrGenerator: number;
  psnrIdentity: number;
}

/**
 * Trains the config's model on a task for as long as the last of `checkpoints` (seconds of
 * training), scoring the generator on the held-out inputs as each checkpoint passes.
 */
export async function scoreOverTime(config: TrainingConfig, task: ScoredTask, checkpoints: readonly number[]): Promise<ScoreAt[]> {
  const a = ImageSet.fromPixels(task.content, config.resolution, config.augment);
  const b = ImageSet.fromPixels(task.style, config.resolution, config.augment);
  const gan = createGan(config);
  gan.useColourReference(colourReferenceOf(a, b));
  const sampler = new UnpairedSampler(a, b, config.batchSize, makeRng(`${config.seed}:data`), config.augment);
  const scores: ScoreAt[] = [];
  let trainedMs = 0;
  try {
    for (const checkpoint of [...checkpoints].sort((x, y) => x - y)) {
      while (trainedMs < checkpoint * 1000) {
        const started = performance.now();
        const batch = sampler.next();
        await gan.step(batch.a, batch.b);
        batch.a.dispose();
        batch.b.dispose();
        trainedMs += performance.now() - started;
      }
      const score = scoreMapping(gan, task.heldOut, task.targets, config.resolution);
      scores.push({ seconds: trainedMs / 1000, steps: gan.stepCount, psnrGenerator: score.generator, psnrIdentity: score.identity });
    }
    return scores;
  } finally {
    gan.dispose();
    a.dispose();
    b.dispose();
  }
}
