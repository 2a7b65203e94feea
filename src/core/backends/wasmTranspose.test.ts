import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { valuesOn } from '../testing/backends';
import type { WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';
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
    [[1, 130, 130, 32], [0, 3, 1, 2], 'ours'],
    [[1024, 128], [1, 0], 'ours'],
    [[2, 34, 34, 64], [0, 3, 1, 2], 'ours'],
    [[3, 3, 64, 32], [0, 1, 3, 2], 'ours'],
    // Sizes that leave rows and columns outside the 4×4 blocks and the 64-column panels.
    [[7, 5], [1, 0], 'ours'],
    [[3, 9, 11, 66], [0, 3, 1, 2], 'ours'],
    [[2, 3, 5, 7], [2, 3, 0, 1], 'ours'],
    [[4, 1, 6, 5], [0, 3, 1, 2], 'ours'],
    [[131, 70], [1, 0], 'ours'],
    // Not a block swap.
    [[2, 13, 13, 8], [3, 1, 2, 0], 'tfjs’s'],
    [[2, 3, 4], [1, 0, 2], 'tfjs’s'],
  ] as const)('of %j by %j: the same values as cpu, float32 and int32, by %s kernel', async (shape, perm, whose) => {
    const transposes = () => {
      const x = tf.range(0, tf.util.sizeFromShape([...shape])).reshape([...shape]);
      return [tf.transpose(x, [...perm]), tf.transpose(x.toInt(), [...perm]).toFloat()];
    };
    const [ref, refInt] = await valuesOn('cpu', transposes);
    await valuesOn('wasm', () => []);
    const ours = vi.spyOn(heapKernelsOf((tf.backend() as unknown as WasmHeap).wasm), 'transpose');
    const [got, gotInt] = await valuesOn('wasm', transposes);
    expect(Array.from(got)).toEqual(Array.from(ref));
    expect(Array.from(gotInt)).toEqual(Array.from(refInt));
    // Once per dtype.
    expect(ours).toHaveBeenCalledTimes(whose === 'ours' ? 2 : 0);
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
