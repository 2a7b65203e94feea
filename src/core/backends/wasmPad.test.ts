import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import type { WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';
import { valuesOn } from '../testing/backends';

describe('PadV2 on wasm', () => {
  it.each([
    // The discriminator's zero padding; a value other than zero; unpadded trailing axes joining the run.
    [[2, 6, 5, 3], [[0, 0], [1, 1], [1, 1], [0, 0]], 0],
    [[2, 6, 5, 8], [[1, 0], [0, 2], [3, 1], [0, 0]], -1.5],
    [[3, 4, 20], [[1, 1], [0, 0], [0, 0]], 2],
    [[40], [[3, 5]], 7],
    [[2, 17, 17], [[0, 0], [2, 0], [0, 3]], 0],
    // Runs too short for our copy: tfjs's kernel.
    [[1, 4, 4, 3], [[0, 0], [0, 0], [0, 0], [0, 1]], 0],
  ] as const)('of %j by %j with %d: the same values as cpu, float32 and int32', async (shape, paddings, value) => {
    const pads = () => {
      const x = tf.range(1, tf.util.sizeFromShape([...shape]) + 1).reshape([...shape]);
      const p = paddings.map(([a, b]) => [a, b] as [number, number]);
      return [tf.pad(x, p, value), tf.pad(x.toInt(), p, Math.round(value)).toFloat()];
    };
    const [ref, refInt] = await valuesOn('cpu', pads);
    const [got, gotInt] = await valuesOn('wasm', pads);
    expect(Array.from(got)).toEqual(Array.from(ref));
    expect(Array.from(gotInt)).toEqual(Array.from(refInt));
  });

  it('copies runs itself, and leaves short runs to tfjs', async () => {
    await valuesOn('wasm', () => []);
    const copies = vi.spyOn(heapKernelsOf((tf.backend() as unknown as WasmHeap).wasm), 'copyRuns');
    const x = tf.zeros([2, 6, 6, 3]);
    tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]).dispose();
    expect(copies).toHaveBeenCalledTimes(1);
    tf.pad(x, [[0, 0], [0, 0], [0, 0], [0, 1]]).dispose();
    expect(copies).toHaveBeenCalledTimes(1);
    copies.mockRestore();
    x.dispose();
  });

  it('pads and slices back (its gradient), with no tensors left behind', async () => {
    await valuesOn('wasm', () => []);
    const x = tf.randomNormal([2, 8, 8, 16]);
    const before = tf.memory().numTensors;
    const dx = tf.grad((t: tf.Tensor) => tf.pad(t, [[0, 0], [1, 1], [1, 1], [0, 0]]).mul(2).sum())(x);
    expect(Array.from(await dx.data()).every((v) => v === 2)).toBe(true);
    dx.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
