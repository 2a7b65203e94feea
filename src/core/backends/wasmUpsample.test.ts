import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { valuesOn } from '../testing/backends';
import type { WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('nearest-neighbour upsampling on wasm', () => {
  it.each([
    [[2, 5, 4, 16], [10, 8], false, 1],
    [[1, 3, 6, 3], [9, 12], true, 1],
    [[1, 4, 4, 2], [4, 12], false, 1],
    // Fractional or corner-aligned: tfjs's kernel.
    [[1, 4, 4, 2], [6, 6], false, 0],
  ] as const)('of %j to %j (half-pixel centres %s): the same values as cpu, float32 and int32 (our kernel %i times per dtype)', async (shape, size, halfPixel, calls) => {
    const resize = () => {
      const x = tf.range(0, tf.util.sizeFromShape([...shape])).reshape([...shape]) as tf.Tensor4D;
      return [tf.image.resizeNearestNeighbor(x, [...size], false, halfPixel), tf.image.resizeNearestNeighbor(x.toInt(), [...size], false, halfPixel).toFloat()];
    };
    const [ref, refInt] = await valuesOn('cpu', resize);
    await valuesOn('wasm', () => []);
    const ours = vi.spyOn(heapKernelsOf((tf.backend() as unknown as WasmHeap).wasm), 'upsample');
    const [got, gotInt] = await valuesOn('wasm', resize);
    expect(Array.from(got)).toEqual(Array.from(ref));
    expect(Array.from(gotInt)).toEqual(Array.from(refInt));
    expect(ours).toHaveBeenCalledTimes(2 * calls);
  });

  it('leaves no tensors behind', async () => {
    await valuesOn('wasm', () => []);
    const x = tf.randomNormal([1, 8, 8, 4]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.image.resizeNearestNeighbor(x, [16, 16]).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
