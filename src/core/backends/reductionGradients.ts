import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs';

/**
 * The gradient of a reduction as dy spread back over the input's shape (divided by the number of
 * entries reduced, for a mean). tfjs's own Sum and Mean gradients multiply dy by a tensor of ones
 * that size, filled by a JavaScript loop and uploaded at every step: ~15 ms of a 64 px FastCUT
 * step in Chromium (~2 ms in Node), for the same values (x·1 = x). For every backend: gradients
 * are not per backend in tfjs.
 */
function spreadGradient(kernelName: 'Sum' | 'Mean', mean: boolean): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const grad = dy as tf.Tensor;
      const axes = tf.util.parseAxisParam((attrs as NamedAttrMap as unknown as { axis: number | number[] }).axis, x.shape);
      const count = mean ? axes.reduce((n, i) => n * x.shape[i], 1) : 1;
      const kept = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
      return { x: () => tf.broadcastTo(tf.reshape(count === 1 ? grad : tf.div(grad, count), kept), x.shape) };
    },
  };
}

export const sumGradient = spreadGradient('Sum', false);
export const meanGradient = spreadGradient('Mean', true);
