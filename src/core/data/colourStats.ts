import * as tf from '@tensorflow/tfjs';

/**
 * Colour statistics of a batch, per image then averaged over the images: each channel's mean,
 * log spread, and sharpness — the log of its detail's spread (the image minus its 3×3 average)
 * over its own spread, so that contrast alone does not change it. Nine numbers that tell a
 * global grade of tone, colour and sharpness.
 */
export function colourStats(x: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => {
    const logSpread = (t: tf.Tensor4D) => tf.moments(t, [1, 2]).variance.add(1e-4).log().mul(0.5);
    const spread = logSpread(x);
    const sharpness = logSpread(x.sub(tf.avgPool(x, 3, 1, 'same')) as tf.Tensor4D).sub(spread);
    return tf.concat([tf.moments(x, [1, 2]).mean, spread, sharpness], 1).mean(0) as tf.Tensor1D;
  });
}
