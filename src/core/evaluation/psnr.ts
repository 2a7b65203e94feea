import * as tf from '@tensorflow/tfjs';

/**
 * Peak signal-to-noise ratio in dB between two images or batches in [-1, 1], measured on the
 * [0, 1] scale over all pixels together. Identical inputs give +Infinity.
 */
export function psnr(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const mse = tf.squaredDifference(a, b).mean().div(4);
    return tf.log(tf.div(1, mse)).mul(10 / Math.LN10) as tf.Scalar;
  });
}
