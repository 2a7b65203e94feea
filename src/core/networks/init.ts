import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../data/random';

/** CycleGAN's weight initialisation N(0, 0.02), seeded from the run's random stream. */
export function normalInit(rng: Rng): ReturnType<typeof tf.initializers.randomNormal> {
  return tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: rng.seed() });
}
