import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { InstanceNorm, reflectionPad, registerCustomLayers } from '.';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
});

describe('reflectionPad', () => {
  it('mirrors without repeating the edge', () => {
    // The middle row of a padded 3×3 image shows the W axis.
    const img = tf.tensor4d([0, 0, 0, 1, 2, 3, 0, 0, 0], [1, 3, 3, 1]);
    const padded = reflectionPad(img, 2);
    expect(padded.shape).toEqual([1, 7, 7, 1]);
    expect(Array.from(padded.slice([0, 3, 0, 0], [1, 1, 7, 1]).dataSync())).toEqual([3, 2, 1, 2, 3, 2, 1]);
  });

  it('sends the gradient of every mirrored copy back to its source pixel', () => {
    // 1-D view along W: x = [a, b, c], pad 1 → [b, a, b, c, b]; d/dx Σ wᵢ·padᵢ = [w1, w0+w2+w4, w3].
    const x = tf.tensor4d([5, 6, 7, 5, 6, 7, 5, 6, 7], [1, 3, 3, 1]);
    const weights = tf.tensor4d(Array.from({ length: 25 }, (_, i) => i + 1), [1, 5, 5, 1]);
    const dx = tf.grad((t: tf.Tensor) => reflectionPad(t as tf.Tensor4D, 1).mul(weights).sum())(x);
    // Expected by folding rows and columns of the weight grid (r/c 0 and 4 fold onto index 1).
    const w = (r: number, c: number) => r * 5 + c + 1;
    const fold = (i: number) => (i === 0 ? [1] : i === 1 ? [0, 2, 4] : [3]);
    const expected: number[] = [];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (const pr of fold(r)) for (const pc of fold(c)) sum += w(pr, pc);
        expected.push(sum);
      }
    }
    expect(Array.from(dx.dataSync())).toEqual(expected);
  });

  it('matches a numerical gradient with wider padding', () => {
    const x = tf.randomNormal([1, 5, 4, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
    const w = tf.randomNormal([1, 9, 8, 2], 0, 1, 'float32', 8);
    const f = (t: tf.Tensor) => reflectionPad(t as tf.Tensor4D, 2).mul(w).sum();
    const analytic = tf.grad(f)(x).dataSync();
    const base = x.dataSync();
    const eps = 1e-2;
    for (let i = 0; i < base.length; i += 3) {
      const bump = (d: number) => {
        const v = Float32Array.from(base);
        v[i] += d;
        return f(tf.tensor4d(v, x.shape)).dataSync()[0];
      };
      expect(analytic[i]).toBeCloseTo((bump(eps) - bump(-eps)) / (2 * eps), 1);
    }
  });
});

describe('InstanceNorm', () => {
  it('normalises each image and channel over its own pixels', () => {
    const layer = new InstanceNorm({ affine: false });
    const x = tf.randomNormal([3, 6, 5, 4], 3, 2, 'float32', 9);
    const y = layer.apply(x) as tf.Tensor;
    const { mean, variance } = tf.moments(y, [1, 2]);
    for (const m of mean.dataSync()) expect(m).toBeCloseTo(0, 4);
    for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 3);
  });

  it('scales and shifts per channel when affine, and round-trips its config', () => {
    const layer = new InstanceNorm({ epsilon: 1e-3, name: 'norm_x' });
    const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 10);
    layer.apply(x);
    layer.setWeights([tf.tensor1d([2, 3]), tf.tensor1d([1, -1])]);
    const y = layer.apply(x) as tf.Tensor;
    const { mean } = tf.moments(y, [0, 1, 2]);
    expect(Array.from(mean.dataSync()).map((m) => Math.round(m * 1e4) / 1e4)).toEqual([1, -1]);
    const config = layer.getConfig();
    expect(config).toMatchObject({ epsilon: 1e-3, affine: true, name: 'norm_x' });
  });
});
