import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { discriminatorLoss, generatorAdversarialLoss, l1 } from './losses';

const softplus = (z: number) => Math.log(1 + Math.exp(z));
const mean = (...v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('adversarial losses on fixed logits', () => {
  // Two patch logits each: real = [2, -1], fake = [0.5, -2].
  const real = () => tf.tensor2d([[2], [-1]]);
  const fake = () => tf.tensor2d([[0.5], [-2]]);
  const value = (t: tf.Scalar) => t.dataSync()[0];

  it('bce: cross-entropy for D, non-saturating -log σ(fake) for G', () => {
    // -log σ(z) = softplus(-z); -log(1 - σ(z)) = softplus(z).
    expect(value(discriminatorLoss('bce', real(), fake()))).toBeCloseTo(mean(softplus(-2), softplus(1)) + mean(softplus(0.5), softplus(-2)), 5);
    expect(value(generatorAdversarialLoss('bce', fake()))).toBeCloseTo(mean(softplus(-0.5), softplus(2)), 5);
  });

  it('lsgan: squared distance to 1 for real and to 0 for fake', () => {
    expect(value(discriminatorLoss('lsgan', real(), fake()))).toBeCloseTo(mean(1, 4) + mean(0.25, 4), 6);
    expect(value(generatorAdversarialLoss('lsgan', fake()))).toBeCloseTo(mean(0.25, 9), 6);
  });

  it('hinge: margins of 1, generator maximises the fake logit', () => {
    expect(value(discriminatorLoss('hinge', real(), fake()))).toBeCloseTo(mean(0, 2) + mean(1.5, 0), 6);
    expect(value(generatorAdversarialLoss('hinge', fake()))).toBeCloseTo(0.75, 6);
  });

  it('a perfect discriminator is rewarded by every loss', () => {
    for (const kind of ['bce', 'lsgan', 'hinge'] as const) {
      const confident = value(discriminatorLoss(kind, tf.fill([4], 5), tf.fill([4], -5)));
      const fooled = value(discriminatorLoss(kind, tf.fill([4], -5), tf.fill([4], 5)));
      expect(confident).toBeLessThan(fooled);
    }
  });
});

describe('l1', () => {
  it('is the mean absolute difference', () => {
    expect(l1(tf.tensor1d([1, 2, -3]), tf.tensor1d([0, 4, -3])).dataSync()[0]).toBeCloseTo(1, 6);
  });
});
