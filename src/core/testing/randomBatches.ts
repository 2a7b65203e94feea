import * as tf from '@tensorflow/tfjs';

/** Seeded noise batches in [-1, 1] standing in for domains A and B, for tests of training steps. */
export function randomBatches(seed: number, n = 1, side = 32): { a: tf.Tensor4D; b: tf.Tensor4D } {
  return {
    a: tf.randomUniform([n, side, side, 3], -1, 1, 'float32', seed) as tf.Tensor4D,
    b: tf.randomUniform([n, side, side, 3], -1, 1, 'float32', seed + 1) as tf.Tensor4D,
  };
}
