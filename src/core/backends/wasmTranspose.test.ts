import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { valuesOn } from '../testing/backends';
import { HeapThreads, type HeapCall } from './simd/heapHelpers';
import { asBlockSwap } from './wasmTranspose';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('asBlockSwap', () => {
  it.each([
    [[1, 130, 130, 32], [0, 3, 1, 2], { batch: 1, rows: 16900, cols: 32 }],
    [[2, 34, 34, 64], [0, 3, 1, 2], { batch: 2, rows: 1156, cols: 64 }],
    [[1024, 128], [1, 0], { batch: 1, rows: 1024, cols: 128 }],
    [[3, 3, 64, 32], [0, 1, 3, 2], { batch: 9, rows: 64, cols: 32 }],
    [[2, 3, 5, 7], [2, 3, 0, 1], { batch: 1, rows: 6, cols: 35 }],
    [[4, 1, 6, 5], [0, 3, 1, 2], { batch: 4, rows: 6, cols: 5 }],
  ])('%j by %j swaps two blocks: %j', (shape, perm, swap) => {
    expect(asBlockSwap(shape, perm)).toEqual(swap);
  });

  it.each([
    [[2, 130, 130, 32], [3, 1, 2, 0]],
    [[2, 128, 128, 16], [1, 2, 0, 3]],
    [[2, 3, 4], [0, 1, 2]],
    [[5, 1, 1], [0, 2, 1]],
    [[2, 3, 4], [1, 0, 2]],
  ])('%j by %j is no swap of two trailing blocks', (shape, perm) => {
    expect(asBlockSwap(shape, perm)).toBeNull();
  });
});

describe('Transpose on wasm', () => {
  it.each([
    [[1, 130, 130, 32], [0, 3, 1, 2], 'in chunks'],
    [[1024, 128], [1, 0], 'in chunks'],
    [[2, 34, 34, 64], [0, 3, 1, 2], 'in chunks'],
    [[3, 3, 64, 32], [0, 1, 3, 2], 'in one call'],
    // Sizes that leave rows and columns outside the 4×4 blocks and the 64-column panels.
    [[7, 5], [1, 0], 'in one call'],
    [[3, 9, 11, 66], [0, 3, 1, 2], 'in one call'],
    [[2, 3, 5, 7], [2, 3, 0, 1], 'in one call'],
    [[4, 1, 6, 5], [0, 3, 1, 2], 'in one call'],
    [[131, 70], [1, 0], 'in one call'],
    // Not a block swap.
    [[2, 13, 13, 8], [3, 1, 2, 0], 'by tfjs'],
    [[2, 3, 4], [1, 0, 2], 'by tfjs'],
  ] as const)('of %j by %j: the same values as cpu, float32 and int32, %s', async (shape, perm, how) => {
    const transposes = () => {
      const x = tf.range(0, tf.util.sizeFromShape([...shape])).reshape([...shape]);
      return [tf.transpose(x, [...perm]), tf.transpose(x.toInt(), [...perm]).toFloat()];
    };
    const [ref, refInt] = await valuesOn('cpu', transposes);
    const runAll = vi.spyOn(HeapThreads.prototype, 'runAll');
    const [got, gotInt] = await valuesOn('wasm', transposes);
    expect(Array.from(got)).toEqual(Array.from(ref));
    expect(Array.from(gotInt)).toEqual(Array.from(refInt));
    const chunks = runAll.mock.calls.filter(([calls]) => (calls[0] as HeapCall)[0] === 'transpose').map(([calls]) => calls.length);
    // Each transpose above ran once per dtype.
    expect(chunks).toEqual({ 'in chunks': [chunks[0], chunks[0]], 'in one call': [1, 1], 'by tfjs': [] }[how]);
    if (how === 'in chunks') expect(chunks[0]).toBeGreaterThan(1);
  });

  it('gives a matmul’s transposed gradients, and leaves no tensors behind', async () => {
    const grads = () => {
      const a = tf.randomNormal([37, 70], 0, 1, 'float32', 1);
      const b = tf.randomNormal([70, 45], 0, 1, 'float32', 2);
      return tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D).square().sum())([a, b]);
    };
    const ref = await valuesOn('cpu', grads);
    const got = await valuesOn('wasm', grads);
    got.forEach((values, i) => values.forEach((v, k) => expect(v).toBeCloseTo(ref[i][k], 2)));
    const x = tf.randomNormal([64, 48]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) tf.transpose(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
