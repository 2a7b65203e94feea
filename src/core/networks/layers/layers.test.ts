import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClipRange, GlobalGrade, InstanceNorm, reflectionPad, registerCustomLayers } from '.';

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

describe('GlobalGrade', () => {
  const photo = () => tf.randomUniform([2, 8, 6, 3], -1, 1, 'float32', 11) as tf.Tensor4D;

  it('starts as the identity', () => {
    const x = photo();
    const y = new GlobalGrade().apply(x) as tf.Tensor;
    expect(tf.max(tf.abs(y.sub(x))).dataSync()[0]).toBeLessThan(1e-6);
  });

  it('applies detail gain, tone curves, gain, offset and mix as written, `rate` times its stored gain, detail and offset', () => {
    const layer = new GlobalGrade({ knots: 3, rate: 10 });
    const x = photo();
    layer.apply(x);
    // Knots at -1, 0, 1: lift the middle of the red curve by 0.2; double green's gain; offset blue by 0.1;
    // sharpen red by 0.5; mix 0.1 of red into green.
    const curves = tf.tensor2d([[0, 0.2, 0], [0, 0, 0], [0, 0, 0]]);
    const mix = tf.tensor2d([[0, 0.1, 0], [0, 0, 0], [0, 0, 0]]);
    layer.setWeights([tf.tensor1d([0.05, 0, 0]), curves, tf.tensor1d([0, 0.1, 0]), tf.tensor1d([0, 0, 0.01]), mix]);
    const y = layer.apply(x) as tf.Tensor4D;
    const [r, g, b] = tf.split(x, 3, 3);
    const sharpR = r.add(r.sub(tf.avgPool(r as tf.Tensor4D, 3, 1, 'same')).mul(0.5));
    const curvedR = sharpR.add(tf.relu(tf.sub(1, sharpR.abs())).mul(0.2));
    const expected = tf.concat([curvedR, g.mul(2).add(curvedR.mul(0.1)), b.add(0.1)], 3);
    expect(tf.max(tf.abs(y.sub(expected))).dataSync()[0]).toBeLessThan(1e-5);
    expect(layer.getConfig()).toMatchObject({ knots: 3, rate: 10 });
  });

  it('passes a gradient to every weight', () => {
    const layer = new GlobalGrade();
    const x = photo();
    layer.apply(x);
    const target = tf.randomUniform(x.shape, -1, 1, 'float32', 12);
    const { grads } = tf.variableGrads(() => (layer.apply(x) as tf.Tensor).sub(target).square().mean() as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
    for (const grad of Object.values(grads)) expect(tf.max(tf.abs(grad)).dataSync()[0]).toBeGreaterThan(0);
  });
});

describe('ClipRange', () => {
  it('clips to the pixel range', () => {
    const y = new ClipRange().apply(tf.tensor4d([-3, -1, 0.5, 2], [1, 1, 4, 1])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([-1, -1, 0.5, 1]);
  });
});
