import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { valuesOn } from '../testing/backends';

describe('Slice on wasm', () => {
  it.each([
    [[10], [3], [4]],
    [[4, 5], [1, 0], [2, 5]],
    [[4, 5], [1, 2], [3, -1]],
    [[2, 3, 4], [0, 1, 1], [2, 2, 2]],
    [[8, 6, 6, 3], [2, 1, 0, 0], [3, 4, 6, 3]],
    [[8, 6, 6, 3], [5, 0, 0, 0], [1, -1, -1, -1]],
    [[2, 3, 2, 4, 3], [1, 0, 1, 1, 0], [1, 3, 1, 2, 2]],
    // Trailing axes taken whole join the run: rows of 384 floats; image blocks of 36.
    [[1, 130, 130, 3], [0, 1, 1, 0], [1, 128, 128, 3]],
    [[2, 5, 6, 3], [0, 1, 0, 0], [2, 3, 6, 3]],
    [[3, 4, 5], [1, 1, 0], [2, 2, 5]],
  ] as const)('of %j from %j, size %j: the same values as cpu, float32 and int32', async (shape, begin, size) => {
    const slices = () => {
      const x = tf.range(0, tf.util.sizeFromShape([...shape])).reshape([...shape]);
      return [tf.slice(x, [...begin], [...size]), tf.slice(x.toInt(), [...begin], [...size]).toFloat()];
    };
    const [ref, refInt] = await valuesOn('cpu', slices);
    const [got, gotInt] = await valuesOn('wasm', slices);
    expect(Array.from(got)).toEqual(Array.from(ref));
    expect(Array.from(gotInt)).toEqual(Array.from(refInt));
  });

  it('slices a batch into images and back, with no tensors left behind', async () => {
    await valuesOn('wasm', () => []);
    const batch = tf.randomNormal([4, 8, 8, 3]);
    const before = tf.memory().numTensors;
    const parts = tf.split(batch, 4, 0);
    const whole = tf.concat(parts, 0);
    expect(Array.from(await whole.data())).toEqual(Array.from(await batch.data()));
    tf.dispose([...parts, whole]);
    expect(tf.memory().numTensors).toBe(before);
    batch.dispose();
  });
});
