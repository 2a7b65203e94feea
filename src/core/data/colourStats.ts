import * as tf from '@tensorflow/tfjs';
import { localMean } from '../networks/layers';

/**
 * The kernels a backend may register for colourMoments (wasm does, backends/wasmColourMoments.ts):
 * x [n, h, w, 3] → [n, 3, 4], and its gradient from x, those moments and dy.
 */
export const COLOUR_MOMENTS_KERNELS = { forward: 'GanStudioColourMoments', backward: 'GanStudioColourMomentsGrad' };

const EPS = 1e-4;

/**
 * Per image and channel, the mean and variance of x and of its detail (x minus its 3×3 average
 * over the pixels inside the image): [n, c] each. One kernel where the backend has it, for RGB;
 * otherwise composed from tfjs ops, with GlobalGrade's local mean.
 */
function colourMoments(x: tf.Tensor4D): { mean: tf.Tensor2D; variance: tf.Tensor2D; detailVariance: tf.Tensor2D } {
  if (x.shape[3] === 3 && tf.getKernel(COLOUR_MOMENTS_KERNELS.forward, tf.getBackend())) {
    const moments = tf.engine().runKernel(COLOUR_MOMENTS_KERNELS.forward, { x }, {}) as tf.Tensor3D;
    const [mean, variance, , detailVariance] = tf.unstack(moments, 2) as tf.Tensor2D[];
    return { mean, variance, detailVariance };
  }
  const { mean, variance } = tf.moments(x, [1, 2]);
  const detailVariance = tf.moments(x.sub(localMean(x)), [1, 2]).variance;
  return { mean: mean as tf.Tensor2D, variance: variance as tf.Tensor2D, detailVariance: detailVariance as tf.Tensor2D };
}

/**
 * Colour statistics of a batch, per image then averaged over the images: each channel's mean,
 * log spread, and sharpness — the log of its detail's spread (the image minus its 3×3 average)
 * over its own spread, so that contrast alone does not change it. Nine numbers that tell a
 * global grade of tone, colour and sharpness.
 */
export function colourStats(x: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => {
    const { mean, variance, detailVariance } = colourMoments(x);
    const spread = variance.add(EPS).log().mul(0.5);
    const sharpness = detailVariance.add(EPS).log().mul(0.5).sub(spread);
    return tf.concat([mean, spread, sharpness], 1).mean(0) as tf.Tensor1D;
  });
}
