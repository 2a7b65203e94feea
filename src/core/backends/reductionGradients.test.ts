import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { valuesOn } from '../testing/backends';

/** d/dx of Σ reduce(x, axes)·w, by hand: w's entry for each x, divided by the count for a mean. */
function expected(shape: number[], axes: number[], w: Float32Array, mean: boolean): Float32Array {
  const strides = tf.util.computeStrides(shape);
  const kept = shape.map((size, i) => (axes.includes(i) ? 1 : size));
  const keptStrides = tf.util.computeStrides(kept);
  const count = axes.reduce((n, i) => n * shape[i], 1);
  const out = new Float32Array(tf.util.sizeFromShape(shape));
  for (let flat = 0; flat < out.length; flat++) {
    let at = 0;
    for (let d = 0, rest = flat; d < shape.length; d++) {
      const index = d < shape.length - 1 ? Math.floor(rest / strides[d]) : rest;
      if (d < shape.length - 1) rest -= index * strides[d];
      if (!axes.includes(d)) at += index * (d < kept.length - 1 ? keptStrides[d] : 1);
    }
    out[flat] = mean ? w[at] / count : w[at];
  }
  return out;
}

describe("Sum's and Mean's gradients", () => {
  it.each([
    [[2, 3, 4], [1], false],
    [[2, 3, 4], [0, 2], true],
    [[8, 5, 5, 3], [1, 2], true],
    [[4, 6], [-1], false],
    [[3, 2, 2], [0, 1, 2], false],
  ] as const)('of shape %j over axes %j (keepDims %s): dy spread over x, on cpu and wasm', async (shape, axes, keepDims) => {
    for (const backend of ['cpu', 'wasm'] as const) {
      for (const mean of [false, true]) {
        const [grad, w] = await valuesOn(backend, () => {
          const x = tf.randomNormal([...shape], 0, 1, 'float32', 1);
          const reduced = mean ? tf.mean(x, [...axes], keepDims) : tf.sum(x, [...axes], keepDims);
          const weights = tf.randomNormal(reduced.shape, 0, 1, 'float32', 2);
          const f = (t: tf.Tensor) => (mean ? tf.mean(t, [...axes], keepDims) : tf.sum(t, [...axes], keepDims)).mul(weights).sum();
          return [tf.grad(f)(x), weights];
        });
        const positive = axes.map((a) => (a < 0 ? a + shape.length : a));
        const want = expected([...shape], positive, w, mean);
        for (let i = 0; i < want.length; i++) expect(grad[i]).toBeCloseTo(want[i], 6);
      }
    }
  });

  it('makes no tensor of ones: the only kernel as large as x is the spread (and the Identity that saves x, a reference on wasm)', async () => {
    await valuesOn('wasm', () => []);
    const x = tf.randomNormal([8, 16, 16, 3]);
    const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.mean(t, [1, 2]).square().sum())(x));
    const full = profile.kernels.filter((k) => k.name !== 'Identity' && k.outputShapes.some((s) => s != null && tf.util.sizeFromShape(s as number[]) === x.size));
    expect(full.map((k) => k.name)).toEqual(['Tile']);
    tf.dispose([x, profile.result as tf.Tensor]);
  });
});
