import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { relativeError, valuesOn } from '../testing/backends';

describe('UnsortedSegmentSum on wasm', () => {
  it('sums rows into their segments as the cpu backend does, dropping ids out of range', async () => {
    const run = () => [tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5, 2]), tf.tensor1d([2, 0, 2, -1, 7], 'int32'), 4)];
    const [expected] = await valuesOn('cpu', run);
    const [got] = await valuesOn('wasm', run);
    expect(Array.from(got)).toEqual(Array.from(expected));
    expect(Array.from(got)).toEqual([3, 4, 0, 0, 6, 8, 0, 0]);
  });

  it('makes gather train on wasm: the gradient of a gather along axis 1 with repeated ids matches cpu', async () => {
    const run = () => {
      const x = tf.randomNormal([2, 30, 5], 0, 1, 'float32', 3);
      const ids = tf.tensor1d([4, 17, 4, 29, 0, 17], 'int32');
      const w = tf.randomNormal([2, 6, 5], 0, 1, 'float32', 4);
      return [tf.grad((t: tf.Tensor) => tf.gather(t, ids, 1).mul(w).sum())(x)];
    };
    const [expected] = await valuesOn('cpu', run);
    const [got] = await valuesOn('wasm', run);
    expect(relativeError(got, expected)).toBeLessThan(1e-6);
  });
});
